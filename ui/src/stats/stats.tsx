// Statistics: counts of identified victims (this node's cases and imported
// datasets such as CTDC's) by one or two fields, as a bar chart (and a line
// over the years) or a heat table, with the route map, the table itself and
// how it was protected. Published mode applies the disclosure rules (k,
// resolution, complementary and difference suppression); exact counts are
// for the screen only and audited.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { DatasetView } from "../bindings/DatasetView";
import type { IpcError } from "../bindings/IpcError";
import type { Lang } from "../bindings/Lang";
import type { StatsRequest } from "../bindings/StatsRequest";
import type { StatsTable } from "../bindings/StatsTable";
import type { StandardExport } from "../bindings/StandardExport";
import type { ExportedFile } from "../bindings/ExportedFile";
import { ExportButtons } from "../exports";
import type { T } from "../i18n";
import { useCan } from "../session";
import { BarChart, HatchSwatch, num, TimeSeries } from "./charts";
import { HeatTable } from "./heat-table";
import { FIELDS, fieldLabel, MULTI_VALUED, reasonLabel, UNKNOWN, valueLabel } from "./labels";
import { RouteMap } from "./route-map";

/** The least k of a published table (the server refuses less unless exact). */
export const MIN_K = 11;

export interface Settings {
  cases: boolean;
  /** Imported datasets left out (new ones are counted by default). */
  excluded: number[];
  by1: string;
  /** "" for a one-way table. */
  by2: string;
  /** The field filtered on ("" none) and the values kept. */
  filterField: string;
  filterValues: string[];
  exact: boolean;
  k: string;
  /** null: the same as k. */
  resolution: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  cases: true,
  excluded: [],
  by1: "year",
  by2: "",
  filterField: "",
  filterValues: [],
  exact: false,
  k: String(MIN_K),
  resolution: null,
};

/** What is wrong with the published mode's numbers, as Fluent keys. */
export function modeErrors(s: Settings): { k?: string; resolution?: string } {
  if (s.exact) return {};
  const k = Number(s.k);
  const r = Number(s.resolution ?? s.k);
  return {
    k: Number.isInteger(k) && k >= MIN_K ? undefined : "ui-stats-k-min",
    // Rounding to less than k would let differences under k show.
    resolution: Number.isInteger(r) && r >= Math.max(k, MIN_K) ? undefined : "ui-stats-resolution-min",
  };
}

/** The datasets to count: null none, [] every one, else those (the API's convention). */
export function datasetsParam(all: DatasetView[], excluded: number[]): number[] | null {
  const kept = all.filter((d) => !excluded.includes(d.id)).map((d) => d.id);
  if (kept.length === 0) return null;
  return kept.length === all.length ? [] : kept;
}

/** The request for `by` under these settings, or null when it cannot be asked (no source, bad k). */
export function buildRequest(s: Settings, all: DatasetView[], by: string[]): StatsRequest | null {
  const datasets = datasetsParam(all, s.excluded);
  if (!s.cases && datasets === null) return null;
  const errors = modeErrors(s);
  if (errors.k || errors.resolution) return null;
  const k = s.exact ? MIN_K : Number(s.k);
  const resolution = s.exact ? MIN_K : Number(s.resolution ?? s.k);
  const filter: StatsRequest["filter"] = {};
  if (s.filterField && s.filterValues.length > 0) filter[s.filterField] = [...s.filterValues];
  return { by, filter, cases: s.cases, datasets, exact: s.exact, k, resolution };
}

const byOf = (s: Settings) => (s.by2 ? [s.by1, s.by2] : [s.by1]);

export function Statistics({ t, lang, version = 0 }: { t: T; lang: Lang; version?: number }) {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [datasets, setDatasets] = useState<DatasetView[] | null>(null);
  const [table, setTable] = useState<StatsTable | null>(null);
  // What the last HTCDS or CTDC export could not map or left out.
  const [standard, setStandard] = useState<StandardExport | null>(null);
  const runStandard = (format: "htcds" | "ctdc"): Promise<ExportedFile> =>
    api.exportStandard(format).then(([file, done]) => {
      setStandard(done);
      return file;
    });
  const [flows, setFlows] = useState<StatsTable | null>(null);
  const [options, setOptions] = useState<string[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const [reload, setReload] = useState(0);
  const seq = useRef(0);
  const set = (patch: Partial<Settings>) => setSettings((s) => ({ ...s, ...patch }));
  // Exact counts, and files out of Enlace, only for the roles that may.
  const mayExact = useCan("exact_statistics");
  const mayExport = useCan("export");

  useEffect(() => {
    api
      .datasets()
      .then(setDatasets)
      .catch((e) => {
        setDatasets([]);
        setError(asIpcError(e));
      });
  }, [version, reload]);

  const all = datasets ?? [];
  const by = byOf(settings);
  const request = datasets ? buildRequest(settings, all, by) : null;
  const flowRequest = datasets ? buildRequest(settings, all, ["citizenship", "exploitation_country"]) : null;
  const key = JSON.stringify([request, flowRequest]);
  useEffect(() => {
    if (!request || !flowRequest) {
      setLoading(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    Promise.all([api.stats(request), api.stats(flowRequest)])
      .then(([tb, fl]) => {
        if (mine !== seq.current) return;
        setTable(tb);
        setFlows(fl);
        setError(null);
      })
      .catch((e) => {
        if (mine === seq.current) setError(asIpcError(e));
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [key, version, reload]);

  // The values the filter can keep: a one-way preview of the field (never
  // exact, so it is not audited; its counts are not shown).
  const sourcesKey = JSON.stringify([settings.cases, settings.excluded, datasets?.map((d) => d.id)]);
  useEffect(() => {
    setOptions(null);
    if (!settings.filterField || !datasets) return;
    const preview = buildRequest({ ...settings, exact: false, k: String(MIN_K), resolution: null, filterValues: [] }, all, [settings.filterField]);
    if (!preview) return;
    let live = true;
    api
      .stats(preview)
      .then((p) => {
        if (live) setOptions(p.cells.map((c) => c.values[settings.filterField] ?? UNKNOWN));
      })
      .catch((e) => live && setError(asIpcError(e)));
    return () => {
      live = false;
    };
  }, [settings.filterField, sourcesKey, version, reload]);

  const errors = modeErrors(settings);
  const noSource = datasets !== null && !settings.cases && datasetsParam(all, settings.excluded) === null;
  const filtering = settings.filterField !== "" && settings.filterValues.length > 0;
  const empty = datasets !== null && all.length === 0 && table !== null && table.cells.length === 0 && !filtering;
  const datasetName = (id: string) => all.find((d) => String(d.id) === id)?.name ?? `#${id}`;
  const sourceNames = (table?.sources ?? [])
    .map((s) => (s === "cases" ? t("stats-source-enlace") : s.startsWith("dataset:") ? datasetName(s.slice(8)) : s))
    .join(", ");
  // The last table received (dimmed while the next one loads).
  const shown = table;

  return (
    <main class="stats" id="stats-section">
      <form class="stats-toolbar" onSubmit={(e) => e.preventDefault()} aria-label={t("ui-stats-controls")}>
        <fieldset class="stats-group">
          <legend>{t("ui-stats-sources")}</legend>
          <label class="check">
            <input type="checkbox" id="stats-cases" checked={settings.cases} onChange={(e) => set({ cases: e.currentTarget.checked })} />
            <span>{t("ui-stats-source-cases")}</span>
          </label>
          {all.map((d) => (
            <label class="check" key={d.id}>
              <input
                type="checkbox"
                data-dataset={d.id}
                checked={!settings.excluded.includes(d.id)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  set({ excluded: on ? settings.excluded.filter((x) => x !== d.id) : [...settings.excluded, d.id] });
                }}
              />
              <span title={d.file_name}>{t("ui-stats-dataset", { name: d.name, rows: num(lang, d.rows) })}</span>
            </label>
          ))}
        </fieldset>
        <fieldset class="stats-group">
          <legend>{t("ui-stats-breakdown")}</legend>
          <label>
            <span>{t("ui-stats-by")}</span>
            <select
              id="stats-by-1"
              value={settings.by1}
              onChange={(e) => {
                const v = e.currentTarget.value;
                set({ by1: v, by2: settings.by2 === v ? "" : settings.by2 });
              }}
            >
              {FIELDS.map((f) => (
                <option key={f} value={f}>
                  {fieldLabel(t, f)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t("ui-stats-by-2")}</span>
            <select id="stats-by-2" value={settings.by2} onChange={(e) => set({ by2: e.currentTarget.value })}>
              <option value="">{t("ui-stats-none")}</option>
              {FIELDS.filter((f) => f !== settings.by1).map((f) => (
                <option key={f} value={f}>
                  {fieldLabel(t, f)}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset class="stats-group stats-filter">
          <legend>{t("ui-stats-filter")}</legend>
          <label>
            <span>{t("ui-stats-filter-field")}</span>
            <select id="stats-filter-field" value={settings.filterField} onChange={(e) => set({ filterField: e.currentTarget.value, filterValues: [] })}>
              <option value="">{t("ui-stats-none")}</option>
              {FIELDS.map((f) => (
                <option key={f} value={f}>
                  {fieldLabel(t, f)}
                </option>
              ))}
            </select>
          </label>
          {settings.filterField && (
            <FilterValues
              t={t}
              lang={lang}
              field={settings.filterField}
              options={options}
              values={settings.filterValues}
              onChange={(filterValues) => set({ filterValues })}
            />
          )}
        </fieldset>
        <fieldset class="stats-group stats-mode">
          <legend>{t("ui-stats-mode")}</legend>
          <div class="stats-published" aria-disabled={settings.exact}>
            <span class="stats-mode-title">{t("ui-stats-published")}</span>
            <label>
              <span>{t("ui-stats-k")}</span>
              <input
                type="number"
                id="stats-k"
                min={MIN_K}
                step={1}
                value={settings.k}
                disabled={settings.exact}
                aria-invalid={errors.k ? true : undefined}
                onInput={(e) => set({ k: e.currentTarget.value })}
              />
            </label>
            <label>
              <span>{t("ui-stats-resolution")}</span>
              <input
                type="number"
                id="stats-resolution"
                min={1}
                step={1}
                value={settings.resolution ?? settings.k}
                disabled={settings.exact}
                aria-invalid={errors.resolution ? true : undefined}
                onInput={(e) => set({ resolution: e.currentTarget.value })}
              />
            </label>
          </div>
          {errors.k && <span class="field-error">{t(errors.k, { k: MIN_K })}</span>}
          {errors.resolution && <span class="field-error">{t(errors.resolution)}</span>}
          {mayExact && (
            <label class="check stats-exact-check">
              <input type="checkbox" id="stats-exact" checked={settings.exact} onChange={(e) => set({ exact: e.currentTarget.checked })} />
              <span>{t("ui-stats-exact")}</span>
            </label>
          )}
        </fieldset>
      </form>

      <div class="stats-content">
        <header class="stats-head">
          <div>
            <h2>{t("ui-stats-title")}</h2>
            <p class="muted">{t("ui-stats-intro")}</p>
            <button type="button" class="outline small-btn" id="stats-refresh" onClick={() => setReload((n) => n + 1)}>
              {t("ui-stats-refresh")}
            </button>
          </div>
          <div class="stats-exports">
            <ExportButtons
              t={t}
              doneId="stats-export-done"
              actions={[
                {
                  id: "stats-report",
                  label: t("ui-stats-report"),
                  primary: true,
                  open: true,
                  run: () => api.exportStatisticsReport(false),
                },
                { id: "stats-report-letter", label: t("ui-stats-report-letter"), open: true, run: () => api.exportStatisticsReport(true) },
                {
                  id: "stats-export-csv",
                  label: t("ui-stats-export-csv"),
                  open: false,
                  run: () => {
                    const r = buildRequest({ ...settings, exact: false }, all, by);
                    return r
                      ? api.exportStatsCsv({ ...r, exact: false })
                      : Promise.reject({ code: "invalid_input", message: t(noSource ? "ui-stats-no-source" : "ui-stats-k-min", { k: MIN_K }), issues: [], candidates: [] });
                  },
                },
              ]}
            />
            {mayExport && <p class="muted small">{t("ui-stats-csv-hint")}</p>}
            <ExportButtons
              t={t}
              doneId="stats-standard-done"
              actions={[
                { id: "stats-export-htcds", label: t("ui-stats-export-htcds"), open: false, run: () => runStandard("htcds") },
                { id: "stats-export-ctdc", label: t("ui-stats-export-ctdc"), open: false, run: () => runStandard("ctdc") },
              ]}
            />
            {standard && (
              <p class="muted small" id="stats-standard-summary" role="status">
                {t("ui-stats-standard-summary", { unmapped: standard.unmapped.length, dropped: Number(standard.dropped) })}
              </p>
            )}
          </div>
        </header>

        {settings.exact && (
          <div class="stats-exact-banner" id="stats-exact-warning">
            <strong>{t("ui-stats-exact-title")}</strong> {t("ui-stats-exact-warning")}
          </div>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error.message}
          </p>
        )}
        {loading && (
          <p class="muted" role="status" id="stats-loading">
            {t("ui-stats-loading")}
          </p>
        )}
        {noSource && <p class="stats-notice">{t("ui-stats-no-source")}</p>}

        {!noSource && empty && (
          <section class="stats-card stats-empty" id="stats-empty">
            <h3>{t("ui-stats-empty-title")}</h3>
            <p>{t("ui-stats-empty")}</p>
            <pre class="mono">{t("ui-stats-empty-command")}</pre>
            <p class="muted">{t("ui-stats-empty-after")}</p>
          </section>
        )}

        {!noSource && !empty && shown && (
          <div class={loading ? "stats-body stale" : "stats-body"}>
            <section class="stats-card">
              <h3>{t("ui-stats-chart-label", { field: shown.by.map((f) => fieldLabel(t, f)).join(" × ") })}</h3>
              {shown.cells.length === 0 ? (
                <p class="muted">{t("ui-stats-no-match")}</p>
              ) : shown.by.length === 1 ? (
                <>
                  <div class="stats-scroll">
                    <BarChart t={t} lang={lang} field={shown.by[0]} cells={shown.cells} />
                  </div>
                  {shown.by[0] === "year" && shown.cells.some((c) => c.values.year !== UNKNOWN) && (
                    <>
                      <h4>{t("ui-stats-timeseries")}</h4>
                      <div class="stats-scroll">
                        <TimeSeries t={t} lang={lang} cells={shown.cells} />
                      </div>
                    </>
                  )}
                  {shown.cells.some((c) => c.suppressed) && (
                    <p class="legend stats-legend">
                      <HatchSwatch /> {t("ui-stats-legend-hidden")}
                    </p>
                  )}
                </>
              ) : (
                <HeatTable t={t} lang={lang} by={shown.by} cells={shown.cells} />
              )}
            </section>

            <section class="stats-card">
              <h3>{t("ui-stats-table")}</h3>
              <TableView t={t} lang={lang} table={shown} />
              <p id="stats-total" class="stats-total">
                <strong>{t("stats-total")}:</strong>{" "}
                {shown.total === null ? <em class="total-hidden">{t("ui-stats-total-hidden")}</em> : num(lang, shown.total)}
              </p>
              <p id="stats-note" class="stats-note muted">
                {shown.exact
                  ? t("stats-note-exact")
                  : t("stats-note", {
                      k: shown.k,
                      resolution: shown.resolution,
                      hidden: Object.values(shown.suppressed).reduce((a, b) => a + b, 0),
                      below: shown.suppressed.below_k ?? 0,
                      complementary: shown.suppressed.complementary ?? 0,
                      difference: shown.suppressed.difference ?? 0,
                      sources: sourceNames,
                    })}
                {shown.exact && ` ${t("ui-stats-sources-counted", { sources: sourceNames })}`}
              </p>
              {shown.by
                .filter((f) => MULTI_VALUED.includes(f))
                .map((f) => (
                  <p key={f} class="stats-note muted small">
                    {t("ui-stats-multi", { field: fieldLabel(t, f) })}
                  </p>
                ))}
            </section>
          </div>
        )}

        {!noSource && !empty && flows && (
          <section class={loading ? "stats-card stale" : "stats-card"}>
            <h3>{t("ui-stats-map")}</h3>
            <p class="muted small">{t("ui-stats-map-intro")}</p>
            <div class="stats-scroll">
              <RouteMap t={t} lang={lang} cells={flows.cells} />
            </div>
          </section>
        )}
      </div>
    </main>
  );
}

/** The values of the filtered field, as checkboxes, the kept ones also as removable chips. */
function FilterValues({
  t,
  lang,
  field,
  options,
  values,
  onChange,
}: {
  t: T;
  lang: Lang;
  field: string;
  options: string[] | null;
  values: string[];
  onChange: (v: string[]) => void;
}) {
  const label = (v: string) => valueLabel(lang, field, v);
  const all = [...new Set([...(options ?? []), ...values])];
  return (
    <div class="stats-filter-values">
      {values.length > 0 && (
        <ul class="stats-chips" aria-label={t("ui-stats-filter-kept")}>
          {values.map((v) => (
            <li key={v}>
              <span class="stats-chip" data-value={v}>
                {label(v)}
                <button type="button" class="chip-remove" aria-label={t("ui-stats-filter-remove", { value: label(v) })} onClick={() => onChange(values.filter((x) => x !== v))}>
                  ×
                </button>
              </span>
            </li>
          ))}
          <li>
            <button type="button" class="link" id="stats-filter-clear" onClick={() => onChange([])}>
              {t("ui-stats-filter-clear")}
            </button>
          </li>
        </ul>
      )}
      {options === null ? (
        <span class="muted small">{t("ui-stats-loading")}</span>
      ) : (
        <div class="stats-options" id="stats-filter-values" role="group" aria-label={t("ui-stats-filter-values", { field: fieldLabel(t, field) })}>
          {all.map((v) => (
            <label class="check" key={v}>
              <input
                type="checkbox"
                value={v}
                checked={values.includes(v)}
                onChange={(e) => onChange(e.currentTarget.checked ? [...values, v] : values.filter((x) => x !== v))}
              />
              <span>{label(v)}</span>
            </label>
          ))}
        </div>
      )}
      {values.length === 0 && options !== null && <span class="muted small">{t("ui-stats-filter-hint")}</span>}
    </div>
  );
}

/** The table itself (#stats-table): each cell's values and its count, or why it is hidden. */
function TableView({ t, lang, table }: { t: T; lang: Lang; table: StatsTable }) {
  return (
    <div class="stats-table-scroll">
      <table class="grid stats-table" id="stats-table">
        <thead>
          <tr>
            {table.by.map((f) => (
              <th scope="col" key={f}>
                {fieldLabel(t, f)}
              </th>
            ))}
            <th scope="col" class="num">
              {t("ui-stats-count")}
            </th>
          </tr>
        </thead>
        <tbody>
          {table.cells.map((c) => {
            const values = table.by.map((f) => c.values[f] ?? UNKNOWN);
            return (
              <tr key={values.join("\u0000")} class={c.suppressed ? "stats-hidden" : ""} data-reason={c.suppressed ? (c.reason ?? "below_k") : undefined}>
                {table.by.map((f, i) => (
                  <td key={f}>{valueLabel(lang, f, values[i])}</td>
                ))}
                <td class="num">{c.suppressed || c.count === null ? <em>{reasonLabel(t, c.reason)}</em> : num(lang, c.count)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
