import { describe, expect, it } from "vitest";
import { taskPatch, timeRange, titleOf } from "./model";
import { hasKey } from "../i18n";
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
