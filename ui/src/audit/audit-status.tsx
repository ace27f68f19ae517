// What verifying the audit log's chain found: whole, or where it breaks
// and what to do then; and peers whose own log was found cut or rewritten.
import type { AuditVerified } from "../bindings/AuditVerified";
import type { PeerAuditFinding } from "../bindings/PeerAuditFinding";
import { shortTime } from "../format";
import type { T } from "../i18n";

export function AuditStatus({ t, verified, error, dataDir }: { t: T; verified: AuditVerified | null; error?: string | null; /** The data folder to keep a copy of. */ dataDir: string }) {
  if (error)
    return (
      <p class="form-error" role="alert" id="audit-status" data-state="error">
        {error}
      </p>
    );
  if (!verified)
    return (
      <p class="muted" id="audit-status" data-state="checking">
        {t("ui-audit-checking")}
      </p>
    );
  const peers = <PeerFindings t={t} findings={verified.peers ?? []} />;
  if (verified.broken_at === undefined || verified.broken_at === null)
    return (
      <>
        <p class="audit-ok" role="status" id="audit-status" data-state="ok" title={verified.head}>
          ✓ {t("ui-audit-ok", { entries: Number(verified.entries) })}
        </p>
        {peers}
      </>
    );
  return (
    <>
      <div class="audit-broken" role="alert" id="audit-status" data-state="broken" data-entry={Number(verified.broken_at)}>
        <p>
          <strong>{t("ui-audit-broken", { seq: Number(verified.broken_at) })}</strong>
        </p>
        <p>{t("ui-audit-broken-what", { dir: dataDir })}</p>
      </div>
      {peers}
    </>
  );
}

/** Peers whose audit log was found cut or rewritten (by the heads they showed at sync). */
function PeerFindings({ t, findings }: { t: T; findings: PeerAuditFinding[] }) {
  if (findings.length === 0) return null;
  return (
    <ul class="plain audit-peers" id="audit-peers" role="alert">
      {findings.map((f) => {
        const args = { peer: f.peer, seq: Number(f.alarm.seq), at: shortTime(f.alarm.at) };
        return (
          <li key={f.peer} class="audit-broken" data-peer={f.peer} data-kind={f.alarm.kind}>
            {t(`ui-audit-peer-${f.alarm.kind === "cut" || f.alarm.kind === "unconfirmed" ? f.alarm.kind : "rewritten"}`, args)}
          </li>
        );
      })}
    </ul>
  );
}
