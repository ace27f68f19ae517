// One checklist item: status, provisions, gap, proposal, evidence, assessor;
// autosaved. Concurrent values to choose from, history, comparison.
import { useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { AssessmentItem } from "../bindings/AssessmentItem";
import type { AssessmentView } from "../bindings/AssessmentView";
import type { Evidence } from "../bindings/Evidence";
import type { EvidenceKind } from "../bindings/EvidenceKind";
import type { IpcError } from "../bindings/IpcError";
import type { ItemChange } from "../bindings/ItemChange";
import type { Lang } from "../bindings/Lang";
import type { Provision } from "../bindings/Provision";
import { ASSESSMENT_STATUSES, EVIDENCE_KINDS, type ChecklistEntry } from "../bindings/vocabulary";
import { countryName, labelKey, type T } from "../i18n";
import { roleLabel, useCan, useSession } from "../session";
import { ConflictBox, Field, SaveStatus } from "../controls";
import { useAutosave } from "../autosave";
import { emptyItem, patchOf, statusLetter } from "./catalogue";
import { Compare } from "./compare";
import { ItemHistory } from "./item-history";

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
  // The heads the item was read at (then its last save's): a save is made
  // on the assessment as read and merged with what sync brought since.
  const baseHeads = useRef<string[] | null>(view.heads.length > 0 ? view.heads : null);
  // The assessment's country changes it, and only officials whose role may.
  const session = useSession();
  const mayEdit = useCan("edit_assessments");
  const editable = view.editable && mayEdit;
  const conflicts = view.conflicts.filter((c) => c.item === entry.id);
  const warnings = view.issues.filter((i) => i.item === entry.id).map((i) => i.issue);

  // Saved a moment after the last edit; leaving the item (or the screen) saves what was typed.
  const autosave = useAutosave({
    save: () =>
      api.updateLegalItem(country, entry.id, patchOf(latest.current), baseHeads.current).then((r) => {
        baseHeads.current = r.heads;
        return r;
      }),
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
      {!mayEdit && session && <p class="muted small" id="item-role-read-only">{t("ui-role-read-only", { role: roleLabel(t, session.role) })}</p>}
      {mayEdit && !editable && <p class="muted small">{t("ui-legal-read-only-hint", { country: countryName(lang, country) })}</p>}
      {error && (
        <div class="form-error" role="alert" id="item-error">
          {error.message}
        </div>
      )}
      {conflicts.map((c) => (
        <ConflictBox
          key={c.field}
          t={t}
          label={t(`ui-legal-field-${c.field}`)}
          values={c.values}
          show={(v) => (c.field === "status" ? t(labelKey("assessment", String(v))) : String(v ?? "—"))}
          onChoose={editable ? (v) => choose(c.field, v) : undefined}
        />
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
