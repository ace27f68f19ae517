// Unlocking the database: the official's name and their passphrase.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { T } from "../i18n";

export function Unlock({
  t,
  official,
  notice,
  onDone,
}: {
  t: T;
  /** The name offered: the official who last logged in here, or "admin". */
  official: string;
  /** Why the window locked, when it locked itself. */
  notice?: string;
  onDone: () => void;
}) {
  const [name, setName] = useState(official);
  const [pass, setPass] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.unlock(pass, name.trim() || null);
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
        {notice && (
          <p class="notice" role="status" id="unlock-notice">
            {notice}
          </p>
        )}
        <p class="muted">{t("ui-unlock-intro")}</p>
        <label for="unlock-official">{t("ui-unlock-official")}</label>
        <input id="unlock-official" value={name} autocomplete="username" spellcheck={false} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="unlock-pass">{t("ui-setup-passphrase")}</label>
        <input id="unlock-pass" type="password" autocomplete="current-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} autoFocus required />
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
