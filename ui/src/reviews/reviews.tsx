// The reviews due: the country's victims whose risk review is overdue or
// due within the week (overdue first, then due today, then this week),
// each row opening its case. Read again each time the tab is shown; not
// offered to a role that may not see risk assessments.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { RiskDue } from "../bindings/RiskDue";
import { RiskBadge, ReviewMark } from "../case-view/risk";
import { showDate } from "../format";
import type { T } from "../i18n";
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
  visible,
  version = 0,
  onOpen,
  onForbidden,
}: {
  t: T;
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
  const seq = useRef(0);
  const load = () => {
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
    </main>
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
