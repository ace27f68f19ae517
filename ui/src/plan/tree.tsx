// The plan as a tree: component → output → task, with roll-ups and flags.
import type { Lang } from "../bindings/Lang";
import type { PlanView } from "../bindings/PlanView";
import type { TaskRow } from "../bindings/TaskRow";
import { labelKey, type T } from "../i18n";
import { scopeName, titleOf } from "./model";
import { Bar } from "./progress-bar";

function Flags({ t, row }: { t: T; row: TaskRow }) {
  return (
    <>
      {row.overdue && <span class="flag overdue">{t("ui-plan-overdue")}</span>}
      {row.task.status === "blocked" && <span class="flag blocked">{t("task-status-blocked")}</span>}
      {row.waiting_for.length > 0 && <span class="flag waits">{t("report-plan-waits", { tasks: row.waiting_for.join(", ") })}</span>}
    </>
  );
}

export function Tree({
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
