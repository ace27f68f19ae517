// The plan as a timeline (Gantt): bars by month, today's line, dependencies.
import type { Lang } from "../bindings/Lang";
import type { PlanView } from "../bindings/PlanView";
import { labelKey, type T } from "../i18n";
import { DAY, timeRange, titleOf } from "./model";

export function Timeline({
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
              return <path key={`${d}-${r.task.id}`} class="dep" d={`M${fx},${fy} C${fx + 20},${fy} ${tx - 20},${ty} ${tx},${ty}`} marker-end="url(#arrow)" />;
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
