// Tasks as the plan screens use them: titles and scopes in words, the
// timeline's time scale, a new task's defaults and the patch autosave sends.
import type { TaskPatch } from "../api";
import type { Lang } from "../bindings/Lang";
import type { PlanTask } from "../bindings/PlanTask";
import type { TaskInput } from "../bindings/TaskInput";
import { countryName, type T } from "../i18n";

export const DAY = 86_400_000;

/** The title in the user's language, falling back to the other one. */
export function titleOf(t: PlanTask, lang: Lang): string {
  const first = lang === "en" ? t.title.en : t.title.es;
  return first.trim() ? first : lang === "en" ? t.title.es : t.title.en;
}

export function scopeName(lang: Lang, t: T, country?: string | null): string {
  return country ? countryName(lang, country) : t("ui-plan-regional");
}

/** Time scale of the timeline: the days covered, padded to whole months. */
export function timeRange(tasks: PlanTask[], today: string): { from: number; to: number } {
  const times = tasks.flatMap((t) => [Date.parse(t.start ?? t.due), Date.parse(t.due)]).concat([Date.parse(today)]);
  const min = new Date(Math.min(...times));
  const max = new Date(Math.max(...times));
  const from = Date.UTC(min.getUTCFullYear(), min.getUTCMonth(), 1);
  const to = Date.UTC(max.getUTCFullYear(), max.getUTCMonth() + 1, 1);
  return { from, to };
}

export function emptyInput(ownCountry: string): TaskInput {
  return {
    code: "",
    component: "cooperation",
    output: "",
    title: { es: "", en: "" },
    description: { es: "", en: "" },
    country: ownCountry,
    agency: "",
    responsible: "",
    start: null,
    due: "",
    status: "not_started",
    progress: 0,
    indicators: [],
    depends_on: [],
    kind: "task",
    participants: [],
    notes: "",
    demo: false,
  };
}

/** What the editor sends on autosave: every field a user can change. */
export function taskPatch(d: PlanTask): TaskPatch {
  return {
    code: d.code,
    component: d.component,
    output: d.output,
    title: d.title,
    description: d.description,
    agency: d.agency,
    responsible: d.responsible,
    start: d.start || null,
    due: d.due,
    status: d.status,
    progress: d.progress,
    indicators: d.indicators,
    depends_on: d.depends_on,
    kind: d.kind,
    participants: d.kind === "workshop" ? d.participants : [],
    notes: d.notes,
  };
}

export type Draft = TaskInput & { id?: string };
