// The reviews due: the country's victims whose risk review is overdue or
// due within the week (overdue first, then due today, then this week),
// each row opening its case; then the requests between states still
// pending, those this country is asked first (the overdue on top), then
// those it made. Read again each time the tab is shown; not offered to a
// role that may not see risk assessments.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Lang } from "../bindings/Lang";
import type { RequestSide } from "../bindings/RequestSide";
import type { RequestView } from "../bindings/RequestView";
import type { RiskDue } from "../bindings/RiskDue";
import { RequestOverdue, requestActionLabel, settled, sortPending } from "../case-view/requests";
import { RiskBadge, ReviewMark } from "../case-view/risk";
import { showDate } from "../format";
import { countryName, labelKey, type T } from "../i18n";
import { REVIEW_STATES, byGravity } from "../risk-fields";

/** How far ahead the list looks, in days. */
export const REVIEWS_AHEAD = 7;

/** Overdue first, then due today, then this week; the earliest review first within each. */
export function sortDue(rows: RiskDue[]): RiskDue[] {
  return [...rows].sort(
    (a, b) =>
      REVIEW_STATES.indexOf(a.review) - REVIEW_STATES.indexOf(b.review) ||
      a.next_review.localeCompare(b.next_review) ||
      (a.reference ?? a.case_id).localeCompare(b.reference ?? b.case_id) ||
      a.pseudonym.localeCompare(b.pseudonym),
  );
}

export function ReviewsDue({
  t,
  lang,
  visible,
  version = 0,
  onOpen,
  onForbidden,
}: {
  t: T;
  lang: Lang;
  /** Read again each time the tab is shown. */
  visible: boolean;
  /** Bumped when sync brought documents. */
  version?: number;
  /** Opens a case in the case view. */
  onOpen: (caseId: string) => void;
  /** The role may not see risk assessments (the tab is then withdrawn). */
  onForbidden?: () => void;
}) {
  const [rows, setRows] = useState<RiskDue[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [requests, setRequests] = useState<RequestView[] | null>(null);
  const [requestsError, setRequestsError] = useState<string | null>(null);
  const seq = useRef(0);
  const requestsSeq = useRef(0);
  const load = () => {
    loadRequests();
    const mine = ++seq.current;
    api
      .risksDue(REVIEWS_AHEAD)
      .then((r) => {
        if (mine !== seq.current) return;
        setRows(sortDue(r));
        setError(null);
      })
      .catch((e) => {
        if (mine !== seq.current) return;
        const err = asIpcError(e);
        if (err.code === "forbidden") onForbidden?.();
        else setError(err.message);
      });
  };
  // The requests are read apart: a failure there withdraws nothing.
  const loadRequests = () => {
    const mine = ++requestsSeq.current;
    api
      .requests({})
      .then((r) => {
        if (mine !== requestsSeq.current) return;
        setRequests(sortPending(r.filter((v) => !settled(v))));
        setRequestsError(null);
      })
      .catch((e) => mine === requestsSeq.current && setRequestsError(asIpcError(e).message));
  };
  useEffect(() => {
    if (visible) load();
  }, [visible, version]);

  return (
    <main class="sync-main reviews" id="reviews" data-testid="reviews">
      <section class="card">
        <div class="sync-title">
          <h2>{t("ui-reviews-title")}</h2>
          <button type="button" class="outline small-btn" id="reviews-refresh" onClick={load}>
            {t("ui-reviews-refresh")}
          </button>
        </div>
        <p class="muted">{t("ui-reviews-intro")}</p>
        {error && (
          <p class="form-error" role="alert" id="reviews-error">
            {error}
          </p>
        )}
        {rows && rows.length === 0 && (
          <p class="muted" id="reviews-none">
            {t("ui-reviews-none")}
          </p>
        )}
        {rows && rows.length > 0 && (
          <div class="audit-scroll">
            <table class="grid reviews-table" id="reviews-table">
              <thead>
                <tr>
                  <th scope="col">{t("ui-reviews-case")}</th>
                  <th scope="col">{t("ui-reviews-victim")}</th>
                  <th scope="col">{t("ui-reviews-level")}</th>
                  <th scope="col">{t("ui-reviews-next")}</th>
                  <th scope="col">{t("ui-reviews-state")}</th>
                  <th scope="col" class="num">
                    {t("ui-reviews-days")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <ReviewRow key={`${r.case_id} ${r.pseudonym}`} t={t} r={r} onOpen={onOpen} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <PendingRequests t={t} lang={lang} rows={requests} error={requestsError} onOpen={onOpen} />
    </main>
  );
}

/** The pending list's groups, in its order, and their headings. */
const GROUPS: Array<[RequestSide, (t: T) => string]> = [
  ["to_us", (t) => t("ui-request-pending-to-us")],
  ["from_us", (t) => t("ui-request-pending-from-us")],
  ["other", (t) => t("ui-request-pending-other")],
];

/** The requests still awaiting an answer or a refusal, each row opening its case. */
function PendingRequests({
  t,
  lang,
  rows,
  error,
  onOpen,
}: {
  t: T;
  lang: Lang;
  /** Sorted (sortPending), the settled ones left out. */
  rows: RequestView[] | null;
  error: string | null;
  onOpen: (caseId: string) => void;
}) {
  return (
    <section class="card pending-requests" id="pending-requests" data-testid="pending-requests" aria-labelledby="pending-requests-title">
      <h2 id="pending-requests-title">{t("ui-request-pending-title")}</h2>
      <p class="muted">{t("ui-request-pending-intro")}</p>
      {error && (
        <p class="form-error" role="alert" id="pending-requests-error">
          {error}
        </p>
      )}
      {rows && rows.length === 0 && (
        <p class="muted" id="pending-requests-none">
          {t("ui-request-pending-none")}
        </p>
      )}
      {rows && rows.length > 0 && (
        <div class="audit-scroll">
          <table class="grid pending-requests-table" id="pending-requests-table">
            <thead>
              <tr>
                <th scope="col">{t("ui-reviews-case")}</th>
                <th scope="col">{t("ui-request-pending-kind")}</th>
                <th scope="col">{t("ui-request-pending-countries")}</th>
                <th scope="col">{t("ui-request-pending-subject")}</th>
                <th scope="col">{t("ui-request-pending-due")}</th>
                <th scope="col">{t("ui-reviews-state")}</th>
                <th scope="col" class="num">
                  {t("ui-reviews-days")}
                </th>
              </tr>
            </thead>
            {GROUPS.map(([side, heading]) => {
              const group = rows.filter((r) => r.side === side);
              return (
                group.length > 0 && (
                  <tbody key={side} data-side={side}>
                    <tr class="group-row">
                      <th scope="rowgroup" colSpan={7}>
                        {heading(t)}
                      </th>
                    </tr>
                    {group.map((r, n) => (
                      <PendingRequestRow key={`${r.case_id} ${r.request.id ?? n}`} t={t} lang={lang} r={r} onOpen={onOpen} />
                    ))}
                  </tbody>
                )
              );
            })}
          </table>
        </div>
      )}
    </section>
  );
}

/** One request pending; the row opens its case (always held: the list is of the cases this node holds). */
function PendingRequestRow({ t, lang, r, onOpen }: { t: T; lang: Lang; r: RequestView; onOpen: (caseId: string) => void }) {
  const q = r.request;
  return (
    <tr
      class={`pending-request-row opens${r.overdue ? " is-overdue" : ""}`}
      data-testid="pending-request-row"
      data-case-id={r.case_id}
      data-side={r.side}
      data-overdue={r.overdue}
      onClick={() => onOpen(r.case_id)}
    >
      <td>
        <button type="button" class="link mono pending-request-open" aria-label={t("ui-request-pending-open", { reference: r.reference, subject: q.subject })}>
          {r.reference}
        </button>
      </td>
      <td>{t(labelKey("request-kind", q.kind))}</td>
      <td class="nowrap">
        {countryName(lang, q.from)} → {countryName(lang, q.to)}
      </td>
      <td dir="auto">{q.subject}</td>
      <td class="nowrap">{showDate(q.due) || "—"}</td>
      <td>{r.overdue ? <RequestOverdue t={t} days={r.days_overdue} /> : r.latest ? requestActionLabel(t, r.latest) : t(labelKey("request-status", q.status))}</td>
      <td class="num">{r.days_overdue > 0 ? r.days_overdue : "—"}</td>
    </tr>
  );
}

/** One victim due for review; the row opens its case when this node holds it. */
function ReviewRow({ t, r, onOpen }: { t: T; r: RiskDue; onOpen: (caseId: string) => void }) {
  const held = !!r.reference;
  return (
    <tr
      class={`review-row review-${r.review}${held ? " opens" : ""}`}
      data-testid="review-row"
      data-case-id={r.case_id}
      data-pseudonym={r.pseudonym}
      data-state={r.review}
      onClick={held ? () => onOpen(r.case_id) : undefined}
    >
      <td>
        {held ? (
          <button type="button" class="link mono review-open" aria-label={t("ui-reviews-open", { reference: r.reference ?? "", pseudonym: r.pseudonym })}>
            {r.reference}
          </button>
        ) : (
          <span class="muted">{t("ui-reviews-not-held")}</span>
        )}
      </td>
      <td class="mono">{r.pseudonym}</td>
      <td>
        {byGravity(r.levels).map((l, n) => (
          <RiskBadge key={n} t={t} level={l} />
        ))}
        {r.concurrent && (
          <div class="small review-concurrent" data-testid="review-concurrent">
            {t("ui-reviews-concurrent", { count: r.levels.length })}
          </div>
        )}
      </td>
      <td class="nowrap">{showDate(r.next_review)}</td>
      <td>
        <ReviewMark t={t} state={r.review} />
      </td>
      <td class="num">{r.days_overdue > 0 ? r.days_overdue : "—"}</td>
    </tr>
  );
}
