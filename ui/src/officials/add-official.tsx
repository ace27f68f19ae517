// Adding an official: a name, a role and a first passphrase (typed twice),
// which the administrator hands over in person.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Role } from "../bindings/Role";
import type { T } from "../i18n";
import { ROLES, roleLabel } from "../session";

/** What is wrong with the form before anything is sent (the core checks the rest: length, names taken). */
export function addFormError(f: { name: string; role: Role | ""; pass: string; pass2: string }): string | null {
  if (!f.name.trim()) return "ui-official-name-needed";
  if (!f.role) return "ui-official-role-needed";
  if (f.pass !== f.pass2) return "err-passphrase-mismatch";
  return null;
}

export function AddOfficial({ t, onAdded }: { t: T; onAdded: () => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const [pass, setPass] = useState("");
  const [pass2, setPass2] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(null);
    const wrong = addFormError({ name, role, pass, pass2 });
    if (wrong || !role) {
      setError(t(wrong ?? "ui-official-role-needed"));
      return;
    }
    setError(null);
    setBusy(true);
    api
      .addOfficial(name.trim(), role, pass)
      .then((o) => {
        setDone(t("ui-official-added", { name: o.name, role: roleLabel(t, o.role) }));
        setName("");
        setRole("");
        setPass("");
        setPass2("");
        onAdded();
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <form class="card official-add" id="official-add-form" onSubmit={submit}>
      <h3>{t("ui-official-add-title")}</h3>
      <p class="muted small">{t("ui-official-add-intro")}</p>
      <div class="pair-grid">
        <label for="official-add-name">{t("ui-official-name")}</label>
        <input id="official-add-name" value={name} autocomplete="off" spellcheck={false} onInput={(e) => setName(e.currentTarget.value)} required />
        <label for="official-add-role">{t("ui-official-role")}</label>
        <select id="official-add-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role | "")} required>
          <option value="">{t("ui-official-role-choose")}</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel(t, r)}
            </option>
          ))}
        </select>
        <label for="official-add-pass">{t("ui-setup-passphrase")}</label>
        <input id="official-add-pass" type="password" autocomplete="new-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} required />
        <label for="official-add-pass2">{t("ui-setup-passphrase-repeat")}</label>
        <input id="official-add-pass2" type="password" autocomplete="new-password" value={pass2} onInput={(e) => setPass2(e.currentTarget.value)} required />
      </div>
      <p class="muted small">{t("ui-official-pass-hint")}</p>
      {error && (
        <p class="form-error" role="alert" id="official-add-error">
          {error}
        </p>
      )}
      {done && (
        <p class="export-done" role="status" id="official-add-done">
          {done}
        </p>
      )}
      <button type="submit" id="official-add-submit" disabled={busy}>
        {t("ui-official-add")}
      </button>
    </form>
  );
}
