// Keys revoked (lost or stolen nodes): by this node, or received from a
// node of their country. One received for a node this node trusts
// directly waits for this node's administrator.
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Lang } from "../bindings/Lang";
import type { RevocationView } from "../bindings/RevocationView";
import { ago } from "../format";
import { countryName, type T } from "../i18n";
import { useCan } from "../session";

export function Revocations({
  t,
  lang,
  list,
  revokeHere,
  onDone,
}: {
  t: T;
  lang: Lang;
  list: RevocationView[];
  /** False when this node trusts a country administrator key it does not hold: only the hub revokes. */
  revokeHere: boolean;
  onDone: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  // Applying a waiting revocation is for roles that manage peers.
  const mayApply = useCan("manage_peers");
  const apply = (key: string) => {
    setError(null);
    api
      .revokePeer(key)
      .then(onDone)
      .catch((e) => setError(asIpcError(e).message));
  };
  return (
    <div class="revocations" id="revocations">
      <h3>{t("ui-sync-revocations")}</h3>
      <p class="muted">{t("ui-sync-revocations-note")}</p>
      <ul>
        {list.map((v) => (
          <li key={v.public_key} class={v.pending ? "revocation pending" : "revocation"} data-key={v.public_key}>
            <strong>{v.name}</strong>{" "}
            <span class="muted">
              ({countryName(lang, v.country)} · <code title={v.public_key}>{v.public_key.slice(0, 16)}</code>)
            </span>{" "}
            {v.pending
              ? t("ui-sync-revocation-pending", { by: v.revoked_by, at: ago(v.revoked_at, lang) })
              : t("ui-sync-revocation-applied", {
                  by: v.by_country_key ? t("ui-sync-revocation-country-key", { key: v.revoked_by }) : v.revoked_by,
                  at: ago(v.revoked_at, lang),
                  kept: v.kept,
                })}
            {v.pending && mayApply && revokeHere && (
              <button type="button" class="danger revocation-apply" onClick={() => apply(v.public_key)}>
                {t("ui-sync-revocation-apply")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!revokeHere && list.some((v) => v.pending) && (
        <p class="muted small" id="revocations-at-hub">
          {t("ui-sync-revocations-at-hub")}
        </p>
      )}
      {error && (
        <div class="form-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
