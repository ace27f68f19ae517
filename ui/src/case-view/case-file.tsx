// The printable case file, asked for from the case view: its language and
// paper, then the PDF written to the exports folder (by pseudonym, never an
// identity; audited), opened in the system's viewer and said where, as the
// plan's status sheet is. Offered only to a role that may export.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { ExportedFile } from "../bindings/ExportedFile";
import type { Lang } from "../bindings/Lang";
import { Dialog } from "../controls";
import type { T } from "../i18n";

/** The paper a file is printed on. */
export type Paper = "a4" | "letter";

export function CaseFileDialog({
  t,
  lang,
  caseId,
  reference,
  onClose,
}: {
  t: T;
  /** The app's language: the file's, unless another is chosen. */
  lang: Lang;
  caseId: string;
  reference: string;
  onClose: () => void;
}) {
  const [fileLang, setFileLang] = useState<Lang>(lang);
  const [paper, setPaper] = useState<Paper>("a4");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportedFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = (f: ExportedFile) => api.openExport(f.path).catch((e) => setError(asIpcError(e).message));
  const generate = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .exportCaseFile(caseId, paper === "letter", fileLang)
      .then((f) => {
        setDone(f);
        return open(f);
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="case-file-dialog" title={t("ui-case-file-title", { reference })} onClose={onClose}>
      <form class="dialog-form case-file-form" data-testid="case-file-form" onSubmit={generate} noValidate>
        <p class="help">{t("ui-case-file-intro")}</p>
        <label for="case-file-lang">{t("ui-case-file-lang")}</label>
        <select id="case-file-lang" data-testid="case-file-lang" value={fileLang} onChange={(e) => setFileLang(e.currentTarget.value as Lang)}>
          <option value="es">{t("ui-case-file-lang-es")}</option>
          <option value="en">{t("ui-case-file-lang-en")}</option>
        </select>
        <label for="case-file-paper">{t("ui-case-file-paper")}</label>
        <select id="case-file-paper" data-testid="case-file-paper" value={paper} onChange={(e) => setPaper(e.currentTarget.value as Paper)}>
          <option value="a4">{t("ui-case-file-paper-a4")}</option>
          <option value="letter">{t("ui-case-file-paper-letter")}</option>
        </select>
        {busy && <p class="muted">{t("ui-legal-exporting")}</p>}
        {done && (
          <p class="export-done" id="case-file-done" data-testid="case-file-done" role="status">
            {t("ui-legal-exported", { path: done.path })}{" "}
            <button type="button" class="link" onClick={() => open(done)}>
              {t("ui-legal-open")}
            </button>
          </p>
        )}
        {error && (
          <p class="form-error" role="alert" id="case-file-error">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="outline" onClick={onClose}>
            {t("ui-close")}
          </button>
          <button type="submit" id="case-file-generate" data-testid="case-file-generate" disabled={busy}>
            {t("ui-case-file-generate")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
