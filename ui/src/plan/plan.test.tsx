import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

/** Calls to the shell, with the (fake) time they were made at. */
const calls: Array<[number, string, unknown[]]> = [];
let t0 = 0;
vi.mock("../api", () => {
  const rec =
    (name: string, result: unknown = {}) =>
    (...a: unknown[]) => {
      calls.push([Date.now() - t0, name, a]);
      return Promise.resolve(result);
    };
  return {
    api: { updateTask: rec("updateTask", { heads: ["after"] }), createTask: rec("createTask", { id: "new" }), taskChanges: rec("taskChanges", []), chooseTaskValue: rec("chooseTaskValue") },
    asIpcError: (e: unknown) => e,
  };
});
import { taskPatch, timeRange, titleOf } from "./model";
import { hasKey, translate } from "../i18n";
import { TaskEditor } from "./task-editor";
import { COMPONENTS, SECTORS, TASK_KINDS, TASK_STATUSES } from "../bindings/vocabulary";
import type { PlanTask } from "../bindings/PlanTask";

const task = (over: Partial<PlanTask>): PlanTask => ({
  id: "a",
  code: "1.3.1",
  component: "cooperation",
  output: "1.3 Marco jurídico armonizado",
  title: { es: "Evaluación legal", en: "" },
  description: { es: "", en: "" },
  agency: "Ministerio Público",
  responsible: "José Núñez Ávila",
  start: "2026-02-10",
  due: "2026-06-30",
  status: "in_progress",
  progress: 40,
  indicators: [],
  depends_on: [],
  kind: "task",
  participants: [{ sector: "police", count: 3 }],
  notes: "",
  owner: { country: "GT", node: "n" },
  audience: { scope: "national" },
  demo: false,
  ...over,
});

describe("plan", () => {
  it("falls back to the other language for a missing title", () => {
    expect(titleOf(task({}), "en")).toBe("Evaluación legal");
    expect(titleOf(task({ title: { es: "Taller", en: "Workshop" } }), "en")).toBe("Workshop");
  });

  it("the timeline spans whole months around every task and today", () => {
    const r = timeRange([task({}), task({ start: null, due: "2027-01-15" })], "2026-11-27");
    expect(new Date(r.from).toISOString().slice(0, 10)).toBe("2026-02-01");
    expect(new Date(r.to).toISOString().slice(0, 10)).toBe("2027-02-01");
  });

  it("the autosave patch leaves the scope alone and drops participants of a non-workshop", () => {
    const p = taskPatch(task({ start: "" }));
    expect("country" in p || "owner" in p || "id" in p || "audience" in p).toBe(false);
    expect(p.participants).toEqual([]);
    expect(p.start).toBeNull();
    expect(taskPatch(task({ kind: "workshop" })).participants).toHaveLength(1);
  });

  it("every component, status, kind, sector and task field has labels in both languages", () => {
    const fields = ["id", "code", "component", "output", "title", "description", "country", "agency", "responsible", "start", "due", "status", "progress", "indicators", "depends_on", "kind", "participants", "notes", "owner", "audience", "demo"];
    const keys = [
      ...fields.map((f) => `ui-plan-field-${f}`),
      ...COMPONENTS.map((c) => `component-${c}`),
      ...TASK_STATUSES.map((s) => `task-status-${s}`),
      ...TASK_KINDS.map((k) => `task-kind-${k}`),
      ...SECTORS.map((s) => `sector-${s}`),
    ];
    for (const k of keys) {
      expect(hasKey("es", k), k).toBe(true);
      expect(hasKey("en", k), k).toBe(true);
    }
  });
});

describe("task editor autosave", () => {
  const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
  const pass = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
  const typeIn = (el: HTMLElement, sel: string, text: string) =>
    act(() => {
      const e = el.querySelector(sel) as HTMLInputElement;
      e.value = text;
      e.dispatchEvent(new Event("input", { bubbles: true }));
    });
  afterEach(() => {
    vi.useRealTimers();
    calls.length = 0;
  });

  it("saves a task 700 ms after the last edit, and at once when the editor closes", async () => {
    vi.useFakeTimers();
    t0 = Date.now();
    const row = { task: task({}), conflicts: [], overdue: false, waiting_for: [], editable: true, updated_at: "", heads: ["h1"] };
    const el = document.createElement("div");
    const onSaved = vi.fn();
    await act(() => render(<TaskEditor t={t} lang="es" row={row} all={[row]} ownCountry="GT" outputs={[]} onClose={() => {}} onSaved={onSaved} />, el));
    await typeIn(el, "#task-notes", "Sede");
    await pass(300);
    await typeIn(el, "#task-notes", "Sede confirmada");
    await pass(699);
    expect(calls).toEqual([]);
    await pass(1);
    expect(calls.map(([at, n, a]) => [at, n, a[0], (a[1] as { notes: string }).notes])).toEqual([[1000, "updateTask", "a", "Sede confirmada"]]);
    expect(el.querySelector("#task-save-state")?.textContent).toBe("✓ Guardado en este equipo");
    expect(onSaved).toHaveBeenCalledTimes(1);

    await typeIn(el, "#task-notes", "Sede confirmada en Quetzaltenango");
    await pass(100);
    await act(() => render(null, el));
    expect(calls.map(([at, , a]) => [at, (a[1] as { notes: string }).notes])).toEqual([
      [1000, "Sede confirmada"],
      [1100, "Sede confirmada en Quetzaltenango"],
    ]);
    // Made on what the editor read: the task's heads, then the last save's.
    expect(calls.map(([, , a]) => a[2])).toEqual([["h1"], ["after"]]);
    await pass(2000);
    expect(calls.length).toBe(2);
  });

  it("shows values two nodes gave a field apart, and records the one chosen", async () => {
    t0 = Date.now();
    const conflicts = [{ item: "", field: "status", values: ["done", "blocked"] }];
    const row = { task: task({ status: "done" }), conflicts, overdue: false, waiting_for: [], editable: true, updated_at: "", heads: ["h1"] };
    const el = document.createElement("div");
    const onSaved = vi.fn();
    await act(() => render(<TaskEditor t={t} lang="es" row={row} all={[row]} ownCountry="GT" outputs={[]} onClose={() => {}} onSaved={onSaved} />, el));
    const box = el.querySelector("#task-conflict-status");
    expect(box?.textContent).toContain("Bloqueada");
    expect(box?.textContent).toContain("Terminada");
    const buttons = box?.querySelectorAll("button") ?? [];
    expect(buttons.length).toBe(2);
    await act(async () => {
      (buttons[1] as HTMLButtonElement).click();
      await Promise.resolve();
    });
    expect(calls.map(([, n, a]) => [n, ...a])).toEqual([["chooseTaskValue", "a", "status", "blocked"]]);
    expect(onSaved).toHaveBeenCalled();
    // Another country's task: the values are shown, nobody here chooses.
    const foreign = { ...row, editable: false };
    await act(() => render(<TaskEditor t={t} lang="es" row={foreign} all={[foreign]} ownCountry="GT" outputs={[]} onClose={() => {}} onSaved={onSaved} />, el));
    expect(el.querySelector("#task-conflict-status button")).toBeNull();
  });

  it("a new task is not autosaved, only created", async () => {
    vi.useFakeTimers();
    t0 = Date.now();
    const el = document.createElement("div");
    const onSaved = vi.fn();
    await act(() => render(<TaskEditor t={t} lang="es" row={null} all={[]} ownCountry="GT" outputs={[]} onClose={() => {}} onSaved={onSaved} />, el));
    await typeIn(el, "#task-title-es", "Reunión con fiscales");
    await pass(2000);
    expect(el.querySelector("#task-save-state")?.textContent).toBe("");
    expect(calls).toEqual([]);
    await act(() => (el.querySelector("#task-create") as HTMLButtonElement).click());
    await pass(0);
    expect(calls.map(([, n]) => n)).toEqual(["createTask"]);
    expect(onSaved).toHaveBeenCalledWith("new");
    await act(() => render(null, el));
    await pass(2000);
    expect(calls.length).toBe(1);
  });
});
