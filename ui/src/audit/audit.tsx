// The audit log: whether its chain is whole, the latest entries (filtered
// by kind of action and by who), and the whole log exported as JSON Lines.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { AuditVerified } from "../bindings/AuditVerified";
import { ExportButtons } from "../exports";
import { debounce, shortTime } from "../format";
import type { T } from "../i18n";
import { AuditStatus } from "./audit-status";

/** The kinds of action the filter offers: prefixes of the action codes. */
export const ACTION_PREFIXES = [
  "login",
  "person.",
  "export",
  "report.",
  "grant.",
  "risk.",
  "referral.",
  "agency.",
  "sync",
  "official.",
  "peer.",
  "bundle.",
  "stats.",
] as const;

/** A prefix in words (`ui-audit-action-<prefix without its dot>`). */
export function actionLabelKey(prefix: string): string {
  return `ui-audit-action-${prefix.replace(/\.$/, "")}`;
}

/** Entries shown at first, and added by "more". */
const PAGE = 200;

export function Audit({ t, dataDir, visible }: { t: T; dataDir: string; /** Verified and read again each time the tab is shown. */ visible: boolean }) {
  const [verified, setVerified] = useState<AuditVerified | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const [limit, setLimit] = useState(PAGE);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  // The filters now: a search sent after a pause uses them, not those of the keystroke.
  const filters = useRef({ action, actor, limit });
  filters.current = { action, actor, limit };

  const verify = () =>
    api
      .auditVerify()
      .then((v) => {
        setVerified(v);
        setVerifyError(null);
      })
      .catch((e) => setVerifyError(asIpcError(e).message));
  const load = () => {
    const f = filters.current;
    const mine = ++seq.current;
    api
      .auditList({ action: f.action || undefined, actor: f.actor.trim() || undefined, limit: f.limit })
      .then((l) => {
        if (mine !== seq.current) return;
        setEntries(l);
        setError(null);
      })
      .catch((e) => mine === seq.current && setError(asIpcError(e).message));
  };
  const loadLater = useMemo(() => debounce(load, 250), []);
  useEffect(() => {
    if (!visible) return;
    verify();
    load();
  }, [visible, action, limit]);

  return (
    <main class="sync-main audit" id="audit">
      <section class="card">
        <div class="sync-title">
          <h2>{t("ui-audit-title")}</h2>
          <ExportButtons t={t} doneId="audit-export-done" actions={[{ id: "audit-export", label: t("ui-audit-export"), open: false, run: api.exportAuditLog }]} />
        </div>
        <p class="muted">{t("ui-audit-intro")}</p>
        <AuditStatus t={t} verified={verified} error={verifyError} dataDir={dataDir} />
      </section>
      <section class="card">
        <div class="audit-filters">
          <label>
            <span>{t("ui-audit-action")}</span>
            <select
              id="audit-action"
              value={action}
              onChange={(e) => {
                setAction(e.currentTarget.value);
                setLimit(PAGE);
              }}
            >
              <option value="">{t("ui-audit-action-all")}</option>
              {ACTION_PREFIXES.map((p) => (
                <option key={p} value={p}>
                  {t(actionLabelKey(p))}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t("ui-audit-actor")}</span>
            <input
              id="audit-actor"
              type="search"
              value={actor}
              placeholder={t("ui-audit-actor-hint")}
              onInput={(e) => {
                const v = e.currentTarget.value;
                setActor(v);
                filters.current = { ...filters.current, actor: v };
                loadLater();
              }}
            />
          </label>
          <button
            type="button"
            class="outline small-btn"
            id="audit-refresh"
            onClick={() => {
              verify();
              load();
            }}
          >
            {t("ui-audit-refresh")}
          </button>
        </div>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {entries !== null && entries.length === 0 && (
          <p class="muted" id="audit-empty">
            {t("ui-audit-empty")}
          </p>
        )}
        {entries !== null && entries.length > 0 && (
          <div class="audit-scroll">
            <table class="grid audit-table" id="audit-table">
              <thead>
                <tr>
                  <th>{t("ui-audit-col-time")}</th>
                  <th>{t("ui-audit-col-actor")}</th>
                  <th>{t("ui-audit-col-action")}</th>
                  <th>{t("ui-audit-col-subject")}</th>
                  <th>{t("ui-audit-col-detail")}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.seq} class="audit-row" data-seq={e.seq} data-action={e.action}>
                    <td class="nowrap" title={e.at}>
                      {shortTime(e.at)}
                    </td>
                    <td>{e.actor}</td>
                    <td class="mono">{e.action}</td>
                    <td class="audit-subject">{e.subject}</td>
                    <td class="audit-detail">{e.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {entries !== null && (
          <p class="small muted">
            {t("ui-audit-shown", { count: entries.length })}{" "}
            {entries.length >= limit && limit < 5000 && (
              <button type="button" class="link" id="audit-more" onClick={() => setLimit((l) => Math.min(5000, l + PAGE))}>
                {t("ui-audit-more")}
              </button>
            )}
          </p>
        )}
      </section>
    </main>
  );
}
