import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "../i18n";
import type { CaseView } from "../bindings/CaseView";
import type { CaseSummary } from "../bindings/CaseSummary";
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
    updated_at: "",
    heads: [],
    conflicts: [],
    shares_reference: shared,
  };
}

async function show(v: CaseView) {
  current = v;
  const el = document.createElement("div");
  await act(async () => {
    render(<CaseDetail id="c2" t={t} lang="es" ownCountry="GT" onChanged={() => calls.push(["changed", []])} />, el);
    await tick();
  });
  return el;
}

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
