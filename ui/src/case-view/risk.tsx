// Victims' risk, in the case view: for each victim, the current
// assessment (its level, who assessed it and when, the threats, the
// measures, the next review and where it stands), the earlier ones, and a
// form for the first assessment or a review. Assessments nodes made apart
// are shown side by side for a person to choose one: never a silent
// winner. Not shown to a role that may not see risk assessments.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Issue } from "../bindings/Issue";
import type { ReviewState } from "../bindings/ReviewState";
import type { RiskEntry } from "../bindings/RiskEntry";
import type { RiskInput } from "../bindings/RiskInput";
import type { RiskLevel } from "../bindings/RiskLevel";
import type { ThreatFactor } from "../bindings/ThreatFactor";
import type { VictimRisk } from "../bindings/VictimRisk";
import { Field } from "../controls";
import { shortTime, showDate } from "../format";
import type { T } from "../i18n";
import {
  REVIEW_DAYS,
  RISK_LEVELS,
  THREATS,
  daysBetween,
  defaultReview,
  reviewLabel,
  riskLevelLabel,
  sortedThreats,
  threatLabel,
  todayIso,
} from "../risk-fields";
import { toggle } from "../case-editor/form";

/** A level as a coloured badge that says it in words too. */
export function RiskBadge({ t, level }: { t: T; level: RiskLevel }) {
  return (
    <span class={`badge risk-level risk-${level}`} data-level={level}>
      {t("ui-risk-level-badge", { level: riskLevelLabel(t, level) })}
    </span>
  );
}

/** Where a review stands; an overdue one with a warning mark. */
export function ReviewMark({ t, state }: { t: T; state: ReviewState }) {
  return (
    <span class={`risk-review risk-review-${state}`} data-testid="risk-review-state" data-state={state}>
      {state === "overdue" && <span aria-hidden="true">⚠ </span>}
      {reviewLabel(t, state)}
    </span>
  );
}

/**
 * The risk of a case's victims. `editable`: this node's country owns the
 * case and the role may change it (record, review, choose).
 */
export function RiskSection({
  t,
  caseId,
  editable,
  version,
  onChanged,
}: {
  t: T;
  caseId: string;
  editable: boolean;
  /** Bumped when sync brought documents. */
  version: number;
  /** An assessment was recorded (the case list's review marks change). */
  onChanged?: () => void;
}) {
  const [risks, setRisks] = useState<VictimRisk[] | null>(null);
  const [hidden, setHidden] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    api
      .riskList(caseId)
      .then((r) => {
        if (!live) return;
        setRisks(r);
        setError(null);
      })
      .catch((e) => {
        if (!live) return;
        const err = asIpcError(e);
        // A role that may not see risk assessments: no section at all.
        if (err.code === "forbidden") setHidden(true);
        else setError(err.message);
      });
    return () => {
      live = false;
    };
  }, [caseId, version]);

  const replace = (v: VictimRisk) => setRisks((old) => (old ?? []).map((o) => (o.pseudonym === v.pseudonym ? v : o)));
  const choose = (v: VictimRisk, e: RiskEntry) => {
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .riskChoose(caseId, v.pseudonym, e.id)
      .then((now) => {
        replace(now);
        setDone(t("ui-risk-chosen-done", { pseudonym: v.pseudonym, assessor: e.assessor, date: showDate(e.assessed_on) }));
        onChanged?.();
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };

  if (hidden || (risks !== null && risks.length === 0 && !error)) return null;
  return (
    <section class="risk" id="risk" data-testid="risk" aria-labelledby="risk-title">
      <h3 id="risk-title">{t("ui-risk-title")}</h3>
      <p class="muted small">{t("ui-risk-intro")}</p>
      {error && (
        <p class="form-error" role="alert" id="risk-error">
          {error}
        </p>
      )}
      {done && (
        <p class="export-done" role="status" id="risk-done">
          {done}
        </p>
      )}
      {risks && (
        <ul class="plain risk-victims">
          {risks.map((v) => (
            <VictimRiskItem
              key={v.pseudonym}
              t={t}
              v={v}
              editable={editable}
              busy={busy}
              onChoose={choose}
              form={
                editing === v.pseudonym ? (
                  <RiskForm
                    t={t}
                    caseId={caseId}
                    victim={v}
                    onCancel={() => setEditing(null)}
                    onSaved={(now) => {
                      setEditing(null);
                      setError(null);
                      replace(now);
                      setDone(t("ui-risk-saved", { pseudonym: now.pseudonym, date: showDate(now.next_review) || "—" }));
                      onChanged?.();
                    }}
                  />
                ) : null
              }
              onEdit={() => {
                setDone(null);
                setEditing(v.pseudonym);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One victim: the current assessment (or those made apart), the earlier ones, and what may be done. */
function VictimRiskItem({
  t,
  v,
  editable,
  busy,
  form,
  onChoose,
  onEdit,
}: {
  t: T;
  v: VictimRisk;
  editable: boolean;
  busy: boolean;
  /** The form, when it is open for this victim. */
  form: ComponentChildren;
  onChoose: (v: VictimRisk, e: RiskEntry) => void;
  onEdit: () => void;
}) {
  const earlier = v.history.filter((e) => !v.current.some((c) => c.id === e.id));
  const overdue = v.review === "overdue" && v.next_review;
  return (
    <li class={`risk-victim${overdue ? " is-overdue" : ""}`} data-testid={`risk-${v.pseudonym}`} data-pseudonym={v.pseudonym} data-review={v.review ?? ""}>
      <div class="risk-victim-head">
        <strong class="mono">{v.pseudonym}</strong>
        {v.current.length === 0 && <span class="muted">{t("ui-risk-none")}</span>}
        {v.current.length > 0 && !v.concurrent && <RiskBadge t={t} level={v.current[0].level} />}
        {v.concurrent && <span class="badge conflict">{t("ui-risk-concurrent-badge", { count: v.current.length })}</span>}
        {v.review && <ReviewMark t={t} state={v.review} />}
        {v.next_review && <span class="muted small">{t("ui-risk-next-on", { date: showDate(v.next_review) })}</span>}
      </div>
      {overdue && (
        <p class="risk-overdue" role="alert" data-testid="risk-overdue">
          <span aria-hidden="true">⚠ </span>
          {t("ui-risk-overdue", { pseudonym: v.pseudonym, date: showDate(v.next_review), days: Math.max(1, daysBetween(v.next_review ?? "", todayIso())) })}
        </p>
      )}
      {v.concurrent ? (
        <div class="risk-concurrent" role="group" aria-label={t("ui-risk-concurrent-badge", { count: v.current.length })} data-testid="risk-concurrent">
          <p>{t("ui-risk-concurrent", { pseudonym: v.pseudonym, count: v.current.length })}</p>
          {editable && <p class="small">{t("ui-risk-concurrent-choose")}</p>}
          <div class="risk-side">
            {v.current.map((e) => (
              <RiskEntryView key={e.id} t={t} e={e}>
                {editable && (
                  <button
                    type="button"
                    class="small-btn risk-choose"
                    data-testid="risk-choose"
                    data-id={e.id}
                    aria-label={t("ui-risk-choose-label", { assessor: e.assessor, date: showDate(e.assessed_on), level: riskLevelLabel(t, e.level) })}
                    disabled={busy}
                    onClick={() => onChoose(v, e)}
                  >
                    {t("ui-risk-choose")}
                  </button>
                )}
              </RiskEntryView>
            ))}
          </div>
        </div>
      ) : (
        v.current[0] && <RiskEntryView t={t} e={v.current[0]} />
      )}
      {earlier.length > 0 && (
        <details class="risk-history" data-testid="risk-history">
          <summary>{t("ui-risk-history", { count: earlier.length })}</summary>
          <ul class="plain">
            {earlier.map((e) => (
              <li key={e.id}>
                <RiskEntryView t={t} e={e} />
              </li>
            ))}
          </ul>
        </details>
      )}
      {editable && !form && (
        <button type="button" class="small-btn risk-new" data-testid="risk-new" id={`risk-new-${v.pseudonym}`} onClick={onEdit}>
          {t(v.current.length > 0 ? "ui-risk-review" : "ui-risk-add")}
        </button>
      )}
      {form}
    </li>
  );
}

/** One assessment: its level, who and when, the threats, the measures, the review. */
function RiskEntryView({ t, e, children }: { t: T; e: RiskEntry; children?: ComponentChildren }) {
  return (
    <div class="risk-entry" data-testid="risk-entry" data-id={e.id} data-level={e.level}>
      <div class="risk-entry-head">
        <RiskBadge t={t} level={e.level} />
        <span>{t("ui-risk-assessed", { date: showDate(e.assessed_on), assessor: e.assessor || "—" })}</span>
      </div>
      <dl class="facts risk-facts">
        <div data-field="threats">
          <dt>{t("ui-risk-threats")}</dt>
          <dd>
            {e.threats.length === 0 ? (
              <span class="muted">{t("ui-risk-threats-none")}</span>
            ) : (
              <ul class="risk-threats">
                {sortedThreats(e.threats).map((f) => (
                  <li key={f} data-threat={f}>
                    {threatLabel(t, f)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div data-field="measures_taken">
          <dt>{t("field-measures-taken")}</dt>
          <dd dir="auto">{e.measures_taken || "—"}</dd>
        </div>
        <div data-field="measures_needed">
          <dt>{t("field-measures-needed")}</dt>
          <dd dir="auto">{e.measures_needed || "—"}</dd>
        </div>
        <div data-field="next_review">
          <dt>{t("field-next-review")}</dt>
          <dd>{showDate(e.next_review)}</dd>
        </div>
        {e.notes && (
          <div data-field="notes">
            <dt>{t("ui-risk-notes")}</dt>
            <dd dir="auto">{e.notes}</dd>
          </div>
        )}
      </dl>
      <div class="muted small">
        {t("ui-risk-recorded", { by: e.by || "—", at: e.recorded_at ? shortTime(e.recorded_at) : "—" })}
        {e.chosen && <> · {t("ui-risk-chosen-note")}</>}
      </div>
      {children}
    </div>
  );
}

/**
 * The first assessment of a victim, or a review of the current ones (its
 * threats and measures offered again when there is one). An empty next
 * review is sent as null: the core sets it by level, as the form says.
 */
export function RiskForm({
  t,
  caseId,
  victim,
  onCancel,
  onSaved,
}: {
  t: T;
  caseId: string;
  victim: VictimRisk;
  onCancel: () => void;
  onSaved: (v: VictimRisk) => void;
}) {
  const review = victim.current.length > 0;
  const last = victim.current.length === 1 ? victim.current[0] : undefined;
  const [assessedOn, setAssessedOn] = useState(todayIso());
  const [assessor, setAssessor] = useState("");
  const [level, setLevel] = useState<RiskLevel | "">("");
  const [threats, setThreats] = useState<ThreatFactor[]>(last?.threats ?? []);
  const [taken, setTaken] = useState(last?.measures_taken ?? "");
  const [needed, setNeeded] = useState(last?.measures_needed ?? "");
  const [nextReview, setNextReview] = useState("");
  const [notes, setNotes] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const labels: Record<string, string> = {
    pseudonym: victim.pseudonym,
    assessed_on: t("ui-risk-assessed-on"),
    assessor: t("ui-risk-assessor"),
    level: t("ui-risk-level"),
    threats: t("ui-risk-threats"),
    measures_taken: t("field-measures-taken"),
    measures_needed: t("field-measures-needed"),
    next_review: t("field-next-review"),
    notes: t("ui-risk-notes"),
  };
  const local = (path: string, text: string): Issue => ({ path, code: "", severity: "error", args: [["text", text]] });
  // What a field's issues say: the core's (a Fluent key) or this form's own.
  const msgs = (path: string) =>
    issues
      .filter((i) => i.path === path)
      .map((i) => ({
        text: i.code ? t(i.code, Object.fromEntries([...i.args, ["path", labels[path] ?? path]])) : (i.args[0]?.[1] ?? ""),
        error: i.severity === "error",
      }));
  const invalid = (path: string) => msgs(path).some((m) => m.error);
  const shown = (path: string) =>
    msgs(path).map((m, n) => (
      <span key={n} class={m.error ? "field-error" : "field-warning"} role={m.error ? "alert" : undefined} data-path={path}>
        {m.text}
      </span>
    ));
  const grave = level === "high" || level === "critical";
  const day = assessedOn || todayIso();

  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    const missing: Issue[] = [];
    if (!assessor.trim()) missing.push(local("assessor", t("val-text-required", { path: labels.assessor })));
    if (!level) missing.push(local("level", t("ui-risk-level-missing")));
    setIssues(missing);
    if (missing.length > 0 || !level) return;
    const input: RiskInput = {
      pseudonym: victim.pseudonym,
      assessed_on: assessedOn || null,
      assessor: assessor.trim(),
      level,
      threats: sortedThreats(threats),
      measures_taken: taken.trim(),
      measures_needed: needed.trim(),
      next_review: nextReview || null,
      notes: notes.trim(),
    };
    setBusy(true);
    api
      .riskRecord(caseId, input, review)
      .then(onSaved)
      .catch((err) => {
        const ipc = asIpcError(err);
        setIssues(ipc.issues);
        setError(ipc.message);
      })
      .finally(() => setBusy(false));
  };

  return (
    <form class="risk-form" id="risk-form" data-testid="risk-form" data-review={review} onSubmit={submit} noValidate aria-labelledby="risk-form-title">
      <h4 id="risk-form-title">{t(review ? "ui-risk-review-title" : "ui-risk-add-title", { pseudonym: victim.pseudonym })}</h4>
      {review && <p class="help">{t(victim.concurrent ? "ui-risk-review-hint-concurrent" : "ui-risk-review-hint")}</p>}
      <div class="two">
        <Field label={labels.assessed_on}>
          <input id="risk-assessed-on" data-testid="risk-assessed-on" type="date" value={assessedOn} aria-invalid={invalid("assessed_on")} onInput={(e) => setAssessedOn(e.currentTarget.value)} />
          {shown("assessed_on")}
        </Field>
        <Field label={labels.assessor}>
          <input id="risk-assessor" data-testid="risk-assessor" value={assessor} required aria-invalid={invalid("assessor")} onInput={(e) => setAssessor(e.currentTarget.value)} />
          {shown("assessor")}
        </Field>
      </div>
      <Field label={labels.level}>
        <select id="risk-level" data-testid="risk-level" value={level} required aria-invalid={invalid("level")} onChange={(e) => setLevel(e.currentTarget.value as RiskLevel | "")}>
          <option value="">{t("ui-risk-level-choose")}</option>
          {RISK_LEVELS.map((l) => (
            <option key={l} value={l}>
              {riskLevelLabel(t, l)}
            </option>
          ))}
        </select>
        {shown("level")}
      </Field>
      <fieldset class="risk-threats-edit" id="risk-threats" data-testid="risk-threats">
        <legend>{labels.threats}</legend>
        {THREATS.map((f) => (
          <label class="check" key={f}>
            <input type="checkbox" value={f} data-testid={`risk-threat-${f}`} checked={threats.includes(f)} onChange={() => setThreats((old) => toggle(old, f))} />
            {threatLabel(t, f)}
          </label>
        ))}
      </fieldset>
      <div class="two">
        <Field label={labels.measures_taken}>
          <textarea id="risk-measures-taken" data-testid="risk-measures-taken" dir="auto" rows={2} value={taken} aria-invalid={invalid("measures_taken")} onInput={(e) => setTaken(e.currentTarget.value)} />
          {shown("measures_taken")}
        </Field>
        <Field label={labels.measures_needed}>
          <textarea id="risk-measures-needed" data-testid="risk-measures-needed" dir="auto" rows={2} value={needed} aria-invalid={invalid("measures_needed")} onInput={(e) => setNeeded(e.currentTarget.value)} />
          {shown("measures_needed")}
          {grave && !taken.trim() && !needed.trim() && (
            <span class="field-warning" data-path="measures_needed" data-testid="risk-no-measures">
              {t("val-risk-no-measures", { path: labels.measures_needed })}
            </span>
          )}
        </Field>
      </div>
      <Field label={labels.next_review}>
        <input
          id="risk-next-review"
          data-testid="risk-next-review"
          type="date"
          value={nextReview}
          aria-invalid={invalid("next_review")}
          aria-describedby="risk-next-review-default"
          onInput={(e) => setNextReview(e.currentTarget.value)}
        />
        {shown("next_review")}
      </Field>
      <p class="help" id="risk-next-review-default" data-testid="risk-next-review-default">
        {nextReview
          ? t("ui-risk-next-review-given")
          : level
            ? t("ui-risk-next-review-default", { date: showDate(defaultReview(level, day)), days: REVIEW_DAYS[level], level: riskLevelLabel(t, level) })
            : t("ui-risk-next-review-by-level")}
      </p>
      <Field label={labels.notes}>
        <textarea id="risk-notes" data-testid="risk-notes" dir="auto" rows={2} value={notes} aria-invalid={invalid("notes")} onInput={(e) => setNotes(e.currentTarget.value)} />
        {shown("notes")}
      </Field>
      {shown("pseudonym")}
      {error && (
        <p class="form-error" role="alert" id="risk-form-error" data-testid="risk-form-error">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="outline" id="risk-cancel" data-testid="risk-cancel" onClick={onCancel}>
          {t("ui-cancel")}
        </button>
        <button type="submit" id="risk-save" data-testid="risk-save" disabled={busy}>
          {t("ui-risk-save")}
        </button>
      </div>
    </form>
  );
}
