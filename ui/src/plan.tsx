// The Regional Plan of Action: the plan as a tree (component → output →
// task) with roll-ups, a timeline (Gantt) with today's line and
// dependencies, filters, a task editor (autosaved) and the printable status
// sheet.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, asIpcError, type TaskPatch } from "./api";
import type { Component } from "./bindings/Component";
import type { ItemChange } from "./bindings/ItemChange";
import type { IpcError } from "./bindings/IpcError";
import type { Lang } from "./bindings/Lang";
import type { PlanFilter } from "./bindings/PlanFilter";
import type { PlanTask } from "./bindings/PlanTask";
import type { PlanView } from "./bindings/PlanView";
import type { Sector } from "./bindings/Sector";
import type { TaskInput } from "./bindings/TaskInput";
import type { TaskRow } from "./bindings/TaskRow";
import type { TaskStatus } from "./bindings/TaskStatus";
import { COMPONENTS, PARTICIPATING, SECTORS, TASK_KINDS, TASK_STATUSES } from "./bindings/vocabulary";
import { debounce } from "./format";
import { ExportButtons } from "./exports";
import { EnumFilter, Field, SaveStatus, VocabSelect } from "./controls";
import { ChangeList, plainValue } from "./changes";
import { useAutosave } from "./autosave";
import { countryName, labelKey, type T } from "./i18n";

const DAY = 86_400_000;

/** The title in the user's language, falling back to the other one. */
export function titleOf(t: PlanTask, lang: Lang): string {
  const first = lang === "en" ? t.title.en : t.title.es;
  return first.trim() ? first : lang === "en" ? t.title.es : t.title.en;
}

export function scopeName(lang: Lang, t: T, country?: string | null): string {
  return country ? countryName(lang, country) : t("ui-plan-regional");
}

function Bar({ pct, label }: { pct: number; label?: string }) {
  return (
    <span class="pbar" role="img" aria-label={label ?? `${pct} %`} title={label ?? `${pct} %`}>
      <span class="pbar-fill" style={{ width: `${Math.max(0, Math.min(100, pct))}%` }} />
      <span class="pbar-text">{pct} %</span>
    </span>
  );
}

export function Plan({ t, lang, ownCountry, version = 0 }: { t: T; lang: Lang; ownCountry: string; version?: number }) {
  const [filter, setFilter] = useState<PlanFilter>({ overdue_only: false });
  const [view, setView] = useState<PlanView | null>(null);
  const [mode, setMode] = useState<"tree" | "timeline">("tree");
  const [selected, setSelected] = useState<string | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const seq = useRef(0);

  const load = (f: PlanFilter = filter) => {
    const mine = ++seq.current;
    api
      .plan(f)
      .then((v) => {
        if (mine === seq.current) {
          setView(v);
          setError(null);
        }
      })
      .catch((e) => setError(asIpcError(e).message));
  };
  const loadLater = useMemo(() => debounce((f: PlanFilter) => load(f), 200), []);
  useEffect(() => load(filter), [filter.scope, filter.component, filter.status, filter.overdue_only, version]);

  const rows = view?.tasks ?? [];
  const current = rows.find((r) => r.task.id === selected) ?? null;
  const toggle = (key: string) => {
    const next = new Set(collapsed);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setCollapsed(next);
  };

  return (
    <main class="plan">
      <div class="plan-main">
        <div class="plan-toolbar">
          <label>
            <span>{t("ui-plan-scope")}</span>
            <select id="plan-scope" value={filter.scope ?? ""} onChange={(e) => setFilter({ ...filter, scope: e.currentTarget.value || undefined })}>
              <option value="">{t("ui-plan-all")}</option>
              <option value="regional">{t("ui-plan-regional")}</option>
              {PARTICIPATING.map((c) => (
                <option key={c} value={c}>
                  {countryName(lang, c)}
                </option>
              ))}
            </select>
          </label>
          <EnumFilter
            t={t}
            id="plan-component"
            label={t("ui-plan-component")}
            value={filter.component}
            values={COMPONENTS}
            prefix="component"
            onPick={(v) => setFilter({ ...filter, component: (v || undefined) as Component | undefined })}
          />
          <EnumFilter
            t={t}
            id="plan-status"
            label={t("ui-filter-status")}
            value={filter.status}
            values={TASK_STATUSES}
            prefix="task-status"
            onPick={(v) => setFilter({ ...filter, status: (v || undefined) as TaskStatus | undefined })}
          />
          <label>
            <span>{t("ui-plan-responsible")}</span>
            <input
              id="plan-responsible"
              type="search"
              value={filter.responsible ?? ""}
              onInput={(e) => {
                const f = { ...filter, responsible: e.currentTarget.value || undefined };
                setFilter(f);
                loadLater(f);
              }}
            />
          </label>
          <label class="check">
            <input
              type="checkbox"
              id="plan-overdue"
              checked={filter.overdue_only}
              onChange={(e) => setFilter({ ...filter, overdue_only: e.currentTarget.checked })}
            />
            <span>{t("ui-plan-overdue-only")}</span>
          </label>
          <div class="seg" role="group" aria-label={t("ui-plan-view")}>
            <button type="button" id="plan-mode-tree" aria-pressed={mode === "tree"} class={mode === "tree" ? "on" : ""} onClick={() => setMode("tree")}>
              {t("ui-plan-tree")}
            </button>
            <button
              type="button"
              id="plan-mode-timeline"
              aria-pressed={mode === "timeline"}
              class={mode === "timeline" ? "on" : ""}
              onClick={() => setMode("timeline")}
            >
              {t("ui-plan-timeline")}
            </button>
          </div>
          <button type="button" id="plan-new" onClick={() => setSelected("new")}>
            + {t("ui-plan-new")}
          </button>
        </div>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {view && <Summary t={t} lang={lang} view={view} scope={filter.scope} />}
        <div class="plan-content">
          {view && mode === "tree" && (
            <Tree t={t} lang={lang} view={view} selected={selected} onSelect={setSelected} collapsed={collapsed} toggle={toggle} />
          )}
          {view && mode === "timeline" && <Timeline t={t} lang={lang} view={view} selected={selected} onSelect={setSelected} />}
        </div>
      </div>
      {/* A just-created task opens once the reloaded plan holds it. */}
      {selected && (selected === "new" || current) && (
        <TaskEditor
          key={selected}
          t={t}
          lang={lang}
          row={selected === "new" ? null : current}
          all={rows}
          ownCountry={ownCountry}
          outputs={[...new Set(rows.map((r) => r.task.output))].sort()}
          onClose={() => setSelected(null)}
          onSaved={(id) => {
            if (id) setSelected(id);
            load();
          }}
        />
      )}
    </main>
  );
}

function PrintSheet({ t, scope }: { t: T; scope?: string }) {
  const country = scope && scope !== "regional" ? scope : null;
  return (
    <ExportButtons
      t={t}
      doneId="plan-export-done"
      actions={[
        {
          id: "plan-print",
          label: t(country ? "ui-plan-print-country" : "ui-plan-print-region"),
          primary: true,
          open: true,
          run: () => api.exportPlanStatus(country, false),
        },
        { id: "plan-print-letter", label: t("ui-legal-print-letter"), open: true, run: () => api.exportPlanStatus(country, true) },
      ]}
    />
  );
}

function Summary({ t, lang, view, scope }: { t: T; lang: Lang; view: PlanView; scope?: string }) {
  const c = view.counts;
  return (
    <section class="plan-summary" aria-label={t("ui-plan-summary")}>
      <div class="big" id="plan-progress">
        <strong>{view.overall.progress} %</strong>
        <span>{t("report-plan-complete")}</span>
      </div>
      <ul class="status-counts">
        {TASK_STATUSES.map((s) => (
          <li key={s} class={`ts-${s}`}>
            <strong>{c[s]}</strong> {t(labelKey("task-status", s))}
          </li>
        ))}
        <li class={`overdue-count${view.overall.overdue ? " alert" : ""}`} id="plan-overdue-count">
          <strong>{view.overall.overdue}</strong> {t("report-plan-overdue")}
        </li>
      </ul>
      {!scope && view.countries.length > 1 && (
        <ul class="country-rollups" aria-label={t("ui-plan-by-country")}>
          {view.countries.map((r) => (
            <li key={r.key}>
              <span>{r.key === "regional" ? t("ui-plan-regional") : countryName(lang, r.key)}</span>
              <Bar pct={r.progress} />
            </li>
          ))}
        </ul>
      )}
      <PrintSheet t={t} scope={scope} />
    </section>
  );
}

function Flags({ t, row }: { t: T; row: TaskRow }) {
  return (
    <>
      {row.overdue && <span class="flag overdue">{t("ui-plan-overdue")}</span>}
      {row.task.status === "blocked" && <span class="flag blocked">{t("task-status-blocked")}</span>}
      {row.waiting_for.length > 0 && <span class="flag waits">{t("report-plan-waits", { tasks: row.waiting_for.join(", ") })}</span>}
    </>
  );
}

function Tree({
  t,
  lang,
  view,
  selected,
  onSelect,
  collapsed,
  toggle,
}: {
  t: T;
  lang: Lang;
  view: PlanView;
  selected: string | null;
  onSelect: (id: string) => void;
  collapsed: Set<string>;
  toggle: (k: string) => void;
}) {
  if (view.tasks.length === 0) return <p class="muted empty">{t("report-plan-empty")}</p>;
  return (
    <table class="plan-tree" id="plan-tree">
      <thead>
        <tr>
          <th>{t("report-plan-col-task")}</th>
          <th>{t("ui-plan-scope")}</th>
          <th>{t("report-plan-col-responsible")}</th>
          <th>{t("report-plan-col-due")}</th>
          <th>{t("report-plan-col-status")}</th>
          <th>{t("report-plan-col-progress")}</th>
        </tr>
      </thead>
      {view.components
        .filter((c) => c.tasks > 0)
        .map((c) => {
          const open = !collapsed.has(c.key);
          const outputs = view.outputs.filter((o) => o.component === c.component);
          return (
            <tbody key={c.key}>
              <tr class="group component">
                <th colSpan={5}>
                  <button type="button" class="twisty" aria-expanded={open} onClick={() => toggle(c.key)}>
                    {open ? "▾" : "▸"} {t(labelKey("component", c.key))}
                  </button>
                  <span class="muted small">
                    {" "}
                    {t("ui-plan-rollup", { tasks: c.tasks, done: c.done, overdue: c.overdue })}
                  </span>
                </th>
                <td>
                  <Bar pct={c.progress} />
                </td>
              </tr>
              {open &&
                outputs.map((o) => [
                  <tr class="group output" key={`o-${o.key}`}>
                    <th colSpan={5}>{o.key}</th>
                    <td>
                      <Bar pct={o.progress} />
                    </td>
                  </tr>,
                  ...view.tasks
                    .filter((r) => r.task.component === c.component && r.task.output === o.key)
                    .map((r) => (
                      <tr
                        key={r.task.id}
                        class={`task${selected === r.task.id ? " selected" : ""}${r.overdue ? " is-overdue" : ""}${r.task.status === "blocked" ? " is-blocked" : ""}`}
                      >
                        <td>
                          <button type="button" class="task-link" data-task={r.task.code || r.task.id} onClick={() => onSelect(r.task.id)}>
                            <span class="code">{r.task.code}</span> {titleOf(r.task, lang)}
                          </button>
                          <div class="flags">
                            <Flags t={t} row={r} />
                          </div>
                        </td>
                        <td class="nowrap">{scopeName(lang, t, r.task.country)}</td>
                        <td class="small">
                          {r.task.agency}
                          {r.task.responsible && <div class="muted">{r.task.responsible}</div>}
                        </td>
                        <td class="nowrap">{r.task.due}</td>
                        <td>
                          <span class={`status-badge ts-${r.task.status}`}>{t(labelKey("task-status", r.task.status))}</span>
                        </td>
                        <td>
                          <Bar pct={r.task.status === "done" ? 100 : r.task.progress} />
                        </td>
                      </tr>
                    )),
                ])}
            </tbody>
          );
        })}
    </table>
  );
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

function Timeline({
  t,
  lang,
  view,
  selected,
  onSelect,
}: {
  t: T;
  lang: Lang;
  view: PlanView;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const rows = view.tasks;
  if (rows.length === 0) return <p class="muted empty">{t("report-plan-empty")}</p>;
  const { from, to } = timeRange(
    rows.map((r) => r.task),
    view.today,
  );
  const label = 260;
  const width = 1000;
  const rowH = 22;
  const top = 30;
  const height = top + rows.length * rowH + 10;
  const x = (ms: number) => label + ((ms - from) / (to - from)) * (width - label - 10);
  const index = new Map(rows.map((r, i) => [r.task.id, i]));
  const months: number[] = [];
  for (let d = new Date(from); d.getTime() < to; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.getTime());
  const fmt = new Intl.DateTimeFormat(lang, { month: "short", year: "2-digit", timeZone: "UTC" });
  const today = Date.parse(view.today);
  return (
    <div class="timeline-scroll">
      <svg id="plan-timeline" class="timeline" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={t("ui-plan-timeline")}>
        <defs>
          <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" fill="#52606d" />
          </marker>
        </defs>
        {months.map((m) => (
          <g key={m}>
            <line x1={x(m)} x2={x(m)} y1={top - 8} y2={height} class="month-line" />
            <text x={x(m) + 3} y={top - 12} class="month-label">
              {fmt.format(new Date(m))}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = top + i * rowH;
          const start = Date.parse(r.task.start ?? r.task.due) - (r.task.start ? 0 : 14 * DAY);
          const end = Date.parse(r.task.due) + DAY;
          const x1 = x(start);
          const w = Math.max(4, x(end) - x1);
          const pct = r.task.status === "done" ? 100 : r.task.progress;
          return (
            <g
              key={r.task.id}
              class={`bar-row${selected === r.task.id ? " selected" : ""}`}
              data-task={r.task.code || r.task.id}
              onClick={() => onSelect(r.task.id)}
              tabIndex={0}
              role="button"
              aria-label={`${r.task.code} ${titleOf(r.task, lang)}: ${t(labelKey("task-status", r.task.status))}, ${pct} %`}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") onSelect(r.task.id);
              }}
            >
              <rect x={0} y={y} width={width} height={rowH} class="row-bg" />
              <text x={4} y={y + 15} class="row-label">
                {`${r.task.code} ${titleOf(r.task, lang)}`.slice(0, 40)}
              </text>
              <rect x={x1} y={y + 4} width={w} height={rowH - 8} rx={3} class={`bar ts-${r.task.status}${r.overdue ? " overdue" : ""}`} />
              <rect x={x1} y={y + rowH - 7} width={(w * pct) / 100} height={3} class="bar-progress" />
              <title>{`${r.task.code} ${titleOf(r.task, lang)} — ${r.task.start ?? "…"} → ${r.task.due} — ${t(labelKey("task-status", r.task.status))}${r.overdue ? ` — ${t("ui-plan-overdue")}` : ""}`}</title>
            </g>
          );
        })}
        {rows.flatMap((r, i) =>
          r.task.depends_on
            .filter((d) => index.has(d))
            .map((d) => {
              const j = index.get(d) ?? 0;
              const dep = rows[j].task;
              const fx = x(Date.parse(dep.due) + DAY);
              const fy = top + j * rowH + rowH / 2;
              const tx = x(Date.parse(r.task.start ?? r.task.due) - (r.task.start ? 0 : 14 * DAY));
              const ty = top + i * rowH + rowH / 2;
              return <path key={`${d}-${r.task.id}`} class="dep" d={`M${fx},${fy} C${fx + 20},${fy} ${tx - 20},${ty} ${tx},${ty}`} markerEnd="url(#arrow)" />;
            }),
        )}
        <line x1={x(today)} x2={x(today)} y1={top - 20} y2={height} class="today" />
        <text x={x(today) + 3} y={top - 22} class="today-label">
          {t("ui-plan-today")}
        </text>
      </svg>
    </div>
  );
}

function emptyInput(ownCountry: string): TaskInput {
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

type Draft = TaskInput & { id?: string };

function TaskEditor({
  t,
  lang,
  row,
  all,
  ownCountry,
  outputs,
  onClose,
  onSaved,
}: {
  t: T;
  lang: Lang;
  row: TaskRow | null;
  all: TaskRow[];
  ownCountry: string;
  outputs: string[];
  onClose: () => void;
  onSaved: (id?: string) => void;
}) {
  const creating = row === null;
  const editable = creating || row.editable;
  const [draft, setDraft] = useState<Draft>(row ? { ...row.task, id: row.task.id } : emptyInput(ownCountry));
  const [error, setError] = useState<IpcError | null>(null);
  const [history, setHistory] = useState<ItemChange[] | null>(null);
  const latest = useRef(draft);

  // An existing task is saved a moment after the last edit, and on closing;
  // a new one when created.
  const autosave = useAutosave({
    save: row ? () => api.updateTask(row.task.id, taskPatch({ ...row.task, ...latest.current } as PlanTask)) : null,
    onSaved: () => {
      setError(null);
      onSaved();
    },
    onError: (e) => setError(asIpcError(e)),
  });
  const setSave = autosave.setState;

  const change = (next: Draft) => {
    latest.current = next;
    setDraft(next);
    if (!creating) autosave.edited();
  };
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => change({ ...latest.current, [k]: v });
  const create = () => {
    setSave("saving");
    const { id: _id, ...input } = latest.current;
    api
      .createTask({ ...input, start: input.start || null })
      .then((s) => {
        setSave("saved");
        setError(null);
        onSaved(s.id);
      })
      .catch((e) => {
        setSave("error");
        setError(asIpcError(e));
      });
  };
  const candidates = all.filter((r) => r.task.id !== draft.id && !draft.depends_on.includes(r.task.id));
  const participants = (s: Sector) => draft.participants.find((p) => p.sector === s)?.count ?? 0;
  const setParticipants = (s: Sector, n: number) =>
    set(
      "participants",
      SECTORS.map((x) => ({ sector: x, count: x === s ? n : participants(x) })).filter((p) => p.count > 0),
    );

  return (
    <aside class="item-editor task-editor" id="task-editor" aria-label={t("ui-plan-editor")}>
      <header class="editor-head">
        <div>
          <h3>{creating ? t("ui-plan-new") : `${draft.code} ${titleOf(draft as PlanTask, lang)}`}</h3>
          <p class="muted small">
            {scopeName(lang, t, draft.country)} · {t(labelKey("task-kind", draft.kind ?? "task"))}
          </p>
        </div>
        <button type="button" class="link" id="task-close" onClick={onClose}>
          {t("ui-close")}
        </button>
      </header>
      <SaveStatus t={t} id="task-save-state" state={autosave.state} />
      {!editable && row?.task.country && <p class="muted small">{t("ui-legal-read-only-hint", { country: countryName(lang, row.task.country) })}</p>}
      {!editable && !row?.task.country && <p class="muted small">{t("ui-plan-read-only-regional", { country: countryName(lang, row?.task.owner.country ?? "") })}</p>}
      {error && (
        <div class="form-error" role="alert" id="task-error">
          {error.message}
        </div>
      )}
      <fieldset disabled={!editable} class="plain-fieldset">
        <div class="two">
          <Field label={t("ui-plan-code")}>
            <input id="task-code" value={draft.code} onInput={(e) => set("code", e.currentTarget.value)} />
          </Field>
          <Field label={t("ui-plan-scope")}>
            <select id="task-scope" disabled={!creating} value={draft.country ?? ""} onChange={(e) => set("country", e.currentTarget.value || undefined)}>
              <option value="">{t("ui-plan-regional")}</option>
              <option value={ownCountry}>{countryName(lang, ownCountry)}</option>
              {draft.country && draft.country !== ownCountry && <option value={draft.country}>{countryName(lang, draft.country)}</option>}
            </select>
          </Field>
        </div>
        <Field label={t("ui-plan-title-es")}>
          <input id="task-title-es" value={draft.title.es} onInput={(e) => set("title", { ...latest.current.title, es: e.currentTarget.value })} />
        </Field>
        <Field label={t("ui-plan-title-en")}>
          <input id="task-title-en" value={draft.title.en} onInput={(e) => set("title", { ...latest.current.title, en: e.currentTarget.value })} />
        </Field>
        <div class="two">
          <VocabSelect t={t} id="task-component" label={t("ui-plan-component")} value={draft.component} values={COMPONENTS} prefix="component" onPick={(v) => v && set("component", v)} />
          <Field label={t("ui-plan-output")}>
            <input id="task-output" list="plan-outputs" value={draft.output} onInput={(e) => set("output", e.currentTarget.value)} />
            <datalist id="plan-outputs">
              {outputs.map((o) => (
                <option key={o} value={o} />
              ))}
            </datalist>
          </Field>
        </div>
        <div class="two">
          <Field label={t("ui-plan-agency")}>
            <input id="task-agency" value={draft.agency} onInput={(e) => set("agency", e.currentTarget.value)} />
          </Field>
          <Field label={t("report-plan-col-responsible")}>
            <input id="task-responsible" value={draft.responsible} onInput={(e) => set("responsible", e.currentTarget.value)} />
          </Field>
        </div>
        <div class="three">
          <Field label={t("ui-plan-start")}>
            <input id="task-start" type="date" value={draft.start ?? ""} onInput={(e) => set("start", e.currentTarget.value || null)} />
          </Field>
          <Field label={t("report-plan-col-due")}>
            <input id="task-due" type="date" value={draft.due} onInput={(e) => set("due", e.currentTarget.value)} />
          </Field>
          <VocabSelect t={t} id="task-kind" label={t("ui-plan-kind")} value={draft.kind ?? "task"} values={TASK_KINDS} prefix="task-kind" onPick={(v) => v && set("kind", v)} />
        </div>
        <div class="two">
          <VocabSelect t={t} id="task-status" label={t("report-plan-col-status")} value={draft.status ?? "not_started"} values={TASK_STATUSES} prefix="task-status" onPick={(v) => v && set("status", v)} />
          <Field
            label={
              <>
                {t("report-plan-col-progress")} ({draft.progress} %)
              </>
            }
          >
            <input
              id="task-progress"
              type="range"
              min={0}
              max={100}
              step={5}
              value={draft.progress}
              onInput={(e) => set("progress", Number(e.currentTarget.value))}
            />
          </Field>
        </div>
        {draft.kind === "workshop" && (
          <fieldset>
            <legend>{t("ui-plan-participants")}</legend>
            <div class="sectors">
              {SECTORS.map((s) => (
                <label key={s} class="block">
                  <span>{t(labelKey("sector", s))}</span>
                  <input
                    type="number"
                    min={0}
                    value={participants(s)}
                    onInput={(e) => setParticipants(s, Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)))}
                  />
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <fieldset>
          <legend>{t("ui-plan-indicators")}</legend>
          {draft.indicators.map((ind, i) => (
            <div class="provision" key={i}>
              <label>
                <span>{t("ui-plan-indicator")}</span>
                <input
                  value={ind.label}
                  onInput={(e) => set("indicators", latest.current.indicators.map((x, j) => (j === i ? { ...x, label: e.currentTarget.value } : x)))}
                />
              </label>
              <label>
                <span>{t("ui-plan-target")}</span>
                <input
                  inputMode="decimal"
                  value={ind.target}
                  onInput={(e) => set("indicators", latest.current.indicators.map((x, j) => (j === i ? { ...x, target: Number(e.currentTarget.value) || 0 } : x)))}
                />
              </label>
              <label class="year">
                <span>{t("ui-plan-actual")}</span>
                <input
                  inputMode="decimal"
                  value={ind.actual}
                  onInput={(e) => set("indicators", latest.current.indicators.map((x, j) => (j === i ? { ...x, actual: Number(e.currentTarget.value) || 0 } : x)))}
                />
              </label>
              <button type="button" class="link" onClick={() => set("indicators", latest.current.indicators.filter((_, j) => j !== i))}>
                {t("ui-legal-remove")}
              </button>
            </div>
          ))}
          <button type="button" class="outline small-btn" onClick={() => set("indicators", [...latest.current.indicators, { label: "", target: 0, actual: 0 }])}>
            + {t("ui-plan-add-indicator")}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t("ui-plan-depends")}</legend>
          <ul class="plain">
            {draft.depends_on.map((d) => {
              const dep = all.find((r) => r.task.id === d)?.task;
              return (
                <li key={d} class="dep-item">
                  <span>{dep ? `${dep.code} ${titleOf(dep, lang)}` : d}</span>
                  <button type="button" class="link" onClick={() => set("depends_on", latest.current.depends_on.filter((x) => x !== d))}>
                    {t("ui-legal-remove")}
                  </button>
                </li>
              );
            })}
          </ul>
          <select
            id="task-add-dependency"
            value=""
            aria-label={t("ui-plan-add-dependency")}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v) set("depends_on", [...latest.current.depends_on, v]);
            }}
          >
            <option value="">+ {t("ui-plan-add-dependency")}</option>
            {candidates.map((r) => (
              <option key={r.task.id} value={r.task.id}>
                {`${r.task.code} ${titleOf(r.task, lang)}`.slice(0, 80)}
              </option>
            ))}
          </select>
        </fieldset>
        <Field label={t("report-plan-col-notes")}>
          <textarea id="task-notes" rows={3} value={draft.notes} onInput={(e) => set("notes", e.currentTarget.value)} />
        </Field>
      </fieldset>
      <div class="editor-actions">
        {creating ? (
          <button type="button" id="task-create" onClick={create}>
            {t("ui-plan-create")}
          </button>
        ) : (
          <button
            type="button"
            class="outline small-btn"
            id="task-history-button"
            onClick={() =>
              api
                .taskChanges(row.task.id)
                .then(setHistory)
                .catch((e) => setError(asIpcError(e)))
            }
          >
            {t("ui-history")}
          </button>
        )}
      </div>
      {history && (
        <section class="item-history" id="task-history">
          <h4>{t("ui-history")}</h4>
          <ChangeList
            t={t}
            id="task-changes"
            changes={history}
            label={(f) => t(`ui-plan-field-${f}`)}
            show={(f, v) => {
              if (typeof v === "string" && f === "status") return t(labelKey("task-status", v));
              if (typeof v === "string" && f === "component") return t(labelKey("component", v));
              if (typeof v === "string" && f === "kind") return t(labelKey("task-kind", v));
              if (f === "depends_on" && Array.isArray(v))
                return v.map((d) => all.find((r) => r.task.id === d)?.task.code || String(d)).join(", ") || "—";
              return plainValue(t, v);
            }}
          />
        </section>
      )}
    </aside>
  );
}
