// One official in the administrator's list: name, role (changeable),
// since when and by whom, state; a new passphrase for a forgotten one;
// removal, after saying what it means.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { OfficialView } from "../bindings/OfficialView";
import type { Role } from "../bindings/Role";
import { Dialog, DialogFooter } from "../controls";
import { shortTime } from "../format";
import type { T } from "../i18n";
import { ROLES, roleLabel } from "../session";
import { NewPassphrase } from "./new-passphrase";

export function OfficialRow({ t, o, self, onChanged }: { t: T; o: OfficialView; /** The logged-in official's own row. */ self: boolean; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [dialog, setDialog] = useState<"reset" | "remove" | null>(null);
  const removed = !!o.removed_at;
  // The core refuses these for the first administrator and for oneself.
  const protectedRow = o.first || self;
  const setRole = (role: Role) => {
    setError(null);
    setDone(null);
    api
      .setOfficialRole(o.name, role)
      .then(() => {
        setDone(t("ui-official-role-changed", { name: o.name, role: roleLabel(t, role) }));
        onChanged();
      })
      .catch((e) => setError(asIpcError(e).message));
  };
  const state = o.first ? t("ui-official-state-first") : removed ? t("ui-official-state-removed", { when: shortTime(o.removed_at ?? "") }) : t("ui-official-state-active");
  return (
    <tr class={`official-row${removed ? " removed" : ""}`} data-name={o.name}>
      <td>
        <strong>{o.name}</strong>
        {self && <span class="muted"> {t("ui-official-you")}</span>}
      </td>
      <td>
        {removed || protectedRow ? (
          <span class="official-role-label">{roleLabel(t, o.role)}</span>
        ) : (
          <select class="official-role" value={o.role} aria-label={t("ui-official-change-role", { name: o.name })} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(t, r)}
              </option>
            ))}
          </select>
        )}
      </td>
      <td>
        <span title={o.created_at}>{shortTime(o.created_at)}</span>
        <div class="muted small">{t("ui-official-created-by", { by: o.created_by })}</div>
      </td>
      <td class={`official-state${removed ? " is-removed" : ""}`}>
        {state}
        {done && (
          <div class="export-done" role="status">
            {done}
          </div>
        )}
        {error && (
          <div class="form-error" role="alert">
            {error}
          </div>
        )}
      </td>
      <td class="official-actions">
        {!removed && (
          <button type="button" class="outline small-btn official-reset" onClick={() => setDialog("reset")}>
            {t("ui-official-reset")}
          </button>
        )}
        {!removed && !protectedRow && (
          <button type="button" class="link danger official-remove" onClick={() => setDialog("remove")} aria-label={t("ui-official-remove-label", { name: o.name })}>
            {t("ui-official-remove")}
          </button>
        )}
        {dialog === "reset" && (
          <ResetDialog
            t={t}
            name={o.name}
            onClose={() => setDialog(null)}
            onDone={() => {
              setDialog(null);
              setError(null);
              setDone(t("ui-official-reset-done", { name: o.name }));
            }}
          />
        )}
        {dialog === "remove" && (
          <RemoveDialog
            t={t}
            name={o.name}
            onClose={() => setDialog(null)}
            onDone={() => {
              setDialog(null);
              onChanged();
            }}
          />
        )}
      </td>
    </tr>
  );
}

/** A new passphrase for an official who forgot theirs: nothing is re-encrypted, nothing lost. */
function ResetDialog({ t, name, onClose, onDone }: { t: T; name: string; onClose: () => void; onDone: () => void }) {
  const [pass, setPass] = useState("");
  const [pass2, setPass2] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (pass !== pass2) {
      setError(t("err-passphrase-mismatch"));
      return;
    }
    setError(null);
    setBusy(true);
    api
      .resetPassphrase(name, pass)
      .then(onDone)
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="official-reset-dialog" title={t("ui-official-reset-title", { name })} onClose={onClose}>
      <form class="dialog-form" onSubmit={submit}>
        <p class="muted small">{t("ui-official-reset-intro")}</p>
        <NewPassphrase t={t} id="official-reset-pass" value={pass} again={pass2} onValue={setPass} onAgain={setPass2} />
        <DialogFooter t={t} error={error} errorId="official-reset-error" actionId="official-reset-submit" label={t("ui-official-reset-submit")} busy={busy} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Removing an official, once it is said what that means. */
function RemoveDialog({ t, name, onClose, onDone }: { t: T; name: string; onClose: () => void; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = () => {
    setError(null);
    setBusy(true);
    api
      .removeOfficial(name)
      .then(onDone)
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="official-remove-dialog" title={t("ui-official-remove-title", { name })} onClose={onClose}>
      <p id="official-remove-text">{t("ui-official-remove-text", { name })}</p>
      <DialogFooter t={t} error={error} actionId="official-remove-confirm" label={t("ui-official-remove-confirm")} busy={busy} danger onClick={remove} onClose={onClose} />
    </Dialog>
  );
}
