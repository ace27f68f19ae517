// Buttons that write a file to the exports folder, say where, and open
// printed documents (PDF) in the system's viewer. Not offered to a role
// that may not export.
import { useState } from "preact/hooks";
import { api, asIpcError } from "./api";
import type { ExportedFile } from "./bindings/ExportedFile";
import type { T } from "./i18n";
import { useCan } from "./session";

export interface ExportAction {
  id: string;
  label: string;
  /// Primary (filled) or secondary (outline) button.
  primary?: boolean;
  /// Open the file in the system viewer once written (PDFs).
  open: boolean;
  run: () => Promise<ExportedFile>;
}

export function ExportButtons({ t, actions, doneId }: { t: T; actions: ExportAction[]; doneId: string }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportedFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const allowed = useCan("export");
  if (!allowed) return null;
  const go = (a: ExportAction) => {
    setBusy(true);
    setError(null);
    a.run()
      .then((f) => {
        setDone(f);
        return a.open ? api.openExport(f.path) : undefined;
      })
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => setBusy(false));
  };
  return (
    <div class="export-bar">
      {actions.map((a) => (
        <button key={a.id} type="button" id={a.id} class={a.primary ? "" : "outline"} disabled={busy} onClick={() => go(a)}>
          {a.label}
        </button>
      ))}
      {busy && <span class="muted">{t("ui-legal-exporting")}</span>}
      {done && (
        <span class="export-done" id={doneId} role="status">
          {t("ui-legal-exported", { path: done.path })}{" "}
          <button type="button" class="link" onClick={() => api.openExport(done.path).catch((e) => setError(asIpcError(e).message))}>
            {t("ui-legal-open")}
          </button>
        </span>
      )}
      {error && (
        <span class="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
