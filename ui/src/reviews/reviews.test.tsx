// The reviews due: overdue first, then due today, then this week; the
// levels (several when assessed apart, said so); each row opens its case;
// withdrawn when the core refuses it to the official. Then the requests
// pending: those addressed to this country first (overdue on top), then
// those it made, each opening its case.
import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { IpcError } from "../bindings/IpcError";
import type { RequestView } from "../bindings/RequestView";
import type { RiskDue } from "../bindings/RiskDue";
import { translate } from "../i18n";

const calls: Array<[string, unknown[]]> = [];
let due: RiskDue[] | IpcError = [];
let pending: RequestView[] | IpcError = [];
vi.mock("../api", () => ({
  api: {
    risksDue: (...args: unknown[]) => {
      calls.push(["risksDue", args]);
      return Array.isArray(due) ? Promise.resolve(due) : Promise.reject(due);
    },
    requests: (...args: unknown[]) => {
      calls.push(["requests", args]);
      return Array.isArray(pending) ? Promise.resolve(pending) : Promise.reject(pending);
    },
  },
  asIpcError: (e: unknown) => e,
}));

import { ReviewsDue, sortDue } from "./reviews";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

const row = (over: Partial<RiskDue>): RiskDue => ({
  case_id: "c1",
  reference: "GT-K7M3Q-2026-0001",
  pseudonym: "V1",
  levels: ["high"],
  next_review: "2026-12-09",
  review: "due_soon",
  concurrent: false,
  days_overdue: 0,
  ...over,
});

async function show(onOpen: (id: string) => void = () => undefined, onForbidden?: () => void) {
  const el = document.createElement("div");
  document.body.appendChild(el);
  await act(async () => {
    render(<ReviewsDue t={t} lang="es" visible onOpen={onOpen} onForbidden={onForbidden} />, el);
  });
  await act(async () => {
    await tick();
  });
  return el;
}

describe("the reviews due", () => {
  beforeEach(() => {
    calls.length = 0;
    due = [
      row({ case_id: "c3", reference: "GT-K7M3Q-2026-0003", pseudonym: "V2", next_review: "2026-12-10" }),
      row({ case_id: "c2", reference: "GT-K7M3Q-2026-0002", pseudonym: "V1", levels: ["medium"], next_review: "2026-12-06", review: "due_today" }),
      row({ case_id: "c1", pseudonym: "V1", levels: ["critical", "low"], concurrent: true, next_review: "2026-11-27", review: "overdue", days_overdue: 9 }),
      row({ case_id: "c9", reference: undefined, pseudonym: "V3", levels: ["low"], next_review: "2026-12-01", review: "overdue", days_overdue: 5 }),
    ];
  });

  it("lists the week's reviews, overdue first, then today, then this week, with levels, dates and days overdue", async () => {
    const el = await show();
    expect(calls).toEqual([
      ["requests", [{}]],
      ["risksDue", [7]],
    ]);
    expect(el.querySelector("h2")?.textContent).toBe("Revisiones de riesgo pendientes");
    const rows = [...el.querySelectorAll<HTMLTableRowElement>('[data-testid="review-row"]')];
    expect(rows.map((r) => [r.dataset.caseId, r.dataset.pseudonym, r.dataset.state])).toEqual([
      ["c1", "V1", "overdue"],
      ["c9", "V3", "overdue"],
      ["c2", "V1", "due_today"],
      ["c3", "V2", "due_soon"],
    ]);
    const cells = (r: HTMLTableRowElement) => [...r.cells].map((c) => c.textContent);
    expect(cells(rows[0])).toEqual([
      "GT-K7M3Q-2026-0001",
      "V1",
      "Riesgo: CríticoRiesgo: Bajo2 evaluaciones hechas por separado: elija una en el caso",
      "27/11/2026",
      "⚠ Revisión vencida",
      "9",
    ]);
    expect(rows[0].querySelector(".badge.risk-critical")).not.toBeNull();
    expect(rows[0].querySelector('[data-testid="review-concurrent"]')).not.toBeNull();
    expect(cells(rows[1])[0]).toBe("este nodo no guarda el caso");
    expect(cells(rows[2]).slice(2)).toEqual(["Riesgo: Medio", "06/12/2026", "Revisión hoy", "—"]);
    expect(rows[2].querySelector('[data-testid="review-concurrent"]')).toBeNull();
    expect(cells(rows[3]).slice(3)).toEqual(["10/12/2026", "Revisión esta semana", "—"]);
  });

  it("a row opens its case; one this node does not hold opens nothing", async () => {
    const opened: string[] = [];
    const el = await show((id) => opened.push(id));
    const rows = [...el.querySelectorAll<HTMLTableRowElement>('[data-testid="review-row"]')];
    act(() => rows[2].click());
    expect(opened).toEqual(["c2"]);
    const open = rows[0].querySelector("button") as HTMLButtonElement;
    expect(open.getAttribute("aria-label")).toBe("Abrir el caso GT-K7M3Q-2026-0001 (víctima V1)");
    act(() => open.click());
    expect(opened).toEqual(["c2", "c1"]);
    act(() => rows[1].click());
    expect(rows[1].querySelector("button")).toBeNull();
    expect(opened).toEqual(["c2", "c1"]);
  });

  it("says when none is due", async () => {
    due = [];
    const el = await show();
    expect(el.querySelector("#reviews-none")?.textContent).toBe("Ninguna revisión de riesgo vencida ni para los próximos 7 días.");
    expect(el.querySelector("#reviews-table")).toBeNull();
  });

  it("a refusal withdraws the view; another failure is said", async () => {
    due = { code: "forbidden", message: "Su función no permite ver evaluaciones de riesgo.", issues: [], candidates: [] };
    const refused: string[] = [];
    let el = await show(undefined, () => refused.push("refused"));
    expect(refused).toEqual(["refused"]);
    expect(el.querySelector("#reviews-error")).toBeNull();
    due = { code: "storage", message: "No se pudo leer la base de datos.", issues: [], candidates: [] };
    el = await show(undefined, () => refused.push("refused"));
    expect(refused).toEqual(["refused"]);
    expect(el.querySelector("#reviews-error")?.textContent).toBe("No se pudo leer la base de datos.");
  });

  it("sorts by where the review stands, then by its day", () => {
    const sorted = sortDue([
      row({ pseudonym: "A", review: "due_soon", next_review: "2026-12-08" }),
      row({ pseudonym: "B", review: "overdue", next_review: "2026-12-01" }),
      row({ pseudonym: "C", review: "overdue", next_review: "2026-11-20" }),
      row({ pseudonym: "D", review: "due_today", next_review: "2026-12-06" }),
    ]);
    expect(sorted.map((r) => r.pseudonym)).toEqual(["C", "B", "D", "A"]);
  });
});

const request = (over: Partial<RequestView> & { due?: string | null; subject?: string }): RequestView => {
  const { due = "2026-12-20", subject = "Registros bancarios", ...rest } = over;
  const toUs = (rest.side ?? "to_us") === "to_us";
  return {
    case_id: "c1",
    reference: "HN-P4X2Z-2026-0001",
    request: { id: "r1", kind: "mutual_legal_assistance", from: toUs ? "HN" : "GT", to: toUs ? "GT" : "MX", subject, status: "sent", sent: "2026-11-01", due },
    answers: [],
    side: "to_us",
    overdue: false,
    days_overdue: 0,
    ...rest,
  };
};

describe("the requests pending", () => {
  beforeEach(() => {
    calls.length = 0;
    due = [];
    // As the core sorts them: overdue first, then by deadline.
    pending = [
      request({ case_id: "c5", reference: "GT-K7M3Q-2026-0005", side: "from_us", overdue: true, days_overdue: 12, due: "2026-11-24" }),
      request({ case_id: "c3", reference: "HN-P4X2Z-2026-0003", overdue: true, days_overdue: 4, due: "2026-12-02" }),
      request({ case_id: "c6", reference: "GT-K7M3Q-2026-0006", side: "from_us", due: "2026-12-10" }),
      request({ case_id: "c1", due: "2026-12-20", latest: "acknowledged" }),
      request({ case_id: "c7", reference: "SV-R2D2X-2026-0007", latest: "answered", due: "2026-12-01" }),
      request({ case_id: "c4", reference: "HN-P4X2Z-2026-0004", overdue: true, days_overdue: 9, due: "2026-11-27", subject: "Declaración de la víctima" }),
    ];
  });

  it("lists those addressed to this country first, overdue on top, then those it made; answered ones left out", async () => {
    const el = await show();
    const section = el.querySelector('[data-testid="pending-requests"]') as HTMLElement;
    expect(section.querySelector("h2")?.textContent).toBe("Solicitudes pendientes");
    const rows = [...section.querySelectorAll<HTMLTableRowElement>('[data-testid="pending-request-row"]')];
    expect(rows.map((r) => [r.dataset.caseId, r.dataset.side])).toEqual([
      ["c4", "to_us"],
      ["c3", "to_us"],
      ["c1", "to_us"],
      ["c5", "from_us"],
      ["c6", "from_us"],
    ]);
    const cells = (r: HTMLTableRowElement) => [...r.cells].map((c) => c.textContent);
    expect(cells(rows[0])).toEqual([
      "HN-P4X2Z-2026-0004",
      "Asistencia judicial recíproca (comisión rogatoria)",
      "Honduras → Guatemala",
      "Declaración de la víctima",
      "27/11/2026",
      "⚠ Plazo vencido hace 9 días",
      "9",
    ]);
    expect(cells(rows[2]).slice(4)).toEqual(["20/12/2026", "Acusa recibo", "—"]);
    expect(cells(rows[4]).slice(2)).toEqual(["Guatemala → México", "Registros bancarios", "10/12/2026", "Enviada", "—"]);
    // Each group under its heading.
    expect([...section.querySelectorAll("tbody th")].map((h) => h.textContent)).toEqual([
      "Dirigidas a este país: las responde este país",
      "Pedidas por este país: las responde el país requerido",
    ]);
  });

  it("a row opens its case", async () => {
    const opened: string[] = [];
    const el = await show((id) => opened.push(id));
    const rows = [...el.querySelectorAll<HTMLTableRowElement>('[data-testid="pending-request-row"]')];
    act(() => rows[3].click());
    const open = rows[0].querySelector("button") as HTMLButtonElement;
    expect(open.getAttribute("aria-label")).toBe("Abrir el caso HN-P4X2Z-2026-0004 (solicitud: Declaración de la víctima)");
    act(() => open.click());
    expect(opened).toEqual(["c5", "c4"]);
  });

  it("says when none is pending, and a failure to read them withdraws nothing", async () => {
    pending = [request({ latest: "refused" })];
    let el = await show();
    expect(el.querySelector("#pending-requests-none")?.textContent).toBe("Ninguna solicitud pendiente.");
    pending = { code: "storage", message: "No se pudo leer la base de datos.", issues: [], candidates: [] };
    const refused: string[] = [];
    el = await show(undefined, () => refused.push("refused"));
    expect(el.querySelector("#pending-requests-error")?.textContent).toBe("No se pudo leer la base de datos.");
    expect(refused).toEqual([]);
    expect(el.querySelector("#reviews-none")).not.toBeNull();
  });
});
