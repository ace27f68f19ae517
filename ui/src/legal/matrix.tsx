// The regional harmonisation matrix: every item by every country, each cell
// a letter that reads without colour, with its legend and the exports.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Lang } from "../bindings/Lang";
import type { LegalMatrixView } from "../bindings/LegalMatrixView";
import { ASSESSMENT_STATUSES } from "../bindings/vocabulary";
import { countryName, labelKey, type T } from "../i18n";
import { ExportButtons } from "../exports";
import { filterCatalogue, type ItemFilter, statusLetter } from "./catalogue";
import { Filters } from "./filters";

function Legend({ t }: { t: T }) {
  return (
    <ul class="legend" aria-label={t("report-legend")}>
      {ASSESSMENT_STATUSES.map((s) => (
        <li key={s}>
          <span class={`cell-swatch st-${s}`}>{statusLetter(t, s)}</span> {t(labelKey("assessment", s))}
        </li>
      ))}
    </ul>
  );
}

function ExportBar({ t }: { t: T }) {
  return (
    <ExportButtons
      t={t}
      doneId="legal-export-done"
      actions={[
        { id: "legal-print", label: t("ui-legal-print"), primary: true, open: true, run: () => api.exportLegal("pdf_a4") },
        { id: "legal-print-letter", label: t("ui-legal-print-letter"), open: true, run: () => api.exportLegal("pdf_letter") },
        { id: "legal-export-csv", label: t("ui-legal-export-csv"), open: false, run: () => api.exportLegal("csv") },
      ]}
    />
  );
}

export function Matrix({
  t,
  lang,
  filter,
  setFilter,
  onOpen,
}: {
  t: T;
  lang: Lang;
  filter: ItemFilter;
  setFilter: (f: ItemFilter) => void;
  onOpen: (country: string, item: string) => void;
}) {
  const [m, setM] = useState<LegalMatrixView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .legalMatrix()
      .then(setM)
      .catch((e) => setError(asIpcError(e).message));
  }, []);
  const items = filterCatalogue(filter);
  const rows = new Map(m?.rows.map((r) => [r.item, r.statuses]) ?? []);
  return (
    <div class="matrix-view">
      <header class="legal-head">
        <div>
          <h2>{t("report-legal-title")}</h2>
          <p class="muted">{t("ui-legal-matrix-intro")}</p>
        </div>
        <ExportBar t={t} />
      </header>
      <Filters t={t} filter={filter} setFilter={setFilter}>
        <Legend t={t} />
      </Filters>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {m && (
        <div class="matrix-scroll">
          <table class="matrix" id="matrix">
            <thead>
              <tr>
                <th scope="col" class="item-col">
                  {t("report-col-item")}
                </th>
                {m.countries.map((c) => (
                  <th scope="col" key={c.country} class="country-col" title={countryName(lang, c.country)}>
                    {countryName(lang, c.country)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr key={it.id}>
                  <th scope="row" class="item-col">
                    <span class={`item-id${it.obligation === "optional" ? "" : " mandatory"}`}>{it.id}</span>
                    <span class="item-text">{t(`legal-${it.id}`)}</span>
                  </th>
                  {(rows.get(it.id) ?? []).map((s, i) => {
                    const c = m.countries[i].country;
                    const words = `${countryName(lang, c)} · ${it.id}: ${t(labelKey("assessment", s))}`;
                    return (
                      <td key={c}>
                        <button
                          type="button"
                          class={`cell st-${s}`}
                          data-cell={`${c}-${it.id}`}
                          title={words}
                          aria-label={words}
                          onClick={() => onOpen(c, it.id)}
                        >
                          {statusLetter(t, s)}
                        </button>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
