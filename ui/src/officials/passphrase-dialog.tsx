// The logged-in official changes their own passphrase: the current one
// again, the new one twice. The core checks the current one and the
// length, and says what is wrong.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import { Dialog, DialogFooter } from "../controls";
import type { T } from "../i18n";
import { NewPassphrase } from "./new-passphrase";

export function PassphraseDialog({ t, onClose }: { t: T; onClose: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [next2, setNext2] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    if (next !== next2) {
      setError(t("err-passphrase-mismatch"));
      return;
    }
    setBusy(true);
    api
      .changePassphrase(current, next)
      .then(() => {
        setDone(true);
        setCurrent("");
        setNext("");
        setNext2("");
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="passphrase-dialog" title={t("ui-change-passphrase")} onClose={onClose}>
      {done ? (
        <>
          <p class="export-done" role="status" id="passphrase-done">
            {t("ui-passphrase-changed")}
          </p>
          <div class="dialog-actions">
            <button type="button" id="passphrase-close" onClick={onClose}>
              {t("ui-close")}
            </button>
          </div>
        </>
      ) : (
        <form class="dialog-form" id="passphrase-form" onSubmit={submit}>
          <label for="passphrase-current">{t("ui-passphrase-current")}</label>
          <input id="passphrase-current" type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} required />
          <NewPassphrase t={t} id="passphrase-new" value={next} again={next2} onValue={setNext} onAgain={setNext2} />
          <p class="muted small">{t("ui-passphrase-hint")}</p>
          <DialogFooter t={t} error={error} errorId="passphrase-error" actionId="passphrase-submit" label={t("ui-passphrase-submit")} busy={busy} onClose={onClose} />
        </form>
      )}
    </Dialog>
  );
}
