// The app as a small office's hub: a switch that makes this node listen on
// the local network for its paired peers (off by default), the port, and
// the addresses the office's other computers type in to pair with it.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { ListenerView } from "../bindings/ListenerView";
import type { T } from "../i18n";

export function ListenerCard({ t, listener, onChanged }: { t: T; listener: ListenerView; onChanged: () => void }) {
  const [port, setPort] = useState(String(listener.port));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The panel refreshes every few seconds: keep what is being typed.
  const [typing, setTyping] = useState(false);
  useEffect(() => {
    if (!typing) setPort(String(listener.port));
  }, [listener.port, typing]);
  const apply = (on: boolean) => {
    setBusy(true);
    setError(null);
    api
      .setListener(on, Number(port.trim()))
      .then(() => {
        setTyping(false);
        onChanged();
      })
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => setBusy(false));
  };
  const portChanged = port.trim() !== String(listener.port);
  return (
    <div class="listener" id="listener">
      <h4>{t("ui-sync-listen-title")}</h4>
      <p class="muted small">{t("ui-sync-listen-intro")}</p>
      <div class="row listener-controls">
        <label class="check">
          <input type="checkbox" id="listen-on" checked={listener.on} disabled={busy} onChange={(e) => apply(e.currentTarget.checked)} />
          {t("ui-sync-listen-on")}
        </label>
        <label for="listen-port">{t("ui-sync-listen-port")}</label>
        <input
          id="listen-port"
          class="port"
          inputMode="numeric"
          value={port}
          onInput={(e) => {
            setTyping(true);
            setPort(e.currentTarget.value);
          }}
        />
        {portChanged && (
          <button type="button" class="outline" id="listen-apply" disabled={busy} onClick={() => apply(listener.on)}>
            {t("ui-sync-listen-apply")}
          </button>
        )}
      </div>
      {error && (
        <p class="form-error" role="alert" id="listen-error">
          {error}
        </p>
      )}
      {listener.on && listener.error && (
        <p class="form-error" role="alert" id="listen-error">
          {listener.error}
        </p>
      )}
      {listener.listening && (
        <div id="listen-state" class="listen-state">
          {listener.urls.length > 0 ? (
            <>
              <p>{t("ui-sync-listen-urls", { count: listener.urls.length })}</p>
              <ul class="listen-urls" id="listen-urls">
                {listener.urls.map((u) => (
                  <li key={u}>
                    <code>{u}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="muted">{t("ui-sync-listen-no-address", { port: listener.port })}</p>
          )}
        </div>
      )}
      {!listener.on && <p class="muted small" id="listen-state">{t("ui-sync-listen-off")}</p>}
    </div>
  );
}
