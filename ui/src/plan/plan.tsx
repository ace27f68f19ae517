// The Regional Plan of Action: the filters, the plan as a tree or a timeline,
// the summary with the printable status sheet, and the task editor.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Component } from "../bindings/Component";
import type { Lang } from "../bindings/Lang";
import type { PlanFilter } from "../bindings/PlanFilter";
import type { PlanView } from "../bindings/PlanView";
import type { TaskStatus } from "../bindings/TaskStatus";
import { COMPONENTS, PARTICIPATING, TASK_STATUSES } from "../bindings/vocabulary";
import { debounce } from "../format";
import { EnumFilter } from "../controls";
import { countryName, type T } from "../i18n";
import { useCan } from "../session";
import { Summary } from "./summary";
import { TaskEditor } from "./task-editor";
import { Timeline } from "./timeline";
import { Tree } from "./tree";

export function Plan({ t, lang, ownCountry, version = 0 }: { t: T; lang: Lang; ownCountry: string; version?: number }) {
  const [filter, setFilter] = useState<PlanFilter>({ overdue_only: false });
  const [view, setView] = useState<PlanView | null>(null);
  const [mode, setMode] = useState<"tree" | "timeline">("tree");
  const [selected, setSelected] = useState<string | "new" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const seq = useRef(0);
  // A role that may not change tasks is not offered a new one.
  const mayEdit = useCan("edit_tasks");

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
          {mayEdit && (
            <button type="button" id="plan-new" onClick={() => setSelected("new")}>
              + {t("ui-plan-new")}
            </button>
          )}
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
