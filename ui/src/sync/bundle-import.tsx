// Bundles for where no network reaches: those found for this node (on a
// stick, in Downloads…) with one click each, or any by its path.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { BundleFound } from "../bindings/BundleFound";
import type { Lang } from "../bindings/Lang";
import { ago, bytes } from "../format";
import type { T } from "../i18n";

export function BundleImport({ t, lang, onImported }: { t: T; lang: Lang; onImported: () => void }) {
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // Bundles for this node on a stick, in Downloads, …: one click each.
  const [found, setFound] = useState<BundleFound[] | null>(null);
  const look = () =>
    api
      .findBundles()
      .then(setFound)
      .catch(() => setFound([]));
  useEffect(() => {
    look();
  }, []);
  const importPath = (p: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .importBundle(p)
      .then((r) => {
        setDone(t("ui-sync-bundle-imported", { peer: r.peer, docs: Number(r.docs), refused: Number(r.refused) }));
        onImported();
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => {
        setBusy(false);
        look();
      });
  };
  const submit = (e: Event) => {
    e.preventDefault();
    importPath(path);
  };
  return (
    <form class="card" id="bundle-form" onSubmit={submit}>
      <h3>{t("ui-sync-bundles-title")}</h3>
      <p class="muted">{t("ui-sync-bundles-intro")}</p>
      <div class="row found-head">
        <h4>{t("ui-sync-bundles-found")}</h4>
        <button type="button" class="link" id="bundle-look" onClick={look}>
          {t("ui-sync-bundles-look")}
        </button>
      </div>
      {found !== null && found.length === 0 && (
        <p class="muted small" id="bundles-none">
          {t("ui-sync-bundles-none")}
        </p>
      )}
      {found !== null && found.length > 0 && (
        <ul class="found-bundles" id="bundles-found">
          {found.map((b) => (
            <li key={b.path} class={b.imported ? "bundle-found imported" : "bundle-found"} data-path={b.path}>
              <div class="grow">
                <strong>{t("ui-sync-bundle-from", { peer: b.peer ?? b.sender_id, seq: Number(b.seq) })}</strong>
                <span class="muted small">
                  {" · "}
                  {bytes(Number(b.bytes))}
                  {" · "}
                  <span title={b.created}>{ago(b.created, lang)}</span>
                </span>
                <div class="mono small path" title={b.path}>
                  {b.path}
                </div>
              </div>
              {b.imported ? (
                <span class="muted small">{t("ui-sync-bundle-already")}</span>
              ) : (
                <button type="button" class="outline bundle-found-import" disabled={busy} onClick={() => importPath(b.path)}>
                  {t("ui-sync-bundle-import-this")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <label for="bundle-path">{t("ui-sync-bundle-path")}</label>
      <div class="row">
        <input id="bundle-path" class="mono grow" value={path} onInput={(e) => setPath(e.currentTarget.value)} placeholder="/media/usb/enlace-….enlace" required />
        <button type="submit" id="bundle-import" disabled={busy}>
          {t("ui-sync-bundle-import")}
        </button>
      </div>
      {error && (
        <p class="form-error" role="alert" id="bundle-error">
          {error}
        </p>
      )}
      {done && (
        <p class="export-done" role="status" id="bundle-done">
          {done}
        </p>
      )}
    </form>
  );
}
