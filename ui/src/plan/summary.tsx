// The plan at a glance: progress, tasks by status, overdue, by country; and
// the status sheet to print.
import { api } from "../api";
import type { Lang } from "../bindings/Lang";
import type { PlanView } from "../bindings/PlanView";
import { TASK_STATUSES } from "../bindings/vocabulary";
import { ExportButtons } from "../exports";
import { countryName, labelKey, type T } from "../i18n";
import { Bar } from "./progress-bar";

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

export function Summary({ t, lang, view, scope }: { t: T; lang: Lang; view: PlanView; scope?: string }) {
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
