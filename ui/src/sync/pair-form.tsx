// Pairing with a peer: its name, country, address and key, and — a node of
// this node's country — its place in the country.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Lang } from "../bindings/Lang";
import type { NodeRole } from "../bindings/NodeRole";
import { OBSERVERS, PARTICIPATING } from "../bindings/vocabulary";
import { countryName, type T } from "../i18n";
import { NodeRoleOptions } from "../node-role";

export function PairForm({ t, lang, ownCountry, onPaired }: { t: T; lang: Lang; /** This node's country: its peers have a place in it. */ ownCountry: string; onPaired: () => void }) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [key, setKey] = useState("");
  const [country, setCountry] = useState("GT");
  const [role, setRole] = useState<NodeRole>("office");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const own = country === ownCountry;
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    api
      .addPeer({ name, url: url.trim() || undefined, key: key.replace(/\s+/g, ""), country, node_role: own ? role : undefined })
      .then((p) => {
        setDone(t("ui-sync-paired", { name: p.name }));
        setName("");
        setUrl("");
        setKey("");
        setRole("office");
        onPaired();
      })
      .catch((err) => setError(asIpcError(err).message));
  };
  return (
    <form class="card pair-form" id="peer-form" onSubmit={submit}>
      <h3>{t("ui-sync-pair-title")}</h3>
      <p class="muted">{t("ui-sync-pair-intro")}</p>
      <div class="pair-grid">
        <label for="peer-name">{t("ui-sync-peer-name")}</label>
        <input id="peer-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required placeholder={t("ui-sync-peer-name-hint")} />
        <label for="peer-country">{t("ui-setup-country")}</label>
        <select id="peer-country" value={country} onChange={(e) => setCountry(e.currentTarget.value)}>
          {[...PARTICIPATING, ...OBSERVERS].map((c) => (
            <option value={c} key={c}>
              {countryName(lang, c)} ({c})
            </option>
          ))}
        </select>
        {own && (
          <>
            <label for="peer-role">{t("ui-node-role")}</label>
            <select id="peer-role" value={role} onChange={(e) => setRole(e.currentTarget.value as NodeRole)}>
              <NodeRoleOptions t={t} />
            </select>
          </>
        )}
        <label for="peer-url">{t("ui-sync-peer-url")}</label>
        <input id="peer-url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://192.168.1.20:7443" />
        <label for="peer-key">{t("ui-sync-peer-key")}</label>
        <input id="peer-key" class="mono" value={key} onInput={(e) => setKey(e.currentTarget.value)} required spellcheck={false} />
      </div>
      {own && (
        <p class="muted small" id="peer-role-hint">
          {t("ui-node-role-hint")}
        </p>
      )}
      <p class="muted small">{t("ui-sync-pair-url-hint")}</p>
      {error && (
        <p class="form-error" role="alert" id="peer-error">
          {error}
        </p>
      )}
      {done && (
        <p class="export-done" role="status">
          {done}
        </p>
      )}
      <button type="submit" id="peer-add">
        {t("ui-sync-pair")}
      </button>
    </form>
  );
}
