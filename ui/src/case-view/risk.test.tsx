// Victims' risk in the case view: the current level, where its review
// stands (overdue marked), assessments made apart side by side to choose
// from, the earlier ones, and the form of a first assessment or a review.
import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { IpcError } from "../bindings/IpcError";
import type { RiskEntry } from "../bindings/RiskEntry";
import type { VictimRisk } from "../bindings/VictimRisk";
import { showDate } from "../format";
import { translate } from "../i18n";
import { addDays, daysBetween, defaultReview, todayIso } from "../risk-fields";

const calls: Array<[string, unknown[]]> = [];
// What risk_list answers (or a refusal), and what the next record or choice answers.
let listed: VictimRisk[] | IpcError = [];
let answer: VictimRisk | IpcError;
vi.mock("../api", () => {
  const reply =
    (name: string, result: () => unknown) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      const r = result();
      return r && typeof r === "object" && "code" in r ? Promise.reject(r) : Promise.resolve(r);
    };
  return {
    api: {
      riskList: reply("riskList", () => listed),
      riskRecord: reply("riskRecord", () => answer),
      riskChoose: reply("riskChoose", () => answer),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { RiskSection } from "./risk";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

const entry = (over: Partial<RiskEntry>): RiskEntry => ({
  id: "e1",
  assessed_on: "2026-11-20",
  assessor: "Inspectora Núñez (PNC)",
  by: "GT-K7M3Q/José Núñez Ávila",
  recorded_at: "2026-11-20T15:00:00Z",
  level: "critical",
  threats: ["traffickers_know_location", "to_family"],
  measures_taken: "Albergue de alta seguridad",
  measures_needed: "Custodia policial en las audiencias",
  next_review: "2026-11-27",
  reviews: [],
  notes: "",
  ...over,
});

const victim = (over: Partial<VictimRisk>): VictimRisk => ({
  case_id: "c2",
  reference: "GT-K7M3Q-2026-0002",
  pseudonym: "V1",
  current: [],
  history: [],
  concurrent: false,
  next_review: null,
  ...over,
});

async function show(editable = true, onChanged?: () => void) {
  const el = document.createElement("div");
  // In the document: checkboxes toggle when clicked.
  document.body.appendChild(el);
  await act(async () => {
    render(<RiskSection t={t} caseId="c2" editable={editable} version={0} onChanged={onChanged} />, el);
  });
  // The list is asked for once the section is on screen; its answer (or refusal) shown.
  await act(async () => {
    await tick();
  });
  return el;
}
const click = async (el: Element | null | undefined) =>
  act(async () => {
    (el as HTMLElement).click();
    await tick();
  });
const pick = async (el: HTMLElement, selector: string, value: string, event = "change") =>
  act(async () => {
    const f = el.querySelector(selector) as HTMLInputElement;
    f.value = value;
    f.dispatchEvent(new Event(event, { bubbles: true }));
  });
// The form sent as its button would (the section is not in a document here).
const send = async (el: HTMLElement) =>
  act(async () => {
    el.querySelector("#risk-form")?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await tick();
  });

describe("victims' risk in the case view", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("shows a critical assessment whose review is overdue, marked, with who assessed it, the threats, the measures and the earlier ones", async () => {
    const earlier = entry({ id: "e0", assessed_on: "2026-11-01", level: "high", threats: [], measures_taken: "", measures_needed: "Albergue", next_review: "2026-11-15" });
    // Due three days ago.
    const due = addDays(todayIso(), -3);
    const now = entry({ reviews: ["e0"], next_review: due });
    listed = [
      victim({ current: [now], history: [now, earlier], next_review: due, review: "overdue" }),
      victim({ pseudonym: "V2" }),
    ];
    const el = await show();
    expect(calls).toEqual([["riskList", ["c2"]]]);
    expect(el.querySelector("#risk h3")?.textContent).toBe("Riesgo de las víctimas");
    const v1 = el.querySelector('[data-testid="risk-V1"]') as HTMLElement;
    expect(v1.getAttribute("data-review")).toBe("overdue");
    // The level in words as well as in colour.
    const badge = v1.querySelector(".risk-victim-head .badge.risk-critical");
    expect(badge?.textContent).toBe("Riesgo: Crítico");
    const state = v1.querySelector('[data-testid="risk-review-state"]');
    expect(state?.getAttribute("data-state")).toBe("overdue");
    expect(state?.textContent).toBe("⚠ Revisión vencida");
    const overdue = v1.querySelector('[data-testid="risk-overdue"]');
    expect(overdue?.getAttribute("role")).toBe("alert");
    expect(overdue?.textContent).toContain("⚠");
    expect(overdue?.textContent).toBe(`⚠ La revisión del riesgo de V1 venció el ${showDate(due)} (hace 3 días). Revise su riesgo cuanto antes.`);
    expect(daysBetween(due, todayIso())).toBe(3);

    const current = v1.querySelector(':scope > [data-testid="risk-entry"]') as HTMLElement;
    expect(current.getAttribute("data-id")).toBe("e1");
    expect(current.textContent).toContain("Evaluado el 20/11/2026 por Inspectora Núñez (PNC)");
    expect([...current.querySelectorAll(".risk-threats li")].map((l) => l.textContent)).toEqual(["Amenazas a la familia", "Los tratantes saben dónde está"]);
    expect(current.querySelector('[data-field="measures_taken"] dd')?.textContent).toBe("Albergue de alta seguridad");
    expect(current.querySelector('[data-field="measures_needed"] dd')?.textContent).toBe("Custodia policial en las audiencias");
    expect(current.querySelector('[data-field="next_review"] dd')?.textContent).toBe(showDate(due));
    expect(current.textContent).toContain("Registrado por GT-K7M3Q/José Núñez Ávila");

    // The earlier assessment, folded away.
    const history = v1.querySelector('[data-testid="risk-history"]') as HTMLDetailsElement;
    expect(history.open).toBe(false);
    expect(history.querySelector("summary")?.textContent).toBe("Evaluaciones anteriores (1)");
    expect(history.querySelector('[data-testid="risk-entry"]')?.getAttribute("data-id")).toBe("e0");
    expect(history.querySelector(".badge.risk-high")?.textContent).toBe("Riesgo: Alto");
    expect(history.textContent).toContain("Ninguno anotado");

    // A victim not assessed yet says so, and is offered the first assessment.
    const v2 = el.querySelector('[data-testid="risk-V2"]') as HTMLElement;
    expect(v2.textContent).toContain("Sin evaluación de riesgo.");
    expect(v2.querySelector('[data-testid="risk-review-state"]')).toBeNull();
    expect(v2.querySelector('[data-testid="risk-new"]')?.textContent).toBe("Registrar la primera evaluación");
    expect(v1.querySelector('[data-testid="risk-new"]')?.textContent).toBe("Registrar una revisión");
  });

  it("shows assessments made apart side by side, says so, and records the one chosen", async () => {
    const a = entry({ id: "a1", level: "high", assessor: "Lic. Pérez (PGN)", assessed_on: "2026-12-01", next_review: "2026-12-15" });
    const b = entry({ id: "b2", level: "medium", assessor: "Trabajadora social (albergue)", assessed_on: "2026-11-30", next_review: "2026-12-30" });
    listed = [victim({ current: [a, b], history: [a, b], concurrent: true, next_review: "2026-12-15", review: "scheduled" })];
    const changed: string[] = [];
    const el = await show(true, () => changed.push("changed"));
    const v1 = el.querySelector('[data-testid="risk-V1"]') as HTMLElement;
    // No level is shown as the victim's: neither was picked.
    expect(v1.querySelector(".risk-victim-head .risk-level")).toBeNull();
    expect(v1.querySelector(".risk-victim-head")?.textContent).toContain("2 evaluaciones hechas por separado");
    const box = v1.querySelector('[data-testid="risk-concurrent"]') as HTMLElement;
    expect(box.textContent).toContain("se hicieron por separado, en distintos nodos");
    expect(box.textContent).toContain("La aplicación no elige ninguna por su cuenta");
    const side = [...box.querySelectorAll('[data-testid="risk-entry"]')];
    expect(side.map((e) => e.getAttribute("data-id"))).toEqual(["a1", "b2"]);
    expect(side[0].querySelector(".badge")?.textContent).toBe("Riesgo: Alto");
    expect(side[1].querySelector(".badge")?.textContent).toBe("Riesgo: Medio");
    const buttons = [...box.querySelectorAll<HTMLButtonElement>('[data-testid="risk-choose"]')];
    expect(buttons.map((b) => b.textContent)).toEqual(["Elegir esta", "Elegir esta"]);
    expect(buttons[1].getAttribute("aria-label")).toBe("Elegir la evaluación de Trabajadora social (albergue) del 30/11/2026 (riesgo Medio)");
    // Both are current: neither is among the earlier ones.
    expect(v1.querySelector('[data-testid="risk-history"]')).toBeNull();
    expect(calls.some(([n]) => n === "riskChoose")).toBe(false);

    const chosen = entry({ id: "c3", level: "medium", assessor: b.assessor, reviews: ["a1", "b2"], chosen: "b2", assessed_on: "2026-12-02", next_review: "2026-12-30" });
    answer = victim({ current: [chosen], history: [chosen, a, b], next_review: "2026-12-30", review: "scheduled" });
    await click(buttons[1]);
    expect(calls.find(([n]) => n === "riskChoose")?.[1]).toEqual(["c2", "V1", "b2"]);
    expect(changed).toEqual(["changed"]);
    const after = el.querySelector('[data-testid="risk-V1"]') as HTMLElement;
    expect(after.querySelector('[data-testid="risk-concurrent"]')).toBeNull();
    expect(after.querySelector(".risk-victim-head .badge.risk-medium")?.textContent).toBe("Riesgo: Medio");
    expect(after.querySelector(':scope > [data-testid="risk-entry"]')?.textContent).toContain("elegida entre evaluaciones hechas por separado");
    expect(after.querySelector('[data-testid="risk-history"] summary')?.textContent).toBe("Evaluaciones anteriores (2)");
    expect(el.querySelector("#risk-done")?.textContent).toContain("Elegida la evaluación de Trabajadora social (albergue) del 30/11/2026");
  });

  it("a review sends what the form says; an empty next review goes as null, and the day that will apply is shown", async () => {
    const now = entry({ level: "medium", threats: ["to_family"], measures_taken: "Albergue", measures_needed: "" });
    listed = [victim({ current: [now], history: [now], next_review: "2026-11-27", review: "overdue" })];
    const el = await show();
    await click(el.querySelector('[data-testid="risk-V1"] [data-testid="risk-new"]'));
    const form = el.querySelector('[data-testid="risk-form"]') as HTMLFormElement;
    expect(form.querySelector("h4")?.textContent).toBe("Revisión del riesgo de V1");
    // Assessed today by default; the threats and measures of the assessment reviewed offered again.
    expect((form.querySelector("#risk-assessed-on") as HTMLInputElement).value).toBe(todayIso());
    expect((form.querySelector('[data-testid="risk-threat-to_family"]') as HTMLInputElement).checked).toBe(true);
    expect((form.querySelector("#risk-measures-taken") as HTMLTextAreaElement).value).toBe("Albergue");
    expect(form.querySelector('[data-testid="risk-next-review-default"]')?.textContent).toContain("crítico a los 7 días de la evaluación, alto a los 14, medio a los 30, bajo a los 90");
    expect([...(form.querySelector("#risk-level") as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(["Elija…", "Bajo", "Medio", "Alto", "Crítico"]);

    await pick(el, "#risk-assessed-on", "2026-12-01", "input");
    await pick(el, "#risk-level", "critical");
    expect(el.querySelector('[data-testid="risk-next-review-default"]')?.textContent).toBe(
      "Vacía: se revisará el 08/12/2026 (nivel Crítico: 7 días después de la evaluación).",
    );
    await pick(el, "#risk-level", "high");
    expect(el.querySelector('[data-testid="risk-next-review-default"]')?.textContent).toContain("el 15/12/2026 (nivel Alto: 14 días");
    await pick(el, "#risk-assessor", "  Lic. Marta Pérez, PGN ", "input");
    await click(el.querySelector('[data-testid="risk-threat-victim_is_witness"]'));
    await click(el.querySelector('[data-testid="risk-threat-to_victim"]'));
    await pick(el, "#risk-measures-needed", "Traslado a otro albergue ", "input");
    await pick(el, "#risk-notes", "Entrevista en el albergue", "input");
    answer = victim({ current: [entry({ id: "e2", level: "high", next_review: "2026-12-15", reviews: ["e1"] })], history: [], next_review: "2026-12-15", review: "scheduled" });
    await send(el);
    expect(calls.find(([n]) => n === "riskRecord")?.[1]).toEqual([
      "c2",
      {
        pseudonym: "V1",
        assessed_on: "2026-12-01",
        assessor: "Lic. Marta Pérez, PGN",
        level: "high",
        // In the catalogue's order, whatever the order they were ticked in.
        threats: ["to_victim", "to_family", "victim_is_witness"],
        measures_taken: "Albergue",
        measures_needed: "Traslado a otro albergue",
        next_review: null,
        notes: "Entrevista en el albergue",
      },
      true,
    ]);
    expect(el.querySelector('[data-testid="risk-form"]')).toBeNull();
    expect(el.querySelector("#risk-done")?.textContent).toBe("Evaluación de V1 registrada: próxima revisión el 15/12/2026.");
    expect(el.querySelector('[data-testid="risk-V1"] [data-testid="risk-review-state"]')?.getAttribute("data-state")).toBe("scheduled");
  });

  it("a first assessment is no review; a next review given is sent as given", async () => {
    listed = [victim({})];
    const el = await show();
    await click(el.querySelector('[data-testid="risk-new"]'));
    expect(el.querySelector('[data-testid="risk-form"] h4')?.textContent).toBe("Primera evaluación de riesgo de V1");
    await pick(el, "#risk-level", "low");
    const today = todayIso();
    expect(el.querySelector('[data-testid="risk-next-review-default"]')?.textContent).toContain(`(nivel Bajo: 90 días`);
    expect(defaultReview("low", today)).toBe(addDays(today, 90));
    await pick(el, "#risk-assessor", "Oficial Rivera", "input");
    await pick(el, "#risk-next-review", "2027-01-10", "input");
    answer = victim({ current: [entry({ level: "low", next_review: "2027-01-10" })], next_review: "2027-01-10", review: "scheduled" });
    await send(el);
    const [, args] = calls.find(([n]) => n === "riskRecord") ?? [];
    expect(args).toEqual([
      "c2",
      { pseudonym: "V1", assessed_on: today, assessor: "Oficial Rivera", level: "low", threats: [], measures_taken: "", measures_needed: "", next_review: "2027-01-10", notes: "" },
      false,
    ]);
  });

  it("says what is missing before sending, and the field the core refused after", async () => {
    listed = [victim({})];
    const el = await show();
    await click(el.querySelector('[data-testid="risk-new"]'));
    await send(el);
    expect(calls.some(([n]) => n === "riskRecord")).toBe(false);
    const missing = [...el.querySelectorAll("#risk-form .field-error")].map((e) => [e.getAttribute("data-path"), e.textContent]);
    expect(missing).toEqual([
      ["assessor", "Evaluado por (nombre y función): este texto es obligatorio."],
      ["level", "Elija el nivel de riesgo."],
    ]);
    // A grave risk without measures is warned of (the core records it anyway).
    await pick(el, "#risk-level", "critical");
    expect(el.querySelector('[data-testid="risk-no-measures"]')?.textContent).toContain("un riesgo alto o crítico sin medidas de protección");
    await pick(el, "#risk-assessor", "Oficial Rivera", "input");
    await pick(el, "#risk-assessed-on", "2026-12-10", "input");
    await pick(el, "#risk-next-review", "2026-12-01", "input");
    answer = {
      code: "invalid_input",
      message: "La evaluación no es válida.",
      issues: [{ path: "next_review", code: "val-risk-review-before-assessment", severity: "error", args: [["date", "2026-12-01"], ["assessed", "2026-12-10"]] }],
      candidates: [],
    };
    await send(el);
    expect(calls.filter(([n]) => n === "riskRecord").length).toBe(1);
    expect(el.querySelector('[data-testid="risk-form"]')).not.toBeNull();
    expect(el.querySelector('.field-error[data-path="next_review"]')?.textContent).toBe(
      "Próxima revisión: la próxima revisión (2026-12-01) es anterior a la evaluación (2026-12-10); elija una fecha igual o posterior.",
    );
    expect(el.querySelector("#risk-next-review")?.getAttribute("aria-invalid")).toBe("true");
    expect(el.querySelector("#risk-form-error")?.textContent).toBe("La evaluación no es válida.");
  });

  it("is read only where the case may not be changed: no form, no choice", async () => {
    const a = entry({ id: "a1" });
    const b = entry({ id: "b2", level: "low" });
    listed = [victim({ current: [a, b], history: [a, b], concurrent: true, review: "due_soon", next_review: "2026-11-27" })];
    const el = await show(false);
    expect(el.querySelectorAll('[data-testid="risk-concurrent"] [data-testid="risk-entry"]').length).toBe(2);
    expect(el.querySelector('[data-testid="risk-choose"]')).toBeNull();
    expect(el.querySelector('[data-testid="risk-new"]')).toBeNull();
    expect(el.querySelector('[data-testid="risk-review-state"]')?.textContent).toBe("Revisión esta semana");
  });

  it("is not shown at all to a role the core refuses risk assessments to, nor for a case without victims", async () => {
    listed = { code: "forbidden", message: "Su función no permite ver evaluaciones de riesgo.", issues: [], candidates: [] };
    let el = await show();
    expect(el.querySelector("#risk")).toBeNull();
    expect(el.textContent).toBe("");
    listed = [];
    el = await show();
    expect(el.querySelector("#risk")).toBeNull();
  });

  it("says any other failure to read them", async () => {
    listed = { code: "storage", message: "No se pudo leer la base de datos.", issues: [], candidates: [] };
    const el = await show();
    expect(el.querySelector("#risk-error")?.textContent).toBe("No se pudo leer la base de datos.");
  });
});
