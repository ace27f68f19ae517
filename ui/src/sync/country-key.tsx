// The country's administrator key, in the sync panel's node card: made once
// at the country's hub, trusted by every other node of the country; a node
// that trusts one obeys only the revocations signed with it, and revokes by
// itself only if it holds the key's secret (docs/sync-protocol.md,
// "Revocations").
import { useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { CountryKeyView } from "../bindings/CountryKeyView";
import type { Lang } from "../bindings/Lang";
import type { NodeRole } from "../bindings/NodeRole";
import { Dialog, DialogFooter } from "../controls";
import { ago, groupedKey } from "../format";
import type { T } from "../i18n";
import { nodeRoleLabel } from "../node-role";
import { useCan } from "../session";

/** A country key trusted here whose secret is elsewhere: this node cannot revoke the country's nodes. */
export function revokesElsewhere(key: CountryKeyView | null | undefined): boolean {
  return !!key && !key.holds_secret;
}

/** What is typed or pasted as a key: spaces (a grouped key) out, lower case. */
const cleanKey = (text: string) => text.replace(/\s+/g, "").toLowerCase();
const isKey = (hex: string) => /^[0-9a-f]{64}$/.test(hex);

export function CountryKey({
  t,
  lang,
  view,
  error,
  role,
  onChanged,
}: {
  t: T;
  lang: Lang;
  /** The key trusted; null: none; undefined: not read yet. */
  view: CountryKeyView | null | undefined;
  /** Why it could not be read. */
  error: string | null;
  /** This node's place in its country: the key is made at the hub. */
  role: NodeRole;
  onChanged: (v: CountryKeyView) => void;
}) {
  const [dialog, setDialog] = useState<"create" | "trust" | null>(null);
  const [copied, setCopied] = useState(false);
  // Making, trusting or replacing the key is the node administrator's.
  const mayManage = useCan("manage_peers");
  const done = (v: CountryKeyView) => {
    setDialog(null);
    setCopied(false);
    onChanged(v);
  };
  return (
    <div class="country-key" id="country-key" data-state={view === undefined ? "loading" : !view ? "none" : view.holds_secret ? "held" : "trusted"}>
      <h4>{t("ui-country-key-title")}</h4>
      {error && (
        <p class="form-error" role="alert" id="country-key-load-error">
          {error}
        </p>
      )}
      {view === null && (
        <>
          <p class="muted small" id="country-key-none">
            {t("ui-country-key-none")}
          </p>
          {mayManage && (
            <div class="row">
              <button type="button" class="outline" id="country-key-create" onClick={() => setDialog("create")}>
                {t("ui-country-key-create")}
              </button>
              <button type="button" class="outline" id="country-key-trust" onClick={() => setDialog("trust")}>
                {t("ui-country-key-trust")}
              </button>
            </div>
          )}
        </>
      )}
      {view && (
        <>
          <p class="country-key-line">
            <code id="country-key-code" title={view.public_key} data-key={view.public_key}>
              {view.public_key.slice(0, 16)}
            </code>
            …{" "}
            <button
              type="button"
              class="link"
              id="country-key-copy"
              onClick={() =>
                navigator.clipboard
                  ?.writeText(view.public_key)
                  .then(() => setCopied(true))
                  .catch(() => undefined)
              }
            >
              {copied ? t("ui-sync-copied") : t("ui-country-key-copy")}
            </button>{" "}
            <span class="muted small" id="country-key-since" title={view.added_at}>
              {t("ui-country-key-since", { at: ago(view.added_at, lang) })}
            </span>
          </p>
          <details class="country-key-full">
            <summary>{t("ui-country-key-full")}</summary>
            <code id="country-key-full">{groupedKey(view.public_key)}</code>
          </details>
          <p id="country-key-what" class={view.holds_secret ? "country-key-held" : "muted small"}>
            {t(view.holds_secret ? "ui-country-key-held" : "ui-country-key-trusted")}
          </p>
          {mayManage && !view.holds_secret && (
            <button type="button" class="link" id="country-key-replace" onClick={() => setDialog("trust")}>
              {t("ui-country-key-replace")}
            </button>
          )}
        </>
      )}
      {dialog === "create" && <CreateDialog t={t} role={role} onClose={() => setDialog(null)} onDone={done} />}
      {dialog === "trust" && <TrustDialog t={t} current={view ?? null} onClose={() => setDialog(null)} onDone={done} />}
    </div>
  );
}

/** Making the key here, once it is said that it is done once, at the hub. */
function CreateDialog({ t, role, onClose, onDone }: { t: T; role: NodeRole; onClose: () => void; onDone: (v: CountryKeyView) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const create = () => {
    setError(null);
    setBusy(true);
    api
      .countryKeyCreate()
      .then(onDone)
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="country-key-create-dialog" title={t("ui-country-key-create-title")} onClose={onClose}>
      <p id="country-key-create-text">{t("ui-country-key-create-text")}</p>
      {role !== "hub" && (
        <p class="notice" id="country-key-not-hub">
          {t("ui-country-key-not-hub", { role: nodeRoleLabel(t, role) })}
        </p>
      )}
      <DialogFooter
        t={t}
        error={error}
        errorId="country-key-create-error"
        actionId="country-key-create-confirm"
        label={t("ui-country-key-create-confirm")}
        busy={busy}
        onClick={create}
        onClose={onClose}
      />
    </Dialog>
  );
}

/** Trusting a key made at the hub (64 hex, spaces allowed), in place of the one trusted before, if any. */
function TrustDialog({ t, current, onClose, onDone }: { t: T; current: CountryKeyView | null; onClose: () => void; onDone: (v: CountryKeyView) => void }) {
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hex = cleanKey(key);
  const valid = isKey(hex);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!valid) return;
    setError(null);
    setBusy(true);
    api
      .countryKeyTrust(hex)
      .then(onDone)
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="country-key-trust-dialog" title={t(current ? "ui-country-key-replace-title" : "ui-country-key-trust-title")} onClose={onClose}>
      <form class="dialog-form" onSubmit={submit}>
        <p class="muted small">{t("ui-country-key-trust-text")}</p>
        {current && (
          <p class="notice" id="country-key-replacing">
            {t("ui-country-key-replacing", { key: current.public_key.slice(0, 16) })}
          </p>
        )}
        <label for="country-key-input">{t("ui-country-key-input")}</label>
        <input
          id="country-key-input"
          class="mono"
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={key.trim() !== "" && !valid ? "true" : undefined}
          aria-describedby="country-key-input-hint"
        />
        <p class="muted small" id="country-key-input-hint">
          {key.trim() !== "" && !valid ? t("ui-country-key-input-bad") : t("ui-country-key-input-hint")}
        </p>
        <DialogFooter
          t={t}
          error={error}
          errorId="country-key-trust-error"
          actionId="country-key-trust-confirm"
          label={t("ui-country-key-trust-confirm")}
          busy={busy || !valid || hex === current?.public_key}
          onClose={onClose}
        />
      </form>
    </Dialog>
  );
}
