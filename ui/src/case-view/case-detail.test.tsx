import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "../i18n";
import type { CaseView } from "../bindings/CaseView";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { Session } from "../bindings/Session";
import { SessionContext } from "../session";
import { emptyForm } from "../case-editor/form";

const calls: Array<[string, unknown[]]> = [];
let current: CaseView;
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
