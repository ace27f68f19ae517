// One peer in the sync panel: its address, last sync, pending changes,
// traffic and state — and, a node of this country, its place in it
// (changeable by the administrator); sync it now, write it a bundle,
// remove it, or — a lost or stolen node of this country — revoke its key
// (at the hub only, when this node trusts a country key it does not hold).
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { BundleExported } from "../bindings/BundleExported";
import type { Lang } from "../bindings/Lang";
import type { NodeRole } from "../bindings/NodeRole";
import type { PeerView } from "../bindings/PeerView";
import { ago, bytes, shortTime } from "../format";
import { countryName, type T } from "../i18n";
import { NodeRoleOptions, nodeRoleLabel } from "../node-role";
import { useCan } from "../session";

export function PeerRow({
  t,
  lang,
  p,
  ownCountry,
  revokeHere,
  busy,
  onSync,
  onChanged,
}: {
  t: T;
  lang: Lang;
  p: PeerView;
  /** This node's country: only its own nodes have a place in it and can be revoked from here. */
  ownCountry: string;
  /** False when this node trusts a country administrator key it does not hold: revoking is done at the hub. */
  revokeHere: boolean;
  busy: boolean;
  onSync: (name: string) => void;
  /** Removed, revoked, or its place changed: the panel is read again. */
  onChanged: () => void;
}) {
  const [bundle, setBundle] = useState<BundleExported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [roleDone, setRoleDone] = useState<string | null>(null);
  // Bundles, places, removing and revoking: for roles that manage peers.
  const mayManage = useCan("manage_peers");
  const own = p.country === ownCountry;
  const exportBundle = () => {
    setError(null);
    api
      .exportBundle(p.name)
      .then(setBundle)
      .catch((e) => setError(asIpcError(e).message));
  };
  const setRole = (role: NodeRole) => {
    setError(null);
    setRoleDone(null);
    api
      .setPeerRole(p.name, role)
      .then((v) => {
        setRoleDone(t("ui-sync-peer-role-changed", { name: v.name, role: nodeRoleLabel(t, v.node_role) }));
        onChanged();
      })
      .catch((e) => setError(asIpcError(e).message));
  };
  const remove = () => {
    api
      .removePeer(p.name)
      .then(onChanged)
      .catch((e) => setError(asIpcError(e).message));
  };
  const revoke = () => {
    api
      .revokePeer(p.name)
      .then(onChanged)
      .catch((e) => setError(asIpcError(e).message));
  };
  return (
    <tr class="peer-row" data-peer={p.name}>
      <td>
        <strong>{p.name}</strong>
        <div class="muted">
          {countryName(lang, p.country)} · <code title={p.public_key}>{p.node_id}</code>
        </div>
        {own &&
          (mayManage ? (
            <select class="peer-role" value={p.node_role} aria-label={t("ui-sync-peer-role-label", { name: p.name })} onChange={(e) => setRole(e.currentTarget.value as NodeRole)}>
              <NodeRoleOptions t={t} />
            </select>
          ) : (
            <div class="peer-role-label" data-role={p.node_role}>
              {nodeRoleLabel(t, p.node_role)}
            </div>
          ))}
      </td>
      <td>{p.url ? <code>{p.url}</code> : <span class="muted">{t("ui-sync-no-url")}</span>}</td>
      <td class="peer-last">
        {p.last_success ? (
          <span title={p.last_success}>{ago(p.last_success, lang)}</span>
        ) : (
          <span class="muted">{t("ui-sync-never")}</span>
        )}
      </td>
      <td class="num peer-pending">{Number(p.pending)}</td>
      <td class="num">
        ↑ {bytes(Number(p.bytes_sent))}
        <br />↓ {bytes(Number(p.bytes_received))}
      </td>
      <td class="peer-state">
        {p.last_error ? (
          <span class="peer-error" role="alert">
            {p.last_error.message}
          </span>
        ) : p.last_success ? (
          <span class="peer-ok">{t("ui-sync-ok")}</span>
        ) : (
          <span class="muted">—</span>
        )}
        {Number(p.wanted) > 0 && <div class="muted">{t("ui-sync-wanted", { count: Number(p.wanted) })}</div>}
        {p.audit_alarm && (
          <div class="peer-error peer-audit-alarm" role="alert">
            {t(`ui-audit-peer-${p.audit_alarm.kind === "cut" || p.audit_alarm.kind === "unconfirmed" ? p.audit_alarm.kind : "rewritten"}`, {
              peer: p.name,
              seq: Number(p.audit_alarm.seq),
              at: shortTime(p.audit_alarm.at),
            })}
          </div>
        )}
        {roleDone && (
          <div class="export-done peer-role-done" role="status">
            {roleDone}
          </div>
        )}
        {bundle && (
          <div class="bundle-done" role="status">
            {t("ui-sync-bundle-written", { path: bundle.path, docs: Number(bundle.docs) })}
          </div>
        )}
        {error && (
          <div class="form-error" role="alert">
            {error}
          </div>
        )}
      </td>
      <td class="peer-actions">
        {p.url && (
          <button type="button" class="outline" disabled={busy} onClick={() => onSync(p.name)}>
            {t("ui-sync-peer-now")}
          </button>
        )}
        {mayManage && (
          <button type="button" class="outline bundle-export" onClick={exportBundle}>
            {t("ui-sync-bundle-export")}
          </button>
        )}
        {!mayManage ? null : confirming ? (
          <span class="confirm">
            <button type="button" class="danger" onClick={remove}>
              {t("ui-sync-remove-confirm")}
            </button>
            {own && revokeHere && (
              <button type="button" class="danger peer-revoke" onClick={revoke} title={t("ui-sync-revoke-explain")}>
                {t("ui-sync-revoke")}
              </button>
            )}
            <button type="button" class="link" onClick={() => setConfirming(false)}>
              {t("ui-cancel")}
            </button>
            {own && !revokeHere && <span class="muted small peer-revoke-at-hub">{t("ui-sync-revoke-at-hub")}</span>}
          </span>
        ) : (
          <button type="button" class="link" onClick={() => setConfirming(true)} aria-label={t("ui-sync-remove-label", { name: p.name })}>
            {t("ui-sync-remove")}
          </button>
        )}
      </td>
    </tr>
  );
}
