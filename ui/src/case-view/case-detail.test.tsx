import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "../i18n";
import type { CaseView } from "../bindings/CaseView";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { IdentityReach } from "../bindings/IdentityReach";
import type { PeerView } from "../bindings/PeerView";
import type { Session } from "../bindings/Session";
import type { SyncPanel } from "../bindings/SyncPanel";
import { SessionContext } from "../session";
import { emptyForm } from "../case-editor/form";

const calls: Array<[string, unknown[]]> = [];
let current: CaseView;
let reach: IdentityReach;
let panel: SyncPanel;
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
};

function view(editable: boolean, shared: CaseSummary[], former: string[] = []): CaseView {
  return {
    case: {
      ...emptyForm("GT"),
      id: "c2",
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
