// A note on another country's case, the one thing another country may add.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { T } from "../i18n";

/**
 * A note on another country's case: the one thing another country may add
 * (its owner's nodes accept notes and links, nothing else); it travels to
 * them with sync.
 */
export function ForeignNote({ t, caseId, country, onAdded }: { t: T; caseId: string; country: string; onAdded: () => void }) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api
      .addNote(caseId, text)
      .then(() => {
        setText("");
        onAdded();
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <form class="foreign-note" id="foreign-note" onSubmit={submit}>
      <label for="foreign-note-text">{t("ui-case-foreign-note", { country })}</label>
      <textarea id="foreign-note-text" dir="auto" rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} required />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" id="foreign-note-add" disabled={busy || !text.trim()}>
        {t("ui-case-foreign-note-add")}
      </button>
    </form>
  );
}
