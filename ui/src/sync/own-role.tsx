// This node's place in its country, in the sync panel's node card; its
// administrator changes it after reading what that means.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { NodeRole } from "../bindings/NodeRole";
import { Dialog, DialogFooter } from "../controls";
import type { T } from "../i18n";
import { NodeRoleOptions, needToKnow, nodeRoleLabel } from "../node-role";
import { useCan } from "../session";

/** The node card's line (a `<dt>` and its `<dd>`): the place in words, and "change" for the administrator. */
export function OwnRole({ t, role, onChanged }: { t: T; role: NodeRole; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  // Setting the node's place is the node administrator's, as pairing is.
  const mayManage = useCan("manage_peers");
  return (
    <>
      <dt>{t("ui-node-role")}</dt>
      <dd>
        <span id="node-role" data-role={role}>
          {nodeRoleLabel(t, role)}
        </span>{" "}
        {mayManage && (
          <button type="button" class="link" id="node-role-change" onClick={() => setOpen(true)}>
            {t("ui-node-role-change")}
          </button>
        )}
        {open && (
          <OwnRoleDialog
            t={t}
            current={role}
            onClose={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              onChanged();
            }}
          />
        )}
      </dd>
    </>
  );
}

/** The choice of place, with what it means for the identities this node accepts. */
function OwnRoleDialog({ t, current, onClose, onDone }: { t: T; current: NodeRole; onClose: () => void; onDone: () => void }) {
  const [role, setRole] = useState<NodeRole>(current);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    api
      .setNodeRole(role)
      .then(onDone)
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  const narrow = needToKnow(role);
  return (
    <Dialog id="node-role-dialog" title={t("ui-node-role-own")} onClose={onClose}>
      <form class="dialog-form" onSubmit={submit}>
        <label for="node-role-select">{t("ui-node-role")}</label>
        <select id="node-role-select" value={role} onChange={(e) => setRole(e.currentTarget.value as NodeRole)}>
          <NodeRoleOptions t={t} />
        </select>
        <p id="node-role-what" class={narrow ? "notice" : "muted small"}>
          {t(narrow ? "ui-node-role-narrow" : "ui-node-role-wide")}
        </p>
        <p class="muted small">{t("ui-node-role-peers")}</p>
        <DialogFooter
          t={t}
          error={error}
          errorId="node-role-error"
          actionId="node-role-apply"
          label={t("ui-node-role-apply")}
          busy={busy || role === current}
          danger={narrow}
          onClose={onClose}
        />
      </form>
    </Dialog>
  );
}
