// Unlocking the database with its passphrase.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { T } from "../i18n";

export function Unlock({ t, onDone }: { t: T; onDone: () => void }) {
  const [pass, setPass] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.unlock(pass);
      onDone();
    } catch (err) {
      setError(asIpcError(err).message);
      setPass("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="center">
      <form class="card setup" onSubmit={submit} id="unlock-form">
        <h2>{t("ui-unlock-title")}</h2>
        <p class="muted">{t("ui-unlock-intro")}</p>
        <label for="unlock-pass">{t("ui-setup-passphrase")}</label>
        <input id="unlock-pass" type="password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} autoFocus required />
        {error && (
          <p class="form-error" role="alert" id="unlock-error">
            {error}
          </p>
        )}
        <button type="submit" id="unlock-submit" disabled={busy}>
          {busy ? t("ui-unlocking") : t("ui-unlock-button")}
        </button>
      </form>
    </main>
  );
}
