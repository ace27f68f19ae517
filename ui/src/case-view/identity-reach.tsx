// Who receives a case's identities inside its country: every hub and
// office; a border post or an NGO node only when it recorded them or they
// were shared with it. A hub or an office shares them with such a node, or
// stops (what it already received stays on that machine). An identity
// another case links too is left out of sharing this one: it says which.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { IdentityReach } from "../bindings/IdentityReach";
import type { NodeRole } from "../bindings/NodeRole";
import type { PeerView } from "../bindings/PeerView";
import type { ReachNode } from "../bindings/ReachNode";
import { Dialog, DialogFooter } from "../controls";
import type { T } from "../i18n";
import { needToKnow, nodeRoleLabel } from "../node-role";
import { useCan } from "../session";

/** This country's peers to share with: border posts and NGOs first (hubs and offices receive every identity anyway). */
export function shareTargets(peers: PeerView[], country: string): PeerView[] {
  const rank = (p: PeerView) => (needToKnow(p.node_role) ? 0 : 1);
  return peers.filter((p) => p.country === country).sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export function IdentityReachSection({ t, caseId, version }: { t: T; caseId: string; /** Bumped when sync brought documents. */ version: number }) {
  const [reach, setReach] = useState<IdentityReach | null>(null);
  // This node's place and its country's peers: read only for an official who may share.
  const [place, setPlace] = useState<{ role: NodeRole; peers: PeerView[] } | null>(null);
  const [target, setTarget] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [stopping, setStopping] = useState<ReachNode | null>(null);
  // Sharing grants access to identities: the role must allow granting.
  const mayGrant = useCan("grant");
  useEffect(() => {
    let live = true;
    api
      .identityReach(caseId)
      .then((r) => {
        if (!live) return;
        setReach(r);
        setError(null);
      })
      .catch((e) => live && setError(asIpcError(e).message));
    if (mayGrant)
      api
        .syncPanel()
        .then((p) => live && setPlace({ role: p.node.role, peers: shareTargets(p.peers, p.node.country) }))
        .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [caseId, version, mayGrant]);
  // Only a hub or an office shares (the core refuses it on the others).
  const mayShare = mayGrant && place !== null && !needToKnow(place.role);
  const targets = place?.peers ?? [];
  const chosen = targets.some((p) => p.name === target) ? target : (targets[0]?.name ?? "");
  const share = () => {
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .shareIdentities(caseId, chosen, true)
      .then((r) => {
        setReach(r);
        setDone(t("ui-reach-shared", { name: chosen }));
      })
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => setBusy(false));
  };
  return (
    <section class="identity-reach" id="identity-reach">
      <h3>{t("ui-reach-title")}</h3>
      {reach && (
        <>
          <p>{t("ui-reach-all")}</p>
          {reach.nodes.length === 0 ? (
            <p class="muted" id="reach-none">
              {t("ui-reach-none")}
            </p>
          ) : (
            <>
              <p>{t("ui-reach-also")}</p>
              <ul class="plain reach-nodes" id="reach-nodes">
                {reach.nodes.map((n) => (
                  <li key={n.public_key} data-key={n.public_key}>
                    <strong>{n.name}</strong>
                    {n.role && <span class="reach-role"> · {nodeRoleLabel(t, n.role)}</span>}
                    <span class="muted"> · {t("ui-reach-persons", { count: Number(n.persons) })}</span>
                    {mayShare && (
                      <button type="button" class="link danger reach-unshare" aria-label={t("ui-reach-unshare-label", { name: n.name })} onClick={() => setStopping(n)}>
                        {t("ui-reach-unshare")}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          {Number(reach.elsewhere) > 0 && (
            <p class="notice" id="reach-elsewhere" role="note">
              {t("ui-reach-elsewhere", { count: Number(reach.elsewhere) })}
            </p>
          )}
          {reach.linked_elsewhere.length > 0 && (
            <p class="notice" id="reach-linked-elsewhere" role="note">
              {t("ui-reach-linked-elsewhere", { count: reach.linked_elsewhere.length, pseudonyms: reach.linked_elsewhere.join(", ") })}
            </p>
          )}
          {mayShare &&
            Number(reach.held) > 0 &&
            (targets.length === 0 ? (
              <p class="muted small" id="reach-no-peers">
                {t("ui-reach-no-peers")}
              </p>
            ) : (
              <div class="reach-share">
                <label for="reach-node">{t("ui-reach-share-with")}</label>
                <select id="reach-node" value={chosen} onChange={(e) => setTarget(e.currentTarget.value)}>
                  {targets.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name} — {nodeRoleLabel(t, p.node_role)}
                    </option>
                  ))}
                </select>
                <button type="button" class="small-btn" id="reach-share" disabled={busy || !chosen} onClick={share}>
                  {t("ui-reach-share")}
                </button>
              </div>
            ))}
        </>
      )}
      {done && (
        <p class="export-done" role="status" id="reach-done">
          {done}
        </p>
      )}
      {error && (
        <p class="form-error" role="alert" id="reach-error">
          {error}
        </p>
      )}
      {stopping && (
        <StopDialog
          t={t}
          caseId={caseId}
          node={stopping}
          onClose={() => setStopping(null)}
          onDone={(r) => {
            setStopping(null);
            setReach(r);
            setError(null);
            setDone(t("ui-reach-unshared", { name: stopping.name }));
          }}
        />
      )}
    </section>
  );
}

/** Stopping, once it is said that what the node already received stays there. */
function StopDialog({ t, caseId, node, onClose, onDone }: { t: T; caseId: string; node: ReachNode; onClose: () => void; onDone: (r: IdentityReach) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stop = () => {
    setError(null);
    setBusy(true);
    api
      .shareIdentities(caseId, node.public_key, false)
      .then(onDone)
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="reach-unshare-dialog" title={t("ui-reach-unshare-title", { name: node.name })} onClose={onClose}>
      <p id="reach-unshare-text">{t("ui-reach-unshare-text", { name: node.name })}</p>
      <DialogFooter t={t} error={error} errorId="reach-unshare-error" actionId="reach-unshare-confirm" label={t("ui-reach-unshare-confirm")} busy={busy} danger onClick={stop} onClose={onClose} />
    </Dialog>
  );
}
