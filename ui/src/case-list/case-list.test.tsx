// The case list: a row whose victim's risk review is overdue (or due today)
// says so in words and with a mark; the reviews-due filter asks the core
// for those cases only, and is remembered; roles that may not see risk
// assessments are offered neither.
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CaseFilter } from "../bindings/CaseFilter";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { Session } from "../bindings/Session";
import { translate } from "../i18n";
import { SessionContext } from "../session";

const calls: Array<[string, unknown[]]> = [];
let items: CaseSummary[] = [];
vi.mock("../api", () => {
  const rec =
    (name: string, result: () => unknown = () => undefined) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      return Promise.resolve(result());
    };
  return {
    api: {
      listCases: rec("listCases", () => ({ total: items.length, offset: 0, items })),
      saveCaseFilter: rec("saveCaseFilter"),
      duplicateReferences: rec("duplicateReferences", () => []),
      getCase: () => new Promise(() => undefined),
      caseChanges: () => new Promise(() => undefined),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { Cases } from "./case-list";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

const row = (over: Partial<CaseSummary>): CaseSummary => ({
  id: "c1",
  reference: "GT-K7M3Q-2026-0001",
  title: "Captación en Malacatán",
  status: "under_investigation",
  classification: "trafficking",
  owner_country: "GT",
  opened: "2026-11-02",
  updated_at: "2026-12-01T10:00:00Z",
  route: [],
  warnings: 0,
  demo: false,
  next_review: null,
  ...over,
});

const officer: Session = { id: "o2", name: "José Núñez Ávila", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };
const analyst: Session = { id: "o3", name: "Ana Analista", role: "analyst", permissions: ["export", "exact_statistics"], first: false };

let root: HTMLElement;
async function show(session: Session, initial?: CaseFilter) {
  await act(async () => {
    render(
      <SessionContext.Provider value={session}>
        <Cases t={t} lang="es" ownCountry="GT" version={0} initial={initial} />
      </SessionContext.Provider>,
      root,
    );
  });
  await act(async () => {
    await tick();
  });
}

describe("risk reviews in the case list", () => {
  beforeEach(() => {
    calls.length = 0;
    // jsdom measures nothing: the list draws its first rows.
    vi.stubGlobal(
      "ResizeObserver",
      class {
        observe() {}
        disconnect() {}
      },
    );
    root = document.createElement("div");
    document.body.appendChild(root);
    items = [
      row({ id: "c1", reference: "GT-K7M3Q-2026-0001", next_review: "2026-11-27", review: "overdue" }),
      row({ id: "c2", reference: "GT-K7M3Q-2026-0002", next_review: "2026-12-06", review: "due_today" }),
      row({ id: "c3", reference: "GT-K7M3Q-2026-0003", next_review: "2027-02-01", review: "scheduled" }),
      row({ id: "c4", reference: "GT-K7M3Q-2026-0004" }),
    ];
  });
  afterEach(async () => {
    await act(async () => render(null, root));
    root.remove();
    vi.unstubAllGlobals();
  });

  const mark = (reference: string) => root.querySelector(`.case-row[data-reference="${reference}"] [data-testid="review-mark"]`);

  it("marks a row whose review is overdue with a warning and words, one due today in words; the others not", async () => {
    await show(officer);
    expect(root.querySelectorAll(".case-row").length).toBe(4);
    const overdue = mark("GT-K7M3Q-2026-0001");
    expect(overdue?.getAttribute("data-state")).toBe("overdue");
    expect(overdue?.textContent).toBe("⚠ Revisión vencida");
    expect(overdue?.querySelector('[aria-hidden="true"]')?.textContent).toBe("⚠ ");
    expect(mark("GT-K7M3Q-2026-0002")?.textContent).toBe("Revisión hoy");
    expect(mark("GT-K7M3Q-2026-0003")).toBeNull();
    expect(mark("GT-K7M3Q-2026-0004")).toBeNull();
  });

  it("the filter asks for the cases with a review overdue or due today, is remembered, and counts as a filter", async () => {
    await show(officer);
    const box = root.querySelector('[data-testid="filter-review-due"]') as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.closest("label")?.textContent).toBe("⚠ Solo con revisión de riesgo vencida o para hoy");
    expect((calls.filter(([n]) => n === "listCases").pop()?.[1][0] as CaseFilter).review_due).toBeUndefined();
    expect(root.querySelector("#filter-clear")).toBeNull();

    items = items.slice(0, 2);
    await act(async () => {
      box.click();
      await tick();
    });
    await act(async () => {
      await tick();
    });
    expect(calls.find(([n]) => n === "saveCaseFilter")?.[1]).toEqual([{ review_due: true }]);
    expect(calls.filter(([n]) => n === "listCases").pop()?.[1][0]).toMatchObject({ review_due: true, offset: 0 });
    expect(root.querySelectorAll(".case-row").length).toBe(2);
    expect((root.querySelector('[data-testid="filter-review-due"]') as HTMLInputElement).checked).toBe(true);
    expect(root.querySelector("#filter-clear")).not.toBeNull();

    await act(async () => {
      (root.querySelector('[data-testid="filter-review-due"]') as HTMLInputElement).click();
      await tick();
    });
    expect(calls.filter(([n]) => n === "saveCaseFilter").pop()?.[1]).toEqual([{}]);
  });

  it("starts with the filter remembered", async () => {
    await show(officer, { review_due: true });
    expect((root.querySelector('[data-testid="filter-review-due"]') as HTMLInputElement).checked).toBe(true);
    expect((calls.find(([n]) => n === "listCases")?.[1][0] as CaseFilter).review_due).toBe(true);
  });

  it("offers no filter to a role that may not see risk assessments", async () => {
    await show(analyst);
    expect(root.querySelector('[data-testid="filter-review-due"]')).toBeNull();
  });
});
