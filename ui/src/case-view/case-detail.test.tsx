import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "../i18n";
import type { CaseView } from "../bindings/CaseView";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { GrantView } from "../bindings/GrantView";
import type { IpcError } from "../bindings/IpcError";
import type { IdentityReach } from "../bindings/IdentityReach";
import type { PeerView } from "../bindings/PeerView";
import type { RequestView } from "../bindings/RequestView";
import type { Session } from "../bindings/Session";
import type { SyncPanel } from "../bindings/SyncPanel";
import type { VictimRisk } from "../bindings/VictimRisk";
import { SessionContext } from "../session";
import { emptyForm } from "../case-editor/form";

const calls: Array<[string, unknown[]]> = [];
let current: CaseView;
let reach: IdentityReach;
let panel: SyncPanel;
let grants: GrantView[] = [];
let risks: VictimRisk[] = [];
let requests: RequestView[] = [];
// What grant_add answers next: the grants made, or a refusal.
let granted: GrantView[] | IpcError = [];
vi.mock("../api", () => {
  const rec =
    (name: string, result: () => unknown = () => undefined) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      return Promise.resolve(result());
    };
  return {
    api: {
      getCase: rec("getCase", () => current),
      caseChanges: rec("caseChanges", () => []),
      renumberCase: rec("renumberCase", () => ({ id: "c2", reference: "GT-K7M3Q-2026-0003", changed: ["former_references", "reference"], issues: [] })),
      chooseCaseValue: rec("chooseCaseValue"),
      identityReach: rec("identityReach", () => reach),
      shareIdentities: rec("shareIdentities", () => reach),
      syncPanel: rec("syncPanel", () => panel),
      grantList: rec("grantList", () => grants),
      riskList: rec("riskList", () => risks),
      caseRequests: rec("caseRequests", () => requests),
      referrals: rec("referrals", () => []),
      agencies: rec("agencies", () => []),
      exportCaseFile: rec("exportCaseFile", () => ({ path: "/home/ana/Enlace/exports/case-file-GT-K7M3Q-2026-0002-20261206-1015.pdf", bytes: 48213 })),
      openExport: rec("openExport"),
      grantAdd: (...args: unknown[]) => {
        calls.push(["grantAdd", args]);
        return Array.isArray(granted) ? Promise.resolve(granted) : Promise.reject(granted);
      },
      grantRevoke: rec("grantRevoke", () => ({ ...grants[0], standing: false, revoked_by: "GT-K7M3Q/Marta Coordinadora", revoked_at: "2026-12-03T09:00:00Z" })),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { CaseDetail } from "./case-detail";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

const other: CaseSummary = {
  id: "c1",
  reference: "GT-K7M3Q-2026-0002",
  title: "Registrado antes de la avería",
  status: "reported",
  classification: "trafficking",
  owner_country: "GT",
  opened: "2026-12-01",
  updated_at: "",
  route: [],
  warnings: 0,
  demo: false,
  next_review: null,
};

function view(editable: boolean, shared: CaseSummary[], former: string[] = []): CaseView {
  return {
    case: {
      ...emptyForm("GT"),
      id: "c2",
      request_answers: [],
      reference: "GT-K7M3Q-2026-0002",
      former_references: former,
      title: "Registrado tras restaurar",
      classification_history: [],
      status_history: [],
      notes: [],
      owner: { country: "GT", node: "n" },
      demo: false,
    },
    editable,
    issues: [],
    identities: [],
    identities_withheld: [],
    updated_at: "",
    heads: [],
    conflicts: [],
    shares_reference: shared,
    linked: [],
  };
}

async function show(v: CaseView, session: Session | null = null) {
  current = v;
  const el = document.createElement("div");
  await act(async () => {
    render(
      <SessionContext.Provider value={session}>
        <CaseDetail id="c2" t={t} lang="es" ownCountry="GT" onChanged={() => calls.push(["changed", []])} />
      </SessionContext.Provider>,
      el,
    );
    await tick();
  });
  return el;
}

const analyst: Session = { id: "o2", name: "Ana Analista", role: "analyst", permissions: ["export", "exact_statistics"], first: false };
const investigator: Session = {
  id: "o3",
  name: "José Núñez Ávila",
  role: "police_investigator",
  permissions: ["see_identities", "see_risk_assessments", "edit_cases", "export", "print_identities"],
  first: false,
};

describe("a case whose reference another case carries", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("names the other case, and its owner renumbers this one", async () => {
    const el = await show(view(true, [other]));
    const box = el.querySelector("#case-shared-ref");
    expect(box?.textContent).toContain("GT-K7M3Q-2026-0002");
    expect(box?.textContent).toContain("Registrado antes de la avería");
    current = view(true, [], ["GT-K7M3Q-2026-0002"]);
    await act(async () => {
      (el.querySelector("#case-renumber") as HTMLButtonElement).click();
      await tick();
      await tick();
    });
    expect(calls.find(([n]) => n === "renumberCase")?.[1]).toEqual(["c2"]);
    expect(calls.some(([n]) => n === "changed")).toBe(true);
    // Reloaded: no longer shared, the old reference shown as former.
    expect(el.querySelector("#case-shared-ref")).toBeNull();
    expect(el.querySelector("#case-former-refs")?.textContent).toContain("GT-K7M3Q-2026-0002");
  });

  it("another country's node sees the warning but no button", async () => {
    const el = await show(view(false, [other]));
    expect(el.querySelector("#case-shared-ref")).not.toBeNull();
    expect(el.querySelector("#case-renumber")).toBeNull();
    expect(el.querySelector("#case-shared-ref")?.textContent).toContain("país dueño");
  });

  it("a case alone with its reference shows neither", async () => {
    const el = await show(view(true, []));
    expect(el.querySelector("#case-shared-ref")).toBeNull();
    expect(el.querySelector("#case-former-refs")).toBeNull();
  });
});

describe("a case's links", () => {
  const held: CaseSummary = { ...other, id: "c7", reference: "SV-P4R2X-2026-0011", title: "Red de El Salvador", owner_country: "SV" };
  const linking: CaseSummary = { ...other, id: "c9", reference: "HN-Q8T5L-2026-0004", title: "Víctima rescatada en Honduras", owner_country: "HN" };
  function linkedView(): CaseView {
    const v = view(false, []);
    v.linked = [
      { reference: held.reference, relation: "same_network", note: "mismo reclutador", incoming: false, case: held },
      { reference: "CR-M2N6B-2026-0020", relation: "same_victim", incoming: false },
      { reference: linking.reference, relation: "same_suspect", incoming: true, case: linking },
    ];
    return v;
  }
  async function showOpening(v: CaseView, opened: string[]) {
    current = v;
    const el = document.createElement("div");
    await act(async () => {
      render(<CaseDetail id="c2" t={t} lang="es" ownCountry="GT" onChanged={() => undefined} onOpen={(id) => opened.push(id)} />, el);
      await tick();
    });
    return el;
  }

  it("an outgoing link to a case held here names it and opens it", async () => {
    const opened: string[] = [];
    const el = await showOpening(linkedView(), opened);
    const li = el.querySelector(`#case-links li[data-reference="${held.reference}"]`);
    expect(li?.textContent).toContain("Misma red");
    expect(li?.textContent).toContain("mismo reclutador");
    const open = li?.querySelector("button") as HTMLButtonElement;
    expect(open.textContent).toBe("Red de El Salvador");
    act(() => open.click());
    expect(opened).toEqual(["c7"]);
  });

  it("an outgoing link to a case not held here says so, and opens nothing", async () => {
    const el = await showOpening(linkedView(), []);
    const li = el.querySelector('#case-links li[data-reference="CR-M2N6B-2026-0020"]');
    expect(li?.textContent).toContain("Misma víctima");
    expect(li?.textContent).toContain("este nodo no guarda ese caso");
    expect(li?.querySelector("button")).toBeNull();
  });

  it("lists the cases that link to this one, under their own heading, each opening", async () => {
    const opened: string[] = [];
    const el = await showOpening(linkedView(), opened);
    expect(el.textContent).toContain("Vinculado desde");
    const from = el.querySelectorAll("#case-linked-from li");
    expect(from.length).toBe(1);
    expect(from[0].textContent).toContain(linking.reference);
    expect(from[0].textContent).toContain("Misma persona investigada");
    act(() => (from[0].querySelector("button") as HTMLButtonElement).click());
    expect(opened).toEqual(["c9"]);
    // Incoming links are not among this case's own.
    expect(el.querySelector(`#case-links li[data-reference="${linking.reference}"]`)).toBeNull();
  });

  it("shows no links section when the case has none", async () => {
    const el = await showOpening(view(false, []), []);
    expect(el.querySelector("#case-links")).toBeNull();
    expect(el.querySelector("#case-linked-from")).toBeNull();
  });
});

describe("a case on screen when sync brings a change", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("is read again, and the status two nodes gave apart is offered to choose", async () => {
    current = view(true, []);
    const el = document.createElement("div");
    const at = async (version: number) =>
      act(async () => {
        render(<CaseDetail id="c2" t={t} lang="es" ownCountry="GT" version={version} onChanged={() => undefined} />, el);
        await tick();
        await tick();
      });
    await at(0);
    expect(el.querySelector("#conflict-status")).toBeNull();
    // Sync merged another laptop's edit: a new version of the data.
    current = { ...view(true, []), conflicts: [{ item: "", field: "status", values: ["under_investigation", "closed"] }] };
    await at(1);
    expect(calls.filter(([n]) => n === "getCase").length).toBe(2);
    const box = el.querySelector("#conflict-status");
    expect(box?.textContent).toContain("En investigación");
    expect(box?.textContent).toContain("Cerrado");
    await act(async () => {
      (box?.querySelectorAll(".conflict-value button")[1] as HTMLButtonElement).click();
      await tick();
    });
    expect(calls.find(([n]) => n === "chooseCaseValue")?.[1]).toEqual(["c2", "status", "closed"]);
  });
});

describe("what the official's role allows", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("a role without edit_cases is offered no edit, renumbering or choice", async () => {
    const v: CaseView = { ...view(true, [other]), conflicts: [{ item: "", field: "status", values: ["under_investigation", "closed"] }] };
    const el = await show(v, analyst);
    expect(el.querySelector("#case-title")?.textContent).toBe("Registrado tras restaurar");
    expect(el.querySelector("#case-edit")).toBeNull();
    expect(el.querySelector("#case-renumber")).toBeNull();
    expect(el.querySelector("#conflict-status")).not.toBeNull();
    expect(el.querySelectorAll("#conflict-status button").length).toBe(0);
  });

  it("a role without edit_cases adds no note to another country's case", async () => {
    expect((await show(view(false, []), analyst)).querySelector("#foreign-note")).toBeNull();
    expect((await show(view(false, []), investigator)).querySelector("#foreign-note")).not.toBeNull();
  });

  it("a role with edit_cases edits its country's case", async () => {
    const el = await show(view(true, []), investigator);
    expect(el.querySelector("#case-edit")).not.toBeNull();
  });

  it("says, for each pseudonym, that its identity is here but withheld from the role", async () => {
    const v = view(true, []);
    v.case.persons = [
      { pseudonym: "V1", role: "victim", gender: "female" },
      { pseudonym: "S1", role: "suspect", gender: "male" },
    ];
    v.identities_withheld = ["V1", "S1"];
    const el = await show(v, analyst);
    const notice = el.querySelector("#identity-withheld");
    expect(notice).not.toBeNull();
    const items = [...notice!.querySelectorAll("[data-pseudonym]")];
    expect(items.map((i) => i.getAttribute("data-pseudonym"))).toEqual(["V1", "S1"]);
    for (const i of items) expect(i.textContent).toContain("Identidad registrada en este nodo; su función no permite verla.");
    // Nothing of the kind when no identity is withheld.
    expect((await show(view(true, []), investigator)).querySelector("#identity-withheld")).toBeNull();
  });
});

describe("information items with handling codes", () => {
  it("say each restriction in words, with the H3 note, and nothing for H0", async () => {
    const v = view(true, []);
    const item = { text: "Informe", source_agency: "PNC", reliability: "B", credibility: "2", originator: "PNC" } as const;
    v.case.information = [
      { ...item, id: "a", handling: "H0" },
      { ...item, id: "b", handling: "H1" },
      { ...item, id: "c", handling: "H2" },
      { ...item, id: "d", handling: "H3", handling_note: "Solo para la fiscalía de Quetzaltenango" },
    ];
    const el = await show(v);
    const marks = [...el.querySelectorAll(".handling-restriction")];
    expect(marks.map((m) => m.getAttribute("data-handling"))).toEqual(["H1", "H2", "H3"]);
    expect(marks[0].textContent).toContain("No usar en juicio sin permiso");
    expect(marks[1].textContent).toContain("No transmitir sin permiso");
    expect(marks[2].textContent).toContain("Solo para la fiscalía de Quetzaltenango");
  });
});

describe("the standards' fields of a case", () => {
  it("shows each recorded value in words: types of sexual exploitation, victim status and who decided it, smuggling elements, a suspect's roles", async () => {
    const v = view(true, []);
    v.case.classification = "both";
    v.case.purposes = ["sexual_exploitation", "forced_marriage"];
    v.case.standard = {
      means_of_control: ["debt_bondage"],
      sexual_exploitation: ["prostitution", "remote_interactive_services"],
      trafficking_status: "actual",
      trafficking_status_by: "OIM Guatemala",
      smuggling: { material_benefit: true, illegal_entry: false },
    };
    v.case.persons = [
      { pseudonym: "S1", role: "suspect", gender: "male", process_roles: ["recruiter", "financier"] },
      { pseudonym: "V1", role: "victim", gender: "female" },
    ];
    const el = await show(v);
    const row = (k: string) => el.querySelector(`#case-standard [data-field="${k}"]`);
    expect(el.querySelector("#case-standard h3")?.textContent).toBe(t("field-standard"));
    expect(row("sexual-exploitation")?.textContent).toBe("Tipo de explotación sexualProstitución, Servicios sexuales interactivos a distancia (en línea)");
    expect(row("trafficking-status")?.querySelector("dd")?.textContent).toBe("Víctima identificada · decidida por OIM Guatemala");
    expect(row("smuggling")?.querySelector("dd")?.textContent).toBe("Beneficio económico o material: Sí · Entrada ilegal: No");
    expect(row("means-of-control")?.querySelector("dd")?.textContent).toBe(t("control-debt_bondage"));
    expect(row("labour")).toBeNull();
    const roles = [...el.querySelectorAll(".process-roles")];
    expect(roles.map((r) => r.textContent)).toEqual(["Captador, Financiador"]);
    expect(roles[0].closest("tr")?.textContent).toContain("S1");
    // The new purposes among the others.
    const chosen = [...el.querySelectorAll(".elements .chip.on")].map((c) => c.textContent);
    expect(chosen).toContain(`✓ ${t("purpose-forced_marriage")}`);
    expect(el.querySelector(".elements")?.textContent).toContain(t("purpose-forced_military"));
    expect(el.textContent).not.toContain("remote_interactive_services");
    expect(el.textContent).not.toContain("not_a_victim");
  });

  it("shows nothing of them when none is recorded", async () => {
    const v = view(true, []);
    v.case.persons = [{ pseudonym: "S1", role: "suspect", gender: "male" }];
    const el = await show(v);
    expect(el.querySelector("#case-standard")).toBeNull();
    expect(el.querySelector(".process-roles")).toBeNull();
  });
});

describe("who receives a case's identities", () => {
  const KEY = "ab".repeat(32);
  const peer = (name: string, country: string, node_role: PeerView["node_role"]): PeerView => ({
    name,
    country,
    node_role,
    public_key: name === "Puesto Tecún Umán" ? KEY : "cd".repeat(32),
    node_id: "abababababababab",
    added_at: "2026-11-30T10:00:00Z",
    failures: 0,
    pending: 0,
    wanted: 0,
    bytes_sent: 0,
    bytes_received: 0,
    docs_sent: 0,
    docs_received: 0,
    changes_sent: 0,
    changes_received: 0,
  });
  const coordinator: Session = {
    id: "o4",
    name: "Marta Coordinadora",
    role: "coordinator",
    permissions: ["see_identities", "see_risk_assessments", "edit_cases", "edit_tasks", "edit_assessments", "export", "print_identities", "grant", "view_audit", "exact_statistics"],
    first: false,
  };
  const withPersons = (owner = "GT") => {
    const v = view(owner === "GT", []);
    v.case.owner = { country: owner, node: "n" };
    v.case.persons = [
      { pseudonym: "V1", role: "victim", gender: "female", person_ref: "p1" },
      { pseudonym: "V2", role: "victim", gender: "female", person_ref: "p2" },
      { pseudonym: "V3", role: "victim", gender: "male", person_ref: "p3" },
      { pseudonym: "S1", role: "suspect", gender: "male" },
    ];
    return v;
  };
  const atPost: IdentityReach = {
    reference: "GT-K7M3Q-2026-0002",
    held: 1,
    elsewhere: 2,
    nodes: [{ public_key: KEY, name: "Puesto Tecún Umán", role: "border_post", persons: 1 }],
    linked_elsewhere: [],
  };
  const asOffice = (role: SyncPanel["node"]["role"] = "office"): SyncPanel => ({
    node: { node_id: "6a99629e27f6791b", node_code: "K7M3Q", country: "GT", name: "Fiscalía Guatemala", public_key: "ef".repeat(32), created_at: "", data_dir: "/d", role },
    peers: [peer("NTF Guatemala", "GT", "hub"), peer("Aduana Corinto", "HN", "border_post"), peer("Puesto Tecún Umán", "GT", "border_post"), peer("Albergue Xela", "GT", "ngo")],
    running: false,
    connection: "online",
    quarantined: 0,
    interval_secs: 300,
    listener: { on: false, listening: false, port: 7443, urls: [] },
    revocations: [],
  });

  beforeEach(() => {
    calls.length = 0;
    reach = atPost;
    panel = asOffice();
  });

  it("says that hubs and offices receive them all, names the others, and what is held elsewhere", async () => {
    const el = await show(withPersons(), investigator);
    const box = el.querySelector("#identity-reach");
    expect(box?.querySelector("h3")?.textContent).toBe("Quién recibe las identidades");
    expect(box?.textContent).toContain("Los nodos centrales y las oficinas del país las reciben todas.");
    expect(calls.find(([n]) => n === "identityReach")?.[1]).toEqual(["c2"]);
    const items = [...el.querySelectorAll("#reach-nodes li")];
    expect(items.length).toBe(1);
    expect(items[0].textContent).toContain("Puesto Tecún Umán");
    expect(items[0].textContent).toContain("Puesto fronterizo");
    expect(items[0].textContent).toContain("1 identidad");
    expect(el.querySelector("#reach-elsewhere")?.textContent).toBe(
      "2 identidades de este caso las guardan otros nodos del país y no se han compartido con este: pida al nodo central o a una oficina que las comparta con este nodo.",
    );
    // Without the grant permission: nothing to share or stop, and this node's place is not asked.
    expect(el.querySelector("#reach-share")).toBeNull();
    expect(el.querySelector(".reach-unshare")).toBeNull();
    expect(calls.some(([n]) => n === "syncPanel")).toBe(false);
  });

  it("says when no border post or NGO receives them, and nothing about elsewhere when all are here", async () => {
    reach = { reference: "GT-K7M3Q-2026-0002", held: 3, elsewhere: 0, nodes: [], linked_elsewhere: [] };
    const el = await show(withPersons(), investigator);
    expect(el.querySelector("#reach-none")?.textContent).toBe("Ningún puesto fronterizo ni ONG las recibe.");
    expect(el.querySelector("#reach-elsewhere")).toBeNull();
    expect(el.querySelector("#reach-linked-elsewhere")).toBeNull();
  });

  it("says which identities sharing this case leaves out, because another case links them too", async () => {
    reach = { ...atPost, linked_elsewhere: ["V2"] };
    let el = await show(withPersons(), investigator);
    expect(el.querySelector("#reach-linked-elsewhere")?.textContent).toBe(
      "Compartir este caso no comparte la identidad de V2: otro caso la enlaza también. Compártala desde ese caso.",
    );
    reach = { ...atPost, linked_elsewhere: ["V2", "V3"] };
    el = await show(withPersons(), investigator);
    expect(el.querySelector("#reach-linked-elsewhere")?.textContent).toContain("las identidades de V2, V3");
  });

  it("is not shown to a role that may not see identities, on another country's case, or without identities", async () => {
    expect((await show(withPersons(), analyst)).querySelector("#identity-reach")).toBeNull();
    expect((await show(withPersons("HN"), investigator)).querySelector("#identity-reach")).toBeNull();
    const none = withPersons();
    none.case.persons = none.case.persons.map(({ person_ref: _, ...p }) => p);
    expect((await show(none, investigator)).querySelector("#identity-reach")).toBeNull();
    expect(calls.some(([n]) => n === "identityReach")).toBe(false);
  });

  it("an office shares them with a node of its country, border posts and NGOs first, and stops after a warning", async () => {
    reach = { ...atPost, held: 3, elsewhere: 0, nodes: [] };
    const el = await show(withPersons(), coordinator);
    await act(async () => {
      await tick();
    });
    const select = el.querySelector("#reach-node") as HTMLSelectElement;
    // Honduras's post is not of this country; the hub comes last.
    expect([...select.options].map((o) => o.value)).toEqual(["Albergue Xela", "Puesto Tecún Umán", "NTF Guatemala"]);
    expect(select.options[1].textContent).toBe("Puesto Tecún Umán — Puesto fronterizo");
    await act(async () => {
      select.value = "Puesto Tecún Umán";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    reach = { ...atPost, held: 3, elsewhere: 0, nodes: [{ public_key: KEY, name: "Puesto Tecún Umán", role: "border_post", persons: 3 }] };
    await act(async () => {
      (el.querySelector("#reach-share") as HTMLButtonElement).click();
      await tick();
    });
    expect(calls.find(([n]) => n === "shareIdentities")?.[1]).toEqual(["c2", "Puesto Tecún Umán", true]);
    expect(el.querySelector("#reach-nodes li")?.textContent).toContain("3 identidades");
    expect(el.querySelector("#reach-done")?.textContent).toContain("Identidades compartidas con Puesto Tecún Umán");

    // Stopping says what cannot be undone before it is done.
    await act(async () => {
      (el.querySelector(".reach-unshare") as HTMLButtonElement).click();
      await tick();
    });
    const dialog = el.querySelector("#reach-unshare-dialog") as HTMLElement;
    expect(dialog.querySelector("h3")?.textContent).toBe("¿Dejar de compartir las identidades con Puesto Tecún Umán?");
    expect(dialog.textContent).toContain("Los cambios posteriores de estas identidades ya no llegarán a Puesto Tecún Umán");
    expect(dialog.textContent).toContain("no se puede retirar de ese equipo");
    expect(calls.filter(([n]) => n === "shareIdentities").length).toBe(1);
    reach = { ...atPost, held: 3, elsewhere: 0, nodes: [] };
    await act(async () => {
      (dialog.querySelector("#reach-unshare-confirm") as HTMLButtonElement).click();
      await tick();
    });
    expect(calls.filter(([n]) => n === "shareIdentities").pop()?.[1]).toEqual(["c2", KEY, false]);
    expect(el.querySelector("#reach-unshare-dialog")).toBeNull();
    expect(el.querySelector("#reach-none")).not.toBeNull();
  });

  it("a border post or an NGO node is offered no sharing, even to a role that may grant", async () => {
    for (const role of ["border_post", "ngo"] as const) {
      panel = asOffice(role);
      const el = await show(withPersons(), coordinator);
      await act(async () => {
        await tick();
      });
      expect(el.querySelector("#reach-nodes")).not.toBeNull();
      expect(el.querySelector("#reach-share")).toBeNull();
      expect(el.querySelector(".reach-unshare")).toBeNull();
    }
  });
});

describe("grants of a case's identities to other countries", () => {
  const coordinator: Session = {
    id: "o4",
    name: "Marta Coordinadora",
    role: "coordinator",
    permissions: ["see_identities", "see_risk_assessments", "edit_cases", "edit_tasks", "edit_assessments", "export", "print_identities", "grant", "view_audit", "exact_statistics"],
    first: false,
  };
  const identity = (pseudonym: string, person_id: string) => ({
    pseudonym,
    person_id,
    full_name: `Persona ${pseudonym}`,
    identity: { given_names: "Persona", first_surname: pseudonym, consent: { given: true } },
  });
  // A case of `owner` naming p1 (V1) and p2 (V2), both identities held here.
  const withIdentities = (owner = "GT") => {
    const v = view(owner === "GT", []);
    v.case.owner = { country: owner, node: "n" };
    v.case.persons = [
      { pseudonym: "V1", role: "victim", gender: "female", person_ref: "p1" },
      { pseudonym: "V2", role: "victim", gender: "male", person_ref: "p2" },
      { pseudonym: "S1", role: "suspect", gender: "male" },
    ];
    v.identities = [identity("V1", "p1"), identity("V2", "p2")];
    return v;
  };
  const grant = (over: Partial<GrantView>): GrantView => ({
    id: "g1",
    person_id: "p1",
    owner_country: "GT",
    case_reference: "GT-K7M3Q-2026-0002",
    pseudonym: "V1",
    standing: true,
    country: "HN",
    purpose: "repatriation",
    until: "2026-12-31",
    reason: "Retorno asistido con el consulado",
    by: "GT-K7M3Q/Marta Coordinadora",
    at: "2026-12-02T15:30:00Z",
    ...over,
  });
  const pick = async (el: HTMLElement, selector: string, value: string, event = "change") =>
    act(async () => {
      const f = el.querySelector(selector) as HTMLInputElement;
      f.value = value;
      f.dispatchEvent(new Event(event, { bubbles: true }));
    });
  const click = async (el: Element | null) =>
    act(async () => {
      (el as HTMLElement).click();
      await tick();
    });
  // The form sent as its button would (the case view is not in a document here).
  const send = async (el: HTMLElement) =>
    act(async () => {
      el.querySelector("#grant-form")?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
      await tick();
    });

  beforeEach(() => {
    calls.length = 0;
    reach = { reference: "GT-K7M3Q-2026-0002", held: 2, elsewhere: 0, nodes: [], linked_elsewhere: [] };
    panel = new Promise(() => undefined) as never;
    grants = [
      grant({}),
      grant({ id: "g2", person_id: "p2", pseudonym: "V2", country: "MX", purpose: "joint_investigation", standing: false, revoked_by: "GT-K7M3Q/Ana", revoked_at: "2026-12-01T10:00:00Z" }),
      grant({ id: "g3", person_id: "p2", pseudonym: "V2", country: "US", purpose: "victim_assistance", standing: false, until: "2026-11-30" }),
      // Another case's person: not this case's grant.
      grant({ id: "g4", person_id: "p9", case_reference: "GT-K7M3Q-2026-0009", pseudonym: "V1" }),
    ];
    granted = [];
  });

  it("is not offered to a role that may not grant, on another country's case, or without identities held", async () => {
    const investigator: Session = { id: "o3", name: "José", role: "police_investigator", permissions: ["see_identities", "edit_cases"], first: false };
    expect((await show(withIdentities(), investigator)).querySelector("#grants")).toBeNull();
    const noIds: Session = { ...coordinator, permissions: coordinator.permissions.filter((p) => p !== "see_identities") };
    expect((await show(withIdentities(), noIds)).querySelector("#grants")).toBeNull();
    expect((await show(withIdentities("HN"), coordinator)).querySelector("#grants")).toBeNull();
    const none = withIdentities();
    none.identities = [];
    expect((await show(none, coordinator)).querySelector("#grants")).toBeNull();
    // The role that may not grant does not even read them.
    calls.length = 0;
    await show(withIdentities(), investigator);
    expect(calls.some(([n]) => n === "grantList")).toBe(false);
  });

  it("lists each grant of the case's persons: to whom, for what, until when, its state, why, who", async () => {
    const el = await show(withIdentities(), coordinator);
    const box = el.querySelector("#grants");
    expect(box?.querySelector("h3")?.textContent).toBe("Concesiones a otros países");
    const items = [...el.querySelectorAll("#grants-list li")];
    expect(items.map((i) => i.getAttribute("data-id"))).toEqual(["g1", "g2", "g3"]);
    expect(items.map((i) => i.getAttribute("data-state"))).toEqual(["standing", "revoked", "lapsed"]);
    expect(items[0].textContent).toContain("V1 → Honduras · Repatriación (Protocolo, art. 8) · hasta el 31/12/2026 vigente");
    expect(items[0].textContent).toContain("Retorno asistido con el consulado");
    expect(items[0].textContent).toContain("Concedida por GT-K7M3Q/Marta Coordinadora el 2026-12-02");
    expect(items[1].textContent).toContain("V2 → México · Investigación conjunta");
    expect(items[1].textContent).toContain("revocada por GT-K7M3Q/Ana el 2026-12-01");
    expect(items[2].textContent).toContain("Estados Unidos");
    expect(items[2].textContent).toContain("vencida");
    // Only the standing one is revoked.
    expect(items.map((i) => i.querySelector(".grant-revoke") !== null)).toEqual([true, false, false]);
  });

  it("says so when none was given", async () => {
    grants = [];
    const el = await show(withIdentities(), coordinator);
    expect(el.querySelector("#grants-none")?.textContent).toBe("Ninguna identidad de este caso se ha concedido a otro país.");
  });

  it("the form says what granting does, and sends the grant of one person", async () => {
    grants = [];
    const el = await show(withIdentities(), coordinator);
    await click(el.querySelector("#grant-new"));
    const dialog = el.querySelector("#grant-dialog") as HTMLElement;
    expect(dialog.querySelector("h3")?.textContent).toBe("Conceder a otro país");
    const warning = dialog.querySelector("#grant-warning")?.textContent ?? "";
    expect(warning).toContain("nodos centrales y las oficinas de ese país en su próxima sincronización");
    expect(warning).toContain("registro de auditoría de ambos países");
    expect(warning).toContain("no se pueden retirar");
    const persons = [...(dialog.querySelector("#grant-person") as HTMLSelectElement).options];
    expect(persons.map((o) => o.value)).toEqual(["", "V1", "V2"]);
    expect(persons[0].textContent).toBe("Las 2 identidades del caso");
    // Every other country of the region and the observers; not this one.
    const countries = [...(dialog.querySelector("#grant-country") as HTMLSelectElement).options].map((o) => o.value);
    expect(countries).toEqual(["", "MX", "HN", "SV", "NI", "CR", "PA", "CA", "US"]);
    const purposes = [...(dialog.querySelector("#grant-purpose") as HTMLSelectElement).options].map((o) => o.textContent);
    expect(purposes).toEqual(["Elija…", "Repatriación (Protocolo, art. 8)", "Investigación conjunta", "Asistencia a la víctima"]);

    await pick(el, "#grant-person", "V1");
    await pick(el, "#grant-country", "HN");
    await pick(el, "#grant-purpose", "repatriation");
    await pick(el, "#grant-until", "2026-12-31", "input");
    await pick(el, "#grant-reason", "  Retorno asistido con el consulado ", "input");
    granted = [grant({})];
    await send(el);
    expect(calls.find(([n]) => n === "grantAdd")?.[1]).toEqual([
      { target: "c2", pseudonym: "V1", country: "HN", purpose: "repatriation", until: "2026-12-31", reason: "Retorno asistido con el consulado" },
    ]);
    expect(el.querySelector("#grant-dialog")).toBeNull();
    expect(el.querySelector("#grants-list li")?.getAttribute("data-id")).toBe("g1");
    expect(el.querySelector("#grants-done")?.textContent).toBe("Identidad concedida a Honduras: la recibirá en su próxima sincronización.");
  });

  it("granting every identity of the case names no pseudonym", async () => {
    const el = await show(withIdentities(), coordinator);
    await click(el.querySelector("#grant-new"));
    await pick(el, "#grant-country", "SV");
    await pick(el, "#grant-purpose", "victim_assistance");
    await pick(el, "#grant-until", "2027-01-15", "input");
    await pick(el, "#grant-reason", "Atención en El Salvador", "input");
    granted = [grant({ id: "g5", country: "SV" }), grant({ id: "g6", person_id: "p2", pseudonym: "V2", country: "SV" })];
    await send(el);
    expect(calls.find(([n]) => n === "grantAdd")?.[1]).toEqual([{ target: "c2", country: "SV", purpose: "victim_assistance", until: "2027-01-15", reason: "Atención en El Salvador" }]);
    expect(el.querySelector("#grants-done")?.textContent).toContain("2 identidades concedidas a El Salvador");
  });

  it("says which field is missing or refused, and keeps the form", async () => {
    const el = await show(withIdentities(), coordinator);
    await click(el.querySelector("#grant-new"));
    await send(el);
    // Nothing is sent without a country, a purpose, a date and a reason.
    expect(calls.some(([n]) => n === "grantAdd")).toBe(false);
    const missing = [...el.querySelectorAll("#grant-dialog .field-error")].map((e) => e.getAttribute("data-path"));
    expect(missing).toEqual(["grant.country", "grant.purpose", "grant.until", "grant.reason"]);
    expect(el.querySelector('.field-error[data-path="grant.reason"]')?.textContent).toBe("Motivo: este texto es obligatorio.");

    await pick(el, "#grant-country", "HN");
    await pick(el, "#grant-purpose", "repatriation");
    await pick(el, "#grant-until", "2020-01-01", "input");
    await pick(el, "#grant-reason", "Retorno", "input");
    granted = {
      code: "invalid_input",
      message: "La concesión no es válida.",
      issues: [{ path: "grant.until", code: "val-grant-until-past", severity: "error", args: [["date", "2020-01-01"]] }],
      candidates: [],
    };
    await send(el);
    expect(calls.filter(([n]) => n === "grantAdd").length).toBe(1);
    const dialog = el.querySelector("#grant-dialog") as HTMLElement;
    expect(dialog).not.toBeNull();
    expect([...dialog.querySelectorAll(".field-error")].map((e) => e.getAttribute("data-path"))).toEqual(["grant.until"]);
    expect(dialog.querySelector('.field-error[data-path="grant.until"]')?.textContent).toBe(
      "Hasta (último día): la fecha 2020-01-01 ya pasó; una concesión dura hasta hoy o una fecha posterior.",
    );
    expect(dialog.querySelector("#grant-until")?.getAttribute("aria-invalid")).toBe("true");
    expect(dialog.querySelector("#grant-error")?.textContent).toBe("La concesión no es válida.");
    expect((dialog.querySelector("#grant-reason") as HTMLTextAreaElement).value).toBe("Retorno");
  });

  it("revokes a standing grant only after saying what cannot be recalled", async () => {
    const el = await show(withIdentities(), coordinator);
    await click(el.querySelector('#grants-list li[data-id="g1"] .grant-revoke'));
    const dialog = el.querySelector("#grant-revoke-dialog") as HTMLElement;
    expect(dialog.querySelector("h3")?.textContent).toBe("¿Revocar la concesión de V1 a Honduras?");
    expect(dialog.textContent).toContain("Los cambios posteriores de esta identidad ya no llegarán a Honduras");
    expect(dialog.textContent).toContain("no se puede retirar");
    expect(calls.some(([n]) => n === "grantRevoke")).toBe(false);
    await click(dialog.querySelector("#grant-revoke-confirm"));
    expect(calls.find(([n]) => n === "grantRevoke")?.[1]).toEqual(["g1"]);
    expect(el.querySelector("#grant-revoke-dialog")).toBeNull();
    const item = el.querySelector('#grants-list li[data-id="g1"]') as HTMLElement;
    expect(item.getAttribute("data-state")).toBe("revoked");
    expect(item.querySelector(".grant-revoke")).toBeNull();
    expect(el.querySelector("#grants-done")?.textContent).toContain("Honduras ya no recibirá los cambios de esta identidad");
  });

  it("cancelling the revocation sends nothing", async () => {
    const el = await show(withIdentities(), coordinator);
    await click(el.querySelector(".grant-revoke"));
    await click(el.querySelector("#grant-revoke-dialog .outline"));
    expect(el.querySelector("#grant-revoke-dialog")).toBeNull();
    expect(calls.some(([n]) => n === "grantRevoke")).toBe(false);
  });

  it("on another country's case, says which identity came under a grant to this country", async () => {
    grants = [
      grant({ id: "r1", owner_country: "HN", country: "GT", person_id: "p1", case_reference: "HN-AB12C-2026-0007" }),
      // Given by Honduras to Mexico: not this country's.
      grant({ id: "r2", owner_country: "HN", country: "MX", person_id: "p2", case_reference: "HN-AB12C-2026-0007" }),
    ];
    const v = withIdentities("HN");
    const el = await show(v, coordinator);
    const notes = [...el.querySelectorAll("#identity-granted li")];
    expect(notes.map((n) => n.getAttribute("data-pseudonym"))).toEqual(["V1"]);
    expect(notes[0].textContent).toContain("Identidad recibida de Honduras por concesión: Repatriación (Protocolo, art. 8), hasta el 31/12/2026.");
    expect(el.querySelector("#grants")).toBeNull();
    // Without the grant permission: nothing said, nothing read.
    calls.length = 0;
    const investigator: Session = { id: "o3", name: "José", role: "police_investigator", permissions: ["see_identities", "edit_cases"], first: false };
    expect((await show(withIdentities("HN"), investigator)).querySelector("#identity-granted")).toBeNull();
    expect(calls.some(([n]) => n === "grantList")).toBe(false);
  });

  it("on another country's case, says nothing without a grant to this country", async () => {
    grants = [grant({ id: "r2", owner_country: "HN", country: "MX", person_id: "p2" })];
    const el = await show(withIdentities("HN"), coordinator);
    expect(el.querySelector("#identity-granted")).toBeNull();
  });
});

describe("the victims' risk in the case view", () => {
  beforeEach(() => {
    calls.length = 0;
    risks = [
      {
        case_id: "c2",
        reference: "GT-K7M3Q-2026-0002",
        pseudonym: "V1",
        current: [],
        history: [],
        concurrent: false,
        next_review: null,
      },
    ];
  });
  const withVictim = (editable: boolean) => {
    const v = view(editable, []);
    v.case.persons = [{ pseudonym: "V1", role: "victim", gender: "female" }];
    return v;
  };

  it("follows the persons, for a role that may see risk assessments; recording is offered where the case may be changed", async () => {
    const el = await show(withVictim(true), investigator);
    expect(calls.find(([n]) => n === "riskList")?.[1]).toEqual(["c2"]);
    const section = el.querySelector("#risk") as HTMLElement;
    expect(section.querySelector("h3")?.textContent).toBe("Riesgo de las víctimas");
    expect(section.previousElementSibling?.querySelector("h3")?.textContent).toBe("Personas");
    expect(section.querySelector('[data-testid="risk-V1"] [data-testid="risk-new"]')).not.toBeNull();
    // Another country's case: read only.
    const foreign = await show(withVictim(false), investigator);
    expect(foreign.querySelector('[data-testid="risk-V1"]')).not.toBeNull();
    expect(foreign.querySelector('[data-testid="risk-new"]')).toBeNull();
  });

  it("is not asked for by a role that may not see risk assessments", async () => {
    const el = await show(withVictim(true), analyst);
    expect(calls.some(([n]) => n === "riskList")).toBe(false);
    expect(el.querySelector("#risk")).toBeNull();
  });
});

describe("a case's requests between states", () => {
  beforeEach(() => {
    calls.length = 0;
    requests = [
      {
        case_id: "c2",
        reference: "GT-K7M3Q-2026-0002",
        request: { id: "r1", kind: "extradition", from: "GT", to: "MX", subject: "Extradición del reclutador", status: "sent", sent: "2026-11-01", due: "2026-12-01" },
        answers: [],
        side: "from_us",
        overdue: true,
        days_overdue: 5,
      },
    ];
  });
  const withRequest = () => {
    const v = view(true, []);
    v.case.requests = [{ id: "r1", kind: "extradition", from: "GT", to: "MX", subject: "Extradición del reclutador", status: "sent", sent: "2026-11-01", due: "2026-12-01" }];
    return v;
  };

  it("are read with their answers and shown in their own section, overdue marked", async () => {
    const el = await show(withRequest(), investigator);
    expect(calls.find(([n]) => n === "caseRequests")?.[1]).toEqual(["c2"]);
    const section = el.querySelector('[data-testid="requests"]') as HTMLElement;
    expect(section.querySelector("h3")?.textContent).toBe("Solicitudes entre Estados");
    expect(section.querySelector('[data-testid="request-0"]')?.textContent).toContain("Guatemala → México");
    expect(section.querySelector('[data-testid="request-overdue"]')?.textContent).toBe("⚠ Plazo vencido hace 5 días");
    // Asked by this country: answered by Mexico, not here.
    expect(section.querySelector('[data-testid="request-answer-answered"]')).toBeNull();
  });

  it("a case without requests asks for none and shows no section", async () => {
    const el = await show(view(true, []), investigator);
    expect(calls.some(([n]) => n === "caseRequests")).toBe(false);
    expect(el.querySelector('[data-testid="requests"]')).toBeNull();
  });
});

describe("the printable case file", () => {
  beforeEach(() => {
    calls.length = 0;
  });
  const officer: Session = { id: "o4", name: "Luis Fronterizo", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };
  const pick = async (el: HTMLElement, id: string, value: string) =>
    act(async () => {
      const f = el.querySelector(`[data-testid="${id}"]`) as HTMLSelectElement;
      f.value = value;
      f.dispatchEvent(new Event("change", { bubbles: true }));
    });

  it("is not offered to a role that may not export", async () => {
    const el = await show(view(true, []), officer);
    expect(el.querySelector('[data-testid="case-file"]')).toBeNull();
  });

  it("is printed in the language and on the paper chosen, opened, and said where", async () => {
    const el = await show(view(false, []), investigator);
    // In the document: the dialog's form submits.
    document.body.appendChild(el);
    const button = el.querySelector('[data-testid="case-file"]') as HTMLButtonElement;
    expect(button.textContent).toBe("Imprimir expediente");
    await act(async () => button.click());
    expect(el.querySelector("#case-file-dialog-title")?.textContent).toBe("Imprimir el expediente GT-K7M3Q-2026-0002");
    const lang = el.querySelector('[data-testid="case-file-lang"]') as HTMLSelectElement;
    const paper = el.querySelector('[data-testid="case-file-paper"]') as HTMLSelectElement;
    // The app's language and A4 unless chosen otherwise.
    expect([lang.value, paper.value]).toEqual(["es", "a4"]);
    expect([...paper.options].map((o) => o.textContent)).toEqual(["A4", "Carta"]);
    await pick(el, "case-file-lang", "en");
    await pick(el, "case-file-paper", "letter");
    await act(async () => {
      (el.querySelector('[data-testid="case-file-generate"]') as HTMLButtonElement).click();
      await tick();
      await tick();
    });
    const path = "/home/ana/Enlace/exports/case-file-GT-K7M3Q-2026-0002-20261206-1015.pdf";
    expect(calls.filter(([n]) => n === "exportCaseFile" || n === "openExport")).toEqual([
      ["exportCaseFile", ["c2", true, "en"]],
      ["openExport", [path]],
    ]);
    expect(el.querySelector('[data-testid="case-file-done"]')?.textContent).toBe(`Guardado en ${path} Abrir`);
    el.remove();
  });
});
