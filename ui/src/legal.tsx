// Legal assessments: each country's checklist with an item editor
// (autosaved), the regional harmonisation matrix, a side-by-side comparison
// of two countries for one item, and the CSV / PDF exports.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError, type ItemPatch } from "./api";
import type { AssessmentItem } from "./bindings/AssessmentItem";
import type { AssessmentStatus } from "./bindings/AssessmentStatus";
import type { AssessmentSummary } from "./bindings/AssessmentSummary";
import type { AssessmentView } from "./bindings/AssessmentView";
import type { Evidence } from "./bindings/Evidence";
import type { EvidenceKind } from "./bindings/EvidenceKind";
import type { Instrument } from "./bindings/Instrument";
import type { IpcError } from "./bindings/IpcError";
import type { ItemChange } from "./bindings/ItemChange";
import type { Lang } from "./bindings/Lang";
import type { LegalMatrixView } from "./bindings/LegalMatrixView";
import type { Provision } from "./bindings/Provision";
import type { Tally } from "./bindings/Tally";
import { ASSESSMENT_STATUSES, CATALOGUE, EVIDENCE_KINDS, INSTRUMENTS, type ChecklistEntry } from "./bindings/vocabulary";
import { countryName, labelKey, type T } from "./i18n";
import { ExportButtons } from "./exports";
import { EnumFilter, Field, SaveStatus } from "./controls";
import { ChangeList, plainValue } from "./changes";
import { useAutosave } from "./autosave";

type Place = { kind: "matrix" } | { kind: "country"; country: string; item?: string };

/** The filters shared by the checklist and the matrix. */
export interface ItemFilter {
  instrument: Instrument | "";
  mandatory: boolean;
}

export function filterCatalogue(f: ItemFilter): ChecklistEntry[] {
  return CATALOGUE.filter(
    (c) => (!f.instrument || c.instrument === f.instrument) && (!f.mandatory || c.obligation !== "optional"),
  );
}

/** The letter printed in a status cell (C/P/N/–), so it reads without colour. */
export function statusLetter(t: T, s: AssessmentStatus): string {
  return t(`report-letter-${s}`);
}

export function Legal({ t, lang, ownCountry, version = 0 }: { t: T; lang: Lang; ownCountry: string; version?: number }) {
  const [place, setPlace] = useState<Place>({ kind: "country", country: ownCountry });
  const [overview, setOverview] = useState<AssessmentSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<ItemFilter>({ instrument: "", mandatory: false });

  const refresh = () =>
    api
      .legalOverview()
      .then(setOverview)
      .catch((e) => setError(asIpcError(e).message));
  useEffect(() => {
    refresh();
  }, [version]);

  return (
    <main class="legal">
      <nav class="legal-nav" aria-label={t("ui-legal-countries")}>
        <button
          type="button"
          id="legal-matrix"
          class={`nav-item${place.kind === "matrix" ? " selected" : ""}`}
          aria-current={place.kind === "matrix" ? "page" : undefined}
          onClick={() => setPlace({ kind: "matrix" })}
        >
          <strong>{t("ui-legal-matrix")}</strong>
          <span class="muted small">{t("ui-legal-matrix-hint")}</span>
        </button>
        <h2 class="nav-title">{t("ui-legal-countries")}</h2>
        <ul class="plain">
          {overview.map((o) => (
            <li key={o.country}>
              <button
                type="button"
                class={`nav-item${place.kind === "country" && place.country === o.country ? " selected" : ""}`}
                data-country={o.country}
                aria-current={place.kind === "country" && place.country === o.country ? "page" : undefined}
                onClick={() => setPlace({ kind: "country", country: o.country })}
              >
                <span class="nav-row">
                  <strong>{countryName(lang, o.country)}</strong>
                  {o.editable && <span class="badge own">{t("ui-legal-own")}</span>}
                </span>
                <TallyBar t={t} tally={o.tally} />
                <span class="muted small">
                  {o.present
                    ? t("ui-legal-assessed-count", { done: assessed(o.tally), total: total(o.tally) })
                    : t("ui-legal-not-held")}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section class="legal-main">
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {place.kind === "matrix" ? (
          <Matrix t={t} lang={lang} filter={filter} setFilter={setFilter} onOpen={(country, item) => setPlace({ kind: "country", country, item })} />
        ) : (
          <Checklist
            key={place.country}
            t={t}
            lang={lang}
            country={place.country}
            initialItem={place.item}
            filter={filter}
            setFilter={setFilter}
            others={overview.filter((o) => o.present && o.country !== place.country).map((o) => o.country)}
            onChanged={refresh}
          />
        )}
      </section>
    </main>
  );
}

const assessed = (t: Tally) => t.compliant + t.partially_compliant + t.not_compliant;
const total = (t: Tally) => assessed(t) + t.not_assessed;

/** A stacked bar: compliant, partially, not compliant, not assessed. */
export function TallyBar({ t, tally }: { t: T; tally: Tally }) {
  const n = Math.max(1, total(tally));
  const parts: [AssessmentStatus, number][] = [
    ["compliant", tally.compliant],
    ["partially_compliant", tally.partially_compliant],
    ["not_compliant", tally.not_compliant],
    ["not_assessed", tally.not_assessed],
  ];
  const label = parts.map(([s, v]) => `${t(labelKey("assessment", s))}: ${v}`).join(" · ");
  return (
    <span class="tally-bar" role="img" aria-label={label} title={label}>
      {parts.map(([s, v]) => (v > 0 ? <span key={s} class={`st-${s}`} style={{ width: `${(100 * v) / n}%` }} /> : null))}
    </span>
  );
}

function Filters({ t, filter, setFilter, children }: { t: T; filter: ItemFilter; setFilter: (f: ItemFilter) => void; children?: preact.ComponentChildren }) {
  return (
    <div class="legal-filters">
      <EnumFilter
        t={t}
        id="legal-filter-protocol"
        label={t("ui-legal-protocol")}
        value={filter.instrument}
        values={INSTRUMENTS}
        prefix="instrument"
        onPick={(v) => setFilter({ ...filter, instrument: v as Instrument | "" })}
      />
      <label class="check">
        <input
          type="checkbox"
          id="legal-filter-mandatory"
          checked={filter.mandatory}
          onChange={(e) => setFilter({ ...filter, mandatory: e.currentTarget.checked })}
        />
        <span>{t("ui-legal-mandatory-only")}</span>
      </label>
      {children}
    </div>
  );
}

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

function Matrix({
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

function Checklist({
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

export function emptyItem(): AssessmentItem {
  return { status: "not_assessed", provisions: [], gap: "", proposal: "", evidence: [], assessor: "", updated_by: "" };
}

/** The fields a user edits (the patch sent on autosave). */
export function patchOf(d: AssessmentItem): ItemPatch {
  return {
    status: d.status,
    provisions: d.provisions.map((p) => (p.year === undefined || p.year === null ? { law: p.law, article: p.article } : p)),
    gap: d.gap,
    proposal: d.proposal,
    evidence: d.evidence,
    assessor: d.assessor,
    assessed_on: d.assessed_on || null,
  };
}

export function ItemEditor({
  t,
  lang,
  country,
  entry,
  view,
  others,
  onClose,
  onSaved,
}: {
  t: T;
  lang: Lang;
  country: string;
  entry: ChecklistEntry;
  view: AssessmentView;
  others: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const stored = view.assessment.items[entry.id] ?? emptyItem();
  const [draft, setDraft] = useState<AssessmentItem>(stored);
  const [error, setError] = useState<IpcError | null>(null);
  const [history, setHistory] = useState<ItemChange[] | null>(null);
  const [compare, setCompare] = useState("");
  const latest = useRef(draft);
  const editable = view.editable;
  const conflicts = view.conflicts.filter((c) => c.item === entry.id);
  const warnings = view.issues.filter((i) => i.item === entry.id).map((i) => i.issue);

  // Saved a moment after the last edit; leaving the item (or the screen) saves what was typed.
  const autosave = useAutosave({
    save: () => api.updateLegalItem(country, entry.id, patchOf(latest.current)),
    onSaved: () => {
      setError(null);
      onSaved();
    },
    onError: (e) => setError(asIpcError(e)),
  });

  const change = (next: AssessmentItem) => {
    latest.current = next;
    setDraft(next);
    autosave.edited();
  };
  const set = <K extends keyof AssessmentItem>(k: K, v: AssessmentItem[K]) => change({ ...latest.current, [k]: v });
  const setProvision = (i: number, p: Partial<Provision>) =>
    set(
      "provisions",
      latest.current.provisions.map((x, j) => (j === i ? { ...x, ...p } : x)),
    );
  const setEvidence = (i: number, p: Partial<Evidence>) =>
    set(
      "evidence",
      latest.current.evidence.map((x, j) => (j === i ? { ...x, ...p } : x)),
    );

  const showHistory = () =>
    api
      .legalItemHistory(country, entry.id)
      .then(setHistory)
      .catch((e) => setError(asIpcError(e)));

  const choose = (field: string, value: unknown) =>
    api
      .chooseLegalValue(country, entry.id, field, value)
      .then(() => onSaved())
      .catch((e) => setError(asIpcError(e)));

  return (
    <aside class="item-editor" id="item-editor" aria-label={t("ui-legal-item-editor", { item: entry.id })}>
      <header class="editor-head">
        <div>
          <h3>
            <span class="item-id mandatory">{entry.id}</span> · {entry.article}
          </h3>
          <p class="muted small">
            {t(labelKey("instrument", entry.instrument))} · {t(labelKey("obligation", entry.obligation))}
          </p>
        </div>
        <button type="button" class="link" id="item-close" onClick={onClose}>
          {t("ui-close")}
        </button>
      </header>
      <p class="obligation">{t(`legal-${entry.id}`)}</p>
      <SaveStatus t={t} id="item-save-state" state={autosave.state} />
      {!editable && <p class="muted small">{t("ui-legal-read-only-hint", { country: countryName(lang, country) })}</p>}
      {error && (
        <div class="form-error" role="alert" id="item-error">
          {error.message}
        </div>
      )}
      {conflicts.map((c) => (
        <div class="conflict-box" key={c.field} role="group" aria-label={t("ui-conflict")}>
          <p>
            <strong>{t("ui-legal-conflict-title", { field: t(`ui-legal-field-${c.field}`) })}</strong>
          </p>
          <p class="small muted">{t("ui-legal-conflict-hint")}</p>
          <ul class="plain">
            {c.values.map((v, i) => (
              <li key={i} class="conflict-value">
                <span>{c.field === "status" ? t(labelKey("assessment", String(v))) : String(v ?? "—")}</span>
                {i === 0 && <span class="badge">{t("ui-legal-shown")}</span>}
                {editable && (
                  <button type="button" class="small-btn" onClick={() => choose(c.field, v)}>
                    {t("ui-legal-choose")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <fieldset class="status-choice" disabled={!editable}>
        <legend>{t("ui-legal-field-status")}</legend>
        {ASSESSMENT_STATUSES.map((s) => (
          <label key={s} class={`status-option st-${s}${draft.status === s ? " on" : ""}`}>
            <input type="radio" name="item-status" value={s} checked={draft.status === s} onChange={() => set("status", s)} />
            <span class="letter">{statusLetter(t, s)}</span> {t(labelKey("assessment", s))}
          </label>
        ))}
      </fieldset>

      <fieldset disabled={!editable}>
        <legend>{t("ui-legal-field-provisions")}</legend>
        {draft.provisions.length === 0 && <p class="muted small">{t("ui-none")}</p>}
        {draft.provisions.map((p, i) => (
          <div class="provision" key={i}>
            <label>
              <span>{t("ui-legal-law")}</span>
              <input class="prov-law" value={p.law} onInput={(e) => setProvision(i, { law: e.currentTarget.value })} />
            </label>
            <label>
              <span>{t("ui-legal-article")}</span>
              <input class="prov-article" value={p.article} onInput={(e) => setProvision(i, { article: e.currentTarget.value })} />
            </label>
            <label class="year">
              <span>{t("ui-legal-year")}</span>
              <input
                class="prov-year"
                inputMode="numeric"
                value={p.year ?? ""}
                onInput={(e) => {
                  const v = e.currentTarget.value.trim();
                  setProvision(i, { year: v === "" ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined });
                }}
              />
            </label>
            <button
              type="button"
              class="link"
              aria-label={t("ui-legal-remove")}
              onClick={() => set("provisions", latest.current.provisions.filter((_, j) => j !== i))}
            >
              {t("ui-legal-remove")}
            </button>
          </div>
        ))}
        <button type="button" class="outline small-btn" id="add-provision" onClick={() => set("provisions", [...latest.current.provisions, { law: "", article: "" }])}>
          + {t("ui-legal-add-provision")}
        </button>
      </fieldset>

      <Field label={t("ui-legal-field-gap")}>
        <textarea id="item-gap" rows={3} disabled={!editable} value={draft.gap} onInput={(e) => set("gap", e.currentTarget.value)} />
      </Field>
      <Field label={t("ui-legal-field-proposal")}>
        <textarea id="item-proposal" rows={3} disabled={!editable} value={draft.proposal} onInput={(e) => set("proposal", e.currentTarget.value)} />
      </Field>

      <fieldset disabled={!editable}>
        <legend>{t("ui-legal-field-evidence")}</legend>
        {draft.evidence.length === 0 && <p class="muted small">{t("ui-none")}</p>}
        {draft.evidence.map((ev, i) => (
          <div class="provision" key={i}>
            <label>
              <span>{t("ui-legal-evidence-kind")}</span>
              <select value={ev.kind} onChange={(e) => setEvidence(i, { kind: e.currentTarget.value as EvidenceKind })}>
                {EVIDENCE_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(labelKey("evidence", k))}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t("ui-legal-evidence-reference")}</span>
              <input
                value={ev.reference}
                placeholder={ev.kind === "enlace_case" ? "GT-2026-0042" : ""}
                onInput={(e) => setEvidence(i, { reference: e.currentTarget.value })}
              />
            </label>
            <button type="button" class="link" onClick={() => set("evidence", latest.current.evidence.filter((_, j) => j !== i))}>
              {t("ui-legal-remove")}
            </button>
          </div>
        ))}
        <button
          type="button"
          class="outline small-btn"
          onClick={() => set("evidence", [...latest.current.evidence, { kind: "court_decision", reference: "", note: "" }])}
        >
          + {t("ui-legal-add-evidence")}
        </button>
      </fieldset>

      <div class="two">
        <Field label={t("ui-legal-field-assessor")}>
          <input id="item-assessor" disabled={!editable} value={draft.assessor} onInput={(e) => set("assessor", e.currentTarget.value)} />
        </Field>
        <Field label={t("ui-legal-field-assessed_on")}>
          <input
            id="item-date"
            type="date"
            disabled={!editable}
            value={draft.assessed_on ?? ""}
            onInput={(e) => set("assessed_on", e.currentTarget.value || null)}
          />
        </Field>
      </div>
      {warnings.length > 0 && (
        <ul class="issues plain">
          {warnings.map((w, i) => (
            <li key={i} class="issue warning">
              ⚠ {t(w.code, Object.fromEntries([...w.args, ["path", `${entry.id}.${w.path}`]]))}
            </li>
          ))}
        </ul>
      )}
      {stored.updated_by && (
        <p class="muted small">
          {t("ui-legal-last-change", { by: stored.updated_by, at: (stored.updated_at ?? "").slice(0, 16).replace("T", " ") })}
        </p>
      )}

      <div class="editor-actions">
        <button type="button" class="outline small-btn" id="item-history-button" onClick={showHistory}>
          {t("ui-history")}
        </button>
        <label class="compare-pick">
          <span>{t("ui-legal-compare-with")}</span>
          <select id="compare-with" value={compare} onChange={(e) => setCompare(e.currentTarget.value)}>
            <option value="">—</option>
            {others.map((c) => (
              <option key={c} value={c}>
                {countryName(lang, c)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {compare && <Compare t={t} lang={lang} item={entry.id} left={country} leftItem={draft} right={compare} />}
      {history && <ItemHistory t={t} history={history} />}
    </aside>
  );
}

function provisionText(p: Provision): string {
  return [p.law, p.article, p.year ? `(${p.year})` : ""].filter(Boolean).join(", ");
}

function Compare({ t, lang, item, left, leftItem, right }: { t: T; lang: Lang; item: string; left: string; leftItem: AssessmentItem; right: string }) {
  const [other, setOther] = useState<AssessmentItem | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .legalAssessment(right)
      .then((v) => setOther(v.assessment.items[item] ?? emptyItem()))
      .catch((e) => setError(asIpcError(e).message));
  }, [right, item]);
  if (error) return <p class="form-error">{error}</p>;
  if (!other) return <p class="muted">{t("ui-loading")}</p>;
  const col = (c: string, it: AssessmentItem) => (
    <div class="compare-col" data-country={c}>
      <h4>{countryName(lang, c)}</h4>
      <p>
        <span class={`cell st-${it.status}`}>{statusLetter(t, it.status)}</span> {t(labelKey("assessment", it.status))}
      </p>
      <h5>{t("ui-legal-field-provisions")}</h5>
      {it.provisions.length ? (
        <ul class="plain">
          {it.provisions.map((p, i) => (
            <li key={i}>{provisionText(p)}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">—</p>
      )}
      <h5>{t("ui-legal-field-gap")}</h5>
      <p>{it.gap || "—"}</p>
      <h5>{t("ui-legal-field-proposal")}</h5>
      <p>{it.proposal || "—"}</p>
    </div>
  );
  return (
    <section class="compare" id="compare" aria-label={t("ui-legal-compare-title", { item })}>
      <h4>{t("ui-legal-compare-title", { item })}</h4>
      <div class="compare-cols">
        {col(left, leftItem)}
        {col(right, other)}
      </div>
    </section>
  );
}

function ItemHistory({ t, history }: { t: T; history: ItemChange[] }) {
  return (
    <section class="item-history" id="item-history" aria-label={t("ui-history")}>
      <h4>{t("ui-history")}</h4>
      <ChangeList
        t={t}
        id="item-changes"
        changes={history}
        label={(f) => t(`ui-legal-field-${f}`)}
        show={(f, v) =>
          f === "status" && typeof v === "string"
            ? t(labelKey("assessment", v))
            : Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] && "law" in v[0]
              ? (v as Provision[]).map(provisionText).join("; ")
              : plainValue(t, v)
        }
      />
    </section>
  );
}
