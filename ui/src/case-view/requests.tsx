// Requests between states, in the case view: each request (its kind, who
// asks whom and for what, where it stands, when it was sent and is due, a
// mark when its deadline passed) with the requested country's answers as a
// timeline. The requested country's officials who may change cases
// acknowledge it, ask for more information, answer or refuse it (saying
// why); the requesting country reads the answers when sync brings them.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Issue } from "../bindings/Issue";
import type { Lang } from "../bindings/Lang";
import type { RequestAction } from "../bindings/RequestAction";
import type { RequestSide } from "../bindings/RequestSide";
import type { RequestView } from "../bindings/RequestView";
import { shortTime, showDate } from "../format";
import { countryName, labelKey, type T } from "../i18n";

// Every action, in the order offered; an action added in Rust
// (bindings/RequestAction.ts) fails the typecheck here until it is listed.
const EVERY_REQUEST_ACTION: Record<RequestAction, true> = {
  acknowledged: true,
  more_information: true,
  answered: true,
  refused: true,
};
export const REQUEST_ACTIONS = Object.keys(EVERY_REQUEST_ACTION) as RequestAction[];

/** The actions that must say why (the core refuses them without a text). */
export const REASON_REQUIRED: ReadonlySet<RequestAction> = new Set<RequestAction>(["more_information", "refused"]);

/** What the requested country did, in words (`request-action-<wire>` in the Fluent files). */
export function requestActionLabel(t: T, a: RequestAction): string {
  return t(labelKey("request-action", a));
}

/**
 * Nothing more is awaited of a request: the requested country answered or
 * refused it, or its status says it was answered, refused or withdrawn
 * (the core's rule for a deadline that no longer runs).
 */
export function settled(v: RequestView): boolean {
  return v.latest === "answered" || v.latest === "refused" || ["answered", "refused", "withdrawn"].includes(v.request.status);
}

const SIDES: RequestSide[] = ["to_us", "from_us", "other"];

/**
 * The pending list's order: those this country is asked first, then those
 * it made; within each, the overdue first (the longest overdue first),
 * then by deadline (none last), then by case.
 */
export function sortPending(rows: RequestView[]): RequestView[] {
  return [...rows].sort(
    (a, b) =>
      SIDES.indexOf(a.side) - SIDES.indexOf(b.side) ||
      Number(b.overdue) - Number(a.overdue) ||
      b.days_overdue - a.days_overdue ||
      (a.request.due ?? "9999").localeCompare(b.request.due ?? "9999") ||
      a.reference.localeCompare(b.reference),
  );
}

/** A deadline passed: a warning mark and the days, in words. */
export function RequestOverdue({ t, days }: { t: T; days: number }) {
  return (
    <span class="request-overdue-mark">
      <span aria-hidden="true">⚠ </span>
      {t("ui-request-overdue", { days: Math.max(1, days) })}
    </span>
  );
}

/**
 * The requests of a case. `mayAnswer`: the official's role may change
 * cases (the requested country's answer is the one change it makes to
 * another country's case).
 */
export function RequestsSection({
  t,
  lang,
  caseId,
  mayAnswer,
  version,
  onChanged,
}: {
  t: T;
  lang: Lang;
  caseId: string;
  mayAnswer: boolean;
  /** Bumped when sync brought documents. */
  version: number;
  /** An answer was recorded (the case's history changed). */
  onChanged?: () => void;
}) {
  const [views, setViews] = useState<RequestView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The open form: which request (its id) and what is answered.
  const [form, setForm] = useState<{ request: string; action: RequestAction } | null>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    api
      .caseRequests(caseId)
      .then((v) => {
        if (!live) return;
        setViews(v);
        setError(null);
      })
      .catch((e) => live && setError(asIpcError(e).message));
    return () => {
      live = false;
    };
  }, [caseId, version, asked]);

  return (
    <section class="requests" id="requests" data-testid="requests" aria-labelledby="requests-title">
      <h3 id="requests-title">{t("field-requests")}</h3>
      {error && (
        <p class="form-error" role="alert" id="requests-error">
          {error}
        </p>
      )}
      {done && (
        <p class="export-done" role="status" id="requests-done">
          {done}
        </p>
      )}
      {views && (
        <ul class="plain request-list">
          {views.map((v, n) => {
            const id = v.request.id ?? "";
            const open = form && id && form.request === id ? form.action : null;
            return (
              <RequestItem
                key={id || n}
                t={t}
                lang={lang}
                v={v}
                index={n}
                mayAnswer={mayAnswer && !!id}
                answering={open}
                onAnswer={(action) => {
                  setDone(null);
                  setForm({ request: id, action });
                }}
              >
                {open && (
                  <AnswerForm
                    t={t}
                    lang={lang}
                    caseId={caseId}
                    v={v}
                    action={open}
                    onCancel={() => setForm(null)}
                    onSaved={(now) => {
                      setForm(null);
                      setError(null);
                      setViews((old) => (old ?? []).map((o) => (o.request.id === now.request.id ? now : o)));
                      setDone(t("ui-request-saved", { country: countryName(lang, now.request.from) }));
                      // Read again: the answer as the core keeps it, with the others'.
                      setAsked((a) => a + 1);
                      onChanged?.();
                    }}
                  />
                )}
              </RequestItem>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** One request: what it asks, where it stands, its deadline, the answers, and (to this country) what may be done. */
function RequestItem({
  t,
  lang,
  v,
  index,
  mayAnswer,
  answering,
  onAnswer,
  children,
}: {
  t: T;
  lang: Lang;
  v: RequestView;
  index: number;
  mayAnswer: boolean;
  /** The action whose form is open on this request. */
  answering: RequestAction | null;
  onAnswer: (a: RequestAction) => void;
  /** The form, when it is open. */
  children?: ComponentChildren;
}) {
  const r = v.request;
  const from = countryName(lang, r.from);
  const to = countryName(lang, r.to);
  return (
    <li
      class={`request${v.overdue ? " is-overdue" : ""}`}
      data-testid={`request-${index}`}
      data-request-id={r.id ?? ""}
      data-side={v.side}
      data-overdue={v.overdue}
    >
      <div class="request-head">
        <strong>{t(labelKey("request-kind", r.kind))}</strong>
        <span>
          {from} → {to}
        </span>
        <span class="badge request-status">{t(labelKey("request-status", r.status))}</span>
        {v.latest && <span class={`badge request-latest request-${v.latest}`}>{t("ui-request-latest", { action: requestActionLabel(t, v.latest) })}</span>}
        <span class="muted small">{t(labelKey("ui-request-side", v.side))}</span>
      </div>
      <div class="request-subject" dir="auto">
        {r.subject}
      </div>
      <div class="muted small request-dates">
        {t("ui-request-sent", { date: showDate(r.sent) || "—" })} · {r.due ? t("ui-request-due", { date: showDate(r.due) }) : t("ui-request-no-due")}
      </div>
      {v.overdue && (
        <p class="request-overdue" data-testid="request-overdue">
          <RequestOverdue t={t} days={v.days_overdue} />
        </p>
      )}
      {v.answers.length > 0 ? (
        <ol class="request-answers" data-testid="request-answers" aria-label={t("ui-request-answers", { country: to })}>
          {v.answers.map((a, n) => (
            <li key={a.id || n} data-action={a.action}>
              <span class="muted small">{shortTime(a.at)}</span> · <strong>{countryName(lang, a.country)}</strong> ·{" "}
              <span class={`badge request-${a.action}`}>{requestActionLabel(t, a.action)}</span>
              {a.text && (
                <div class="request-answer-text" dir="auto">
                  {a.text}
                </div>
              )}
              {a.by && <div class="muted small">{a.by}</div>}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted small request-no-answers">{v.side === "to_us" ? t("ui-request-no-answers-here") : t("ui-request-no-answers", { country: to })}</p>
      )}
      {v.side === "from_us" && (
        <p class="help" data-testid="request-from-us-note">
          {t("ui-request-from-us-note", { country: to })}
        </p>
      )}
      {v.side === "to_us" && mayAnswer && !answering && (
        <div class="request-actions" role="group" aria-label={t("ui-request-answer-group", { country: from })}>
          {REQUEST_ACTIONS.map((a) => (
            <button key={a} type="button" class={`small-btn${a === "refused" ? " outline" : ""}`} data-testid={`request-answer-${a}`} onClick={() => onAnswer(a)}>
              {t(labelKey("ui-request-do", a))}
            </button>
          ))}
        </div>
      )}
      {children}
    </li>
  );
}

/**
 * The requested country's answer: a text (required, by the core, for a
 * refusal and a request for more information). What the core refuses is
 * said next to the text, and the form stays open.
 */
function AnswerForm({
  t,
  lang,
  caseId,
  v,
  action,
  onCancel,
  onSaved,
}: {
  t: T;
  lang: Lang;
  caseId: string;
  v: RequestView;
  action: RequestAction;
  onCancel: () => void;
  onSaved: (now: RequestView) => void;
}) {
  const [text, setText] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = t(labelKey("ui-request-text", action));
  // The text's issues, in words (a Fluent key of the core, its field named).
  const textIssues = issues
    .filter((i) => i.path === "text")
    .map((i) => t(i.code, Object.fromEntries([...i.args, ["path", label]])));
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    setIssues([]);
    setBusy(true);
    api
      .requestAnswer(caseId, v.request.id ?? "", action, text.trim())
      .then(onSaved)
      .catch((err) => {
        const ipc = asIpcError(err);
        setIssues(ipc.issues);
        // Said next to the text when that is all; otherwise the whole message.
        const onText = ipc.issues.length > 0 && ipc.issues.every((i) => i.path === "text");
        setError(onText ? null : ipc.message);
      })
      .finally(() => setBusy(false));
  };
  return (
    <form class="request-form" data-testid="request-answer-form" data-action={action} onSubmit={submit} noValidate aria-labelledby="request-form-title">
      <h4 id="request-form-title">{t(labelKey("ui-request-do", action))}</h4>
      <p class="help">{t(labelKey("ui-request-hint", action), { country: countryName(lang, v.request.from) })}</p>
      <label class="block">
        <span>{label}</span>
        <textarea
          id="request-answer-text"
          data-testid="request-answer-text"
          dir="auto"
          rows={3}
          value={text}
          aria-required={REASON_REQUIRED.has(action)}
          aria-invalid={textIssues.length > 0}
          aria-describedby={textIssues.length > 0 ? "request-answer-error" : undefined}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        {textIssues.length > 0 && (
          <span class="field-error" role="alert" id="request-answer-error" data-testid="request-answer-error" data-path="text">
            {textIssues.join(" ")}
          </span>
        )}
      </label>
      {error && (
        <p class="form-error" role="alert" id="request-answer-failed" data-testid="request-answer-failed">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="outline" data-testid="request-answer-cancel" onClick={onCancel}>
          {t("ui-cancel")}
        </button>
        <button type="submit" data-testid="request-answer-save" disabled={busy}>
          {t("ui-request-save")}
        </button>
      </div>
    </form>
  );
}
