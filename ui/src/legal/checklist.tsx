// One country's checklist: its progress, the items (filtered) and the item
// editor for the one selected.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { AssessmentItem } from "../bindings/AssessmentItem";
import type { AssessmentStatus } from "../bindings/AssessmentStatus";
import type { AssessmentView } from "../bindings/AssessmentView";
import type { IpcError } from "../bindings/IpcError";
import type { Lang } from "../bindings/Lang";
import { ASSESSMENT_STATUSES, CATALOGUE } from "../bindings/vocabulary";
import { countryName, labelKey, type T } from "../i18n";
import { EnumFilter } from "../controls";
import { assessed, emptyItem, filterCatalogue, type ItemFilter, statusLetter, total } from "./catalogue";
import { Filters } from "./filters";
import { ItemEditor } from "./item-editor";
import { TallyBar } from "./tally-bar";

export function Checklist({
  t,
  lang,
  country,
  initialItem,
  filter,
  setFilter,
  others,
  onChanged,
}: {
  t: T;
  lang: Lang;
  country: string;
  initialItem?: string;
  filter: ItemFilter;
  setFilter: (f: ItemFilter) => void;
  others: string[];
  onChanged: () => void;
}) {
  const [view, setView] = useState<AssessmentView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [status, setStatus] = useState<AssessmentStatus | "">("");
  const [selected, setSelected] = useState<string | undefined>(initialItem);
  const load = () =>
    api
      .legalAssessment(country)
      .then((v) => {
        setView(v);
        setError(null);
      })
      .catch((e) => setError(asIpcError(e)));
  useEffect(() => {
    load();
  }, [country]);

  if (error) {
    return (
      <div class="legal-empty">
        <h2>{countryName(lang, country)}</h2>
        <p class="muted" role="status">
          {error.message}
        </p>
      </div>
    );
  }
  if (!view) return <p class="muted">{t("ui-loading")}</p>;
  const a = view.assessment;
  const item = (id: string): AssessmentItem => a.items[id] ?? emptyItem();
  const items = filterCatalogue(filter).filter((c) => !status || item(c.id).status === status);
  const conflicted = new Set(view.conflicts.map((c) => c.item));
  const warned = new Set(view.issues.map((i) => i.item));
  return (
    <div class={`checklist-view${selected ? " with-editor" : ""}`}>
      <div class="checklist">
        <header class="legal-head">
          <div>
            <h2 id="legal-country-title">
              {t("ui-legal-assessment-of", { country: countryName(lang, country) })}
            </h2>
            <p class="muted small">
              {t("report-legal-tally", {
                compliant: view.tally.compliant,
                partial: view.tally.partially_compliant,
                not: view.tally.not_compliant,
                unassessed: view.tally.not_assessed,
                version: a.catalogue_version,
              })}
            </p>
            <div class="progress-line">
              <TallyBar t={t} tally={view.tally} />
              <span id="legal-progress">
                {t("ui-legal-progress", { pct: Math.round((100 * assessed(view.tally)) / Math.max(1, total(view.tally))) })}
              </span>
            </div>
            <div class="case-badges">
              {a.demo && <span class="badge demo">{t("ui-legal-demo")}</span>}
              {!view.editable && <span class="badge ro">{t("ui-legal-read-only", { country: countryName(lang, country) })}</span>}
            </div>
          </div>
        </header>
        <Filters t={t} filter={filter} setFilter={setFilter}>
          <EnumFilter
            t={t}
            id="legal-filter-status"
            label={t("ui-filter-status")}
            value={status}
            values={ASSESSMENT_STATUSES}
            prefix="assessment"
            onPick={(v) => setStatus(v as AssessmentStatus | "")}
          />
        </Filters>
        <p class="count muted small" id="legal-count">
          {t("ui-legal-items-count", { shown: items.length, total: CATALOGUE.length })}
        </p>
        <ul class="items" id="legal-items">
          {items.map((c) => {
            const it = item(c.id);
            return (
              <li key={c.id}>
                <button
                  type="button"
                  class={`item-row${selected === c.id ? " selected" : ""}`}
                  data-item={c.id}
                  aria-current={selected === c.id ? "true" : undefined}
                  onClick={() => setSelected(c.id)}
                >
                  <span class={`cell st-${it.status}`} aria-hidden="true">
                    {statusLetter(t, it.status)}
                  </span>
                  <span class="item-main">
                    <span class="item-top">
                      <span class={`item-id${c.obligation === "optional" ? "" : " mandatory"}`}>{c.id}</span>
                      <span class="muted small">{c.article}</span>
                      <span class="small">{t(labelKey("assessment", it.status))}</span>
                      {conflicted.has(c.id) && <span class="badge conflict">{t("ui-conflict")}</span>}
                      {warned.has(c.id) && (
                        <span class="warn" title={t("ui-issues")} aria-label={t("ui-issues")}>
                          ⚠
                        </span>
                      )}
                    </span>
                    <span class="item-text">{t(`legal-${c.id}`)}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </div>
      {selected && (
        <ItemEditor
          key={`${country}-${selected}`}
          t={t}
          lang={lang}
          country={country}
          entry={CATALOGUE.find((c) => c.id === selected) ?? CATALOGUE[0]}
          view={view}
          others={others}
          onClose={() => setSelected(undefined)}
          onSaved={() => {
            load();
            onChanged();
          }}
        />
      )}
    </div>
  );
}
