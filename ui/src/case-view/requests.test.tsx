// Requests between states in the case view: where each stands, an overdue
// one marked, the requested country's answers as a timeline, and (on a
// request addressed to this country) the four answers, whose text the core
// may refuse next to the field.
import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { IpcError } from "../bindings/IpcError";
import type { RequestAnswer } from "../bindings/RequestAnswer";
import type { RequestView } from "../bindings/RequestView";
import { translate } from "../i18n";

const calls: Array<[string, unknown[]]> = [];
// What case_requests answers, and what the next request_answer answers (or its refusal).
let listed: RequestView[] = [];
let answer: RequestView | IpcError;
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
      caseRequests: reply("caseRequests", () => listed),
      requestAnswer: reply("requestAnswer", () => answer),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { REQUEST_ACTIONS, RequestsSection, settled, sortPending } from "./requests";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

const request = (over: Partial<RequestView> & { due?: string | null; to?: string; from?: string; subject?: string } = {}): RequestView => {
  const { due = "2026-12-01", to = "GT", from = "HN", subject = "Registros bancarios del reclutador", ...rest } = over;
  return {
    case_id: "c2",
    reference: "HN-P4X2Z-2026-0002",
    request: { id: "r1", kind: "mutual_legal_assistance", from, to, subject, status: "sent", sent: "2026-11-01", answered: null, due },
    answers: [],
    side: "to_us",
    overdue: false,
    days_overdue: 0,
    ...rest,
  };
};

const answered = (over: Partial<RequestAnswer>): RequestAnswer => ({
  id: "a1",
  request: "r1",
  country: "GT",
  action: "acknowledged",
  text: "",
  at: "2026-11-03T15:00:00Z",
  by: "GT-K7M3Q/José Núñez Ávila",
  ...over,
});

async function show(mayAnswer = true, onChanged?: () => void) {
  const el = document.createElement("div");
  // In the document: a form's submit button submits it.
  document.body.appendChild(el);
  await act(async () => {
    render(<RequestsSection t={t} lang="es" caseId="c2" mayAnswer={mayAnswer} version={0} onChanged={onChanged} />, el);
  });
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
const type = async (el: HTMLElement, selector: string, value: string) =>
  act(async () => {
    const f = el.querySelector(selector) as HTMLTextAreaElement;
    f.value = value;
    f.dispatchEvent(new Event("input", { bubbles: true }));
  });
const q = (el: HTMLElement, id: string) => el.querySelector(`[data-testid="${id}"]`);

describe("requests between states in the case view", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("marks an overdue request addressed to this country and offers its four answers", async () => {
    listed = [request({ overdue: true, days_overdue: 5 })];
    const el = await show();
    expect(calls).toEqual([["caseRequests", ["c2"]]]);
    expect(q(el, "requests")?.querySelector("h3")?.textContent).toBe("Solicitudes entre Estados");
    const r = q(el, "request-0") as HTMLElement;
    expect(r.dataset.side).toBe("to_us");
    expect(r.textContent).toContain("Asistencia judicial recíproca (comisión rogatoria)");
    expect(r.textContent).toContain("Honduras → Guatemala");
    expect(r.textContent).toContain("Registros bancarios del reclutador");
    expect(r.textContent).toContain("Enviada");
    expect(r.querySelector(".request-dates")?.textContent).toBe("Enviada: 01/11/2026 · Plazo: 01/12/2026");
    expect(q(r, "request-overdue")?.textContent).toBe("⚠ Plazo vencido hace 5 días");
    expect(REQUEST_ACTIONS.map((a) => q(r, `request-answer-${a}`)?.textContent)).toEqual(["Acusar recibo", "Pedir más información", "Responder", "Denegar"]);
    // No answer yet: said, and no timeline.
    expect(q(r, "request-answers")).toBeNull();
    expect(r.querySelector(".request-no-answers")?.textContent).toBe("Este país aún no ha respondido.");
    expect(q(r, "request-from-us-note")).toBeNull();
  });

  it("refusing without a reason shows the core's refusal next to the text, and keeps the form open", async () => {
    listed = [request({ overdue: true, days_overdue: 5 })];
    answer = {
      code: "invalid_input",
      message: "Datos no válidos:\n  - text: diga por qué (la razón de la denegación o la información que falta).",
      issues: [{ path: "text", code: "val-request-reason-required", severity: "error", args: [] }],
      candidates: [],
    };
    const changed: string[] = [];
    const el = await show(true, () => changed.push("changed"));
    await click(q(el, "request-answer-refused"));
    const form = q(el, "request-answer-form") as HTMLFormElement;
    expect(form.querySelector("h4")?.textContent).toBe("Denegar");
    // The four buttons give way to the form.
    expect(q(el, "request-answer-answered")).toBeNull();
    expect(q(el, "request-answer-text")?.getAttribute("aria-required")).toBe("true");
    await click(q(el, "request-answer-save"));
    expect(calls[calls.length - 1]).toEqual(["requestAnswer", ["c2", "r1", "refused", ""]]);
    const err = q(el, "request-answer-error");
    expect(err?.textContent).toBe("Motivo de la denegación: diga por qué (la razón de la denegación o la información que falta).");
    expect(q(el, "request-answer-text")?.getAttribute("aria-invalid")).toBe("true");
    // Said once, next to the text; the form is still open, nothing was refreshed.
    expect(q(el, "request-answer-failed")).toBeNull();
    expect(q(el, "request-answer-form")).not.toBeNull();
    expect(calls.filter(([n]) => n === "caseRequests")).toHaveLength(1);
    expect(changed).toEqual([]);
  });

  it("another refusal is said under the form, which stays open", async () => {
    listed = [request({})];
    answer = { code: "forbidden", message: "El caso HN-P4X2Z-2026-0002 aún no puede recibir respuestas.", issues: [], candidates: [] };
    const el = await show();
    await click(q(el, "request-answer-acknowledged"));
    await click(q(el, "request-answer-save"));
    expect(q(el, "request-answer-failed")?.textContent).toBe("El caso HN-P4X2Z-2026-0002 aún no puede recibir respuestas.");
    expect(q(el, "request-answer-error")).toBeNull();
    expect(q(el, "request-answer-form")).not.toBeNull();
  });

  it("saves an answer, says when it reaches the requesting country, and reads the requests again", async () => {
    listed = [request({ overdue: true, days_overdue: 5 })];
    const now = request({ answers: [answered({ action: "answered", text: "Oficio 2026-114: registros adjuntos." })], latest: "answered" });
    answer = now;
    const changed: string[] = [];
    const el = await show(true, () => changed.push("changed"));
    await click(q(el, "request-answer-answered"));
    await type(el, '[data-testid="request-answer-text"]', "  Oficio 2026-114: registros adjuntos. ");
    listed = [now];
    await click(q(el, "request-answer-save"));
    expect(calls.find(([n]) => n === "requestAnswer")).toEqual(["requestAnswer", ["c2", "r1", "answered", "Oficio 2026-114: registros adjuntos."]]);
    await act(async () => {
      await tick();
    });
    expect(q(el, "request-answer-form")).toBeNull();
    expect(el.querySelector("#requests-done")?.textContent).toBe("Respuesta registrada: llegará a Honduras con la próxima sincronización.");
    expect(calls.filter(([n]) => n === "caseRequests")).toHaveLength(2);
    expect(changed).toEqual(["changed"]);
    expect(q(el, "request-overdue")).toBeNull();
    expect(q(el, "request-answers")?.textContent).toContain("Oficio 2026-114: registros adjuntos.");
  });

  it("a request this country made offers no answer, says the answers come at the next sync, and shows them as a timeline", async () => {
    listed = [
      request({
        side: "from_us",
        from: "GT",
        to: "MX",
        latest: "more_information",
        answers: [
          answered({ id: "a1", country: "MX", action: "acknowledged", at: "2026-11-03T15:00:00Z", by: "MX-Q8R2T/Lic. Ramírez" }),
          answered({ id: "a2", country: "MX", action: "more_information", text: "Falta la traducción certificada.", at: "2026-11-10T16:30:00Z", by: "MX-Q8R2T/Lic. Ramírez" }),
        ],
      }),
    ];
    const el = await show();
    const r = q(el, "request-0") as HTMLElement;
    expect(r.dataset.side).toBe("from_us");
    for (const a of REQUEST_ACTIONS) expect(q(r, `request-answer-${a}`)).toBeNull();
    expect(q(r, "request-from-us-note")?.textContent).toBe(
      "Las respuestas las da México, el país requerido: llegan a este nodo con la próxima sincronización.",
    );
    const items = [...(q(r, "request-answers") as HTMLElement).querySelectorAll("li")];
    expect(items.map((i) => i.dataset.action)).toEqual(["acknowledged", "more_information"]);
    expect(items[0].textContent).toContain("México");
    expect(items[0].textContent).toContain("Acusa recibo");
    expect(items[1].textContent).toContain("Pide más información");
    expect(items[1].textContent).toContain("Falta la traducción certificada.");
    expect(r.querySelector(".request-latest")?.textContent).toBe("Última respuesta: Pide más información");
  });

  it("a role that may not change cases is offered no answer to a request addressed to this country", async () => {
    listed = [request({ overdue: true, days_overdue: 1 })];
    const el = await show(false);
    expect(q(el, "request-overdue")?.textContent).toBe("⚠ Plazo vencido hace 1 día");
    for (const a of REQUEST_ACTIONS) expect(q(el, `request-answer-${a}`)).toBeNull();
  });

  it("orders the pending ones: to this country first, overdue on top, then those it made; settled ones known", () => {
    const rows = [
      request({ case_id: "a", side: "from_us", overdue: true, days_overdue: 9 }),
      request({ case_id: "b", side: "to_us", due: "2026-12-20" }),
      request({ case_id: "c", side: "to_us", overdue: true, days_overdue: 2 }),
      request({ case_id: "d", side: "to_us", due: null }),
      request({ case_id: "e", side: "to_us", overdue: true, days_overdue: 7 }),
      request({ case_id: "f", side: "from_us", due: "2026-12-24" }),
    ];
    expect(sortPending(rows).map((r) => r.case_id)).toEqual(["e", "c", "b", "d", "a", "f"]);
    expect(settled(request({ latest: "refused" }))).toBe(true);
    expect(settled(request({ latest: "acknowledged" }))).toBe(false);
    expect(settled({ ...request(), request: { ...request().request, status: "withdrawn" } })).toBe(true);
  });
});
