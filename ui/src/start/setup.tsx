// First start: this computer's database (country, node name, the first
// official — its administrator — and their passphrase), with demo data if
// wanted.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Lang } from "../bindings/Lang";
import type { NodeRole } from "../bindings/NodeRole";
import { OBSERVERS, PARTICIPATING } from "../bindings/vocabulary";
import { countryName, type T } from "../i18n";
import { NodeRoleOptions } from "../node-role";

export function Setup({ t, lang, onDone }: { t: T; lang: Lang; onDone: () => void }) {
  const [country, setCountry] = useState("GT");
  const [name, setName] = useState("");
  const [nodeRole, setNodeRole] = useState<NodeRole>("office");
  const [admin, setAdmin] = useState("admin");
  const [pass, setPass] = useState("");
  const [pass2, setPass2] = useState("");
  const [demo, setDemo] = useState(true);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (pass !== pass2) {
      setError(t("err-passphrase-mismatch"));
      return;
    }
    setBusy(true);
    const unlisten = await api.onProgress((p) => setProgress({ done: Number(p.done), total: Number(p.total) }));
    try {
      await api.createDatabase({ country, node_name: name, admin_name: admin.trim() || undefined, node_role: nodeRole, passphrase: pass, demo });
      onDone();
    } catch (err) {
      setError(asIpcError(err).message);
    } finally {
      unlisten();
      setBusy(false);
    }
  };

  return (
    <main class="center">
      <form class="card setup" onSubmit={submit} id="setup-form">
        <h2>{t("ui-setup-title")}</h2>
        <p class="muted">{t("ui-setup-intro")}</p>
        <label for="setup-country">{t("ui-setup-country")}</label>
        <select id="setup-country" value={country} onChange={(e) => setCountry(e.currentTarget.value)}>
          {[...PARTICIPATING, ...OBSERVERS].map((c) => (
            <option value={c} key={c}>
              {countryName(lang, c)} ({c})
            </option>
          ))}
        </select>
        <label for="setup-node-name">{t("ui-setup-node-name")}</label>
        <input
          id="setup-node-name"
          value={name}
          placeholder={t("ui-setup-node-name-hint")}
          onInput={(e) => setName(e.currentTarget.value)}
          required
        />
        <label for="setup-node-role">{t("ui-node-role-own")}</label>
        <select id="setup-node-role" value={nodeRole} onChange={(e) => setNodeRole(e.currentTarget.value as NodeRole)}>
          <NodeRoleOptions t={t} />
        </select>
        <p class="muted small" id="setup-node-role-hint">
          {t("ui-node-role-hint")}
        </p>
        <label for="setup-admin">{t("ui-setup-admin")}</label>
        <input id="setup-admin" value={admin} autocomplete="username" spellcheck={false} onInput={(e) => setAdmin(e.currentTarget.value)} required />
        <p class="muted small">{t("ui-setup-admin-hint")}</p>
        <label for="setup-pass">{t("ui-setup-passphrase")}</label>
        <input id="setup-pass" type="password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} required />
        <label for="setup-pass2">{t("ui-setup-passphrase-repeat")}</label>
        <input id="setup-pass2" type="password" value={pass2} onInput={(e) => setPass2(e.currentTarget.value)} required />
        <p class="muted" id="setup-backup">
          {t("ui-setup-backup")}
        </p>
        <label class="check">
          <input id="setup-demo" type="checkbox" checked={demo} onChange={(e) => setDemo(e.currentTarget.checked)} />
          {t("ui-setup-demo")}
        </label>
        {error && (
          <p class="form-error" role="alert" id="setup-error">
            {error}
          </p>
        )}
        {busy && progress && progress.total > 0 && (
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>
            <div class="progress-fill" style={{ width: `${(100 * progress.done) / progress.total}%` }} />
            <span>{t("ui-demo-progress", { done: progress.done, total: progress.total })}</span>
          </div>
        )}
        <button type="submit" id="setup-submit" disabled={busy}>
          {busy ? t("ui-setup-creating") : t("ui-setup-create")}
        </button>
      </form>
    </main>
  );
}
