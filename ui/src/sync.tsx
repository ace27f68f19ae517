// The sync panel: this node's key (what a peer needs to pair), each peer
// with its last successful sync, what is waiting to be sent, traffic and
// the last error in plain words; "sync now" with a progress bar and cancel;
// pairing; bundles for where no network reaches; the quarantine.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "./api";
import type { BundleExported } from "./bindings/BundleExported";
import type { BundleFound } from "./bindings/BundleFound";
import type { Connection } from "./bindings/Connection";
import type { Lang } from "./bindings/Lang";
import type { PeerReport } from "./bindings/PeerReport";
import type { PeerView } from "./bindings/PeerView";
import type { QuarantineView } from "./bindings/QuarantineView";
import type { SyncPanel } from "./bindings/SyncPanel";
import { OBSERVERS, PARTICIPATING } from "./bindings/vocabulary";
import { ago, bytes, groupedKey } from "./format";
import { countryName, type T } from "./i18n";

/** The connection state, as a dot and words (used in the header too). */
export function ConnectionBadge({ t, connection, running, id }: { t: T; connection: Connection; running: boolean; id: string }) {
  const state = running ? "running" : connection;
  return (
    <span class={`conn conn-${state}`} id={id} role="status" data-state={state}>
      <span class="dot" aria-hidden="true" />
      {t(`ui-sync-conn-${state}`)}
    </span>
  );
}

function ReportLine({ t, r }: { t: T; r: PeerReport }) {
  if (r.cancelled) return <li class="muted">{t("ui-sync-report-cancelled", { peer: r.peer })}</li>;
  if (r.fault) {
    return (
      <li class="report-bad" data-peer={r.peer}>
        <strong>{r.peer}:</strong> {r.fault.message}
      </li>
    );
  }
  return (
    <li class="report-ok" data-peer={r.peer}>
      {t("ui-sync-report-ok", {
        peer: r.peer,
        sent: Number(r.docs_sent),
        received: Number(r.docs_received),
        bytes: bytes(Number(r.bytes_sent) + Number(r.bytes_received)),
      })}
    </li>
  );
}

function PeerRow({
  t,
  lang,
  p,
  busy,
  onSync,
  onRemoved,
}: {
  t: T;
  lang: Lang;
  p: PeerView;
  busy: boolean;
  onSync: (name: string) => void;
  onRemoved: () => void;
}) {
  const [bundle, setBundle] = useState<BundleExported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const exportBundle = () => {
    setError(null);
    api
      .exportBundle(p.name)
      .then(setBundle)
      .catch((e) => setError(asIpcError(e).message));
  };
  const remove = () => {
    api
      .removePeer(p.name)
      .then(onRemoved)
      .catch((e) => setError(asIpcError(e).message));
  };
  return (
    <tr class="peer-row" data-peer={p.name}>
      <td>
        <strong>{p.name}</strong>
        <div class="muted">
          {countryName(lang, p.country)} · <code title={p.public_key}>{p.node_id}</code>
        </div>
      </td>
      <td>{p.url ? <code>{p.url}</code> : <span class="muted">{t("ui-sync-no-url")}</span>}</td>
      <td class="peer-last">
        {p.last_success ? (
          <span title={p.last_success}>{ago(p.last_success, lang)}</span>
        ) : (
          <span class="muted">{t("ui-sync-never")}</span>
        )}
      </td>
      <td class="num peer-pending">{Number(p.pending)}</td>
      <td class="num">
        ↑ {bytes(Number(p.bytes_sent))}
        <br />↓ {bytes(Number(p.bytes_received))}
      </td>
      <td class="peer-state">
        {p.last_error ? (
          <span class="peer-error" role="alert">
            {p.last_error.message}
          </span>
        ) : p.last_success ? (
          <span class="peer-ok">{t("ui-sync-ok")}</span>
        ) : (
          <span class="muted">—</span>
        )}
        {Number(p.wanted) > 0 && <div class="muted">{t("ui-sync-wanted", { count: Number(p.wanted) })}</div>}
        {bundle && (
          <div class="bundle-done" role="status">
            {t("ui-sync-bundle-written", { path: bundle.path, docs: Number(bundle.docs) })}
          </div>
        )}
        {error && (
          <div class="form-error" role="alert">
            {error}
          </div>
        )}
      </td>
      <td class="peer-actions">
        {p.url && (
          <button type="button" class="outline" disabled={busy} onClick={() => onSync(p.name)}>
            {t("ui-sync-peer-now")}
          </button>
        )}
        <button type="button" class="outline bundle-export" onClick={exportBundle}>
          {t("ui-sync-bundle-export")}
        </button>
        {confirming ? (
          <span class="confirm">
            <button type="button" class="danger" onClick={remove}>
              {t("ui-sync-remove-confirm")}
            </button>
            <button type="button" class="link" onClick={() => setConfirming(false)}>
              {t("ui-cancel")}
            </button>
          </span>
        ) : (
          <button type="button" class="link" onClick={() => setConfirming(true)} aria-label={t("ui-sync-remove-label", { name: p.name })}>
            {t("ui-sync-remove")}
          </button>
        )}
      </td>
    </tr>
  );
}

function PairForm({ t, lang, onPaired }: { t: T; lang: Lang; onPaired: () => void }) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [key, setKey] = useState("");
  const [country, setCountry] = useState("GT");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    api
      .addPeer({ name, url: url.trim() || undefined, key: key.replace(/\s+/g, ""), country })
      .then((p) => {
        setDone(t("ui-sync-paired", { name: p.name }));
        setName("");
        setUrl("");
        setKey("");
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
        <label for="peer-url">{t("ui-sync-peer-url")}</label>
        <input id="peer-url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://192.168.1.20:7443" />
        <label for="peer-key">{t("ui-sync-peer-key")}</label>
        <input id="peer-key" class="mono" value={key} onInput={(e) => setKey(e.currentTarget.value)} required spellcheck={false} />
      </div>
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

function BundleImport({ t, lang, onImported }: { t: T; lang: Lang; onImported: () => void }) {
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

export function Sync({ t, lang, visible, onData }: { t: T; lang: Lang; visible: boolean; onData: () => void }) {
  const [panel, setPanel] = useState<SyncPanel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reports, setReports] = useState<PeerReport[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [quarantine, setQuarantine] = useState<QuarantineView[] | null>(null);
  // The most log entries left seen in this round: the bar's length.
  const most = useRef(0);
  const refresh = () =>
    api
      .syncPanel()
      .then((p) => {
        setPanel(p);
        setError(null);
      })
      .catch((e) => setError(asIpcError(e).message));
  useEffect(() => {
    if (!visible) return;
    refresh();
    const id = setInterval(refresh, 2000);
    return () => clearInterval(id);
  }, [visible]);
  const syncNow = (peer?: string) => {
    setBusy(true);
    setReports(null);
    api
      .syncNow(peer ?? null)
      .then((r) => {
        setReports(r);
        if (r.some((x) => Number(x.docs_received) > 0)) onData();
      })
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => {
        setBusy(false);
        refresh();
      });
  };
  /** Percent done, from the log entries left (the first answer sets 100 %). */
  const done = (remaining: number | bigint) => {
    const left = Number(remaining);
    most.current = Math.max(most.current, left);
    return most.current === 0 ? 100 : Math.round((100 * (most.current - left)) / most.current);
  };
  if (!panel) {
    return <main class="sync-main">{error ? <p class="form-error">{error}</p> : <p>{t("ui-loading")}</p>}</main>;
  }
  const running = busy || panel.running;
  const progress = panel.progress;
  if (!running) most.current = 0;
  const withUrl = panel.peers.filter((p) => p.url);
  return (
    <main class="sync-main" id="sync-panel">
      <section class="card sync-head">
        <div class="sync-title">
          <h2>{t("ui-sync-title")}</h2>
          <ConnectionBadge t={t} connection={panel.connection} running={running} id="sync-connection" />
        </div>
        <p class="muted">{t("ui-sync-intro", { minutes: Math.round(Number(panel.interval_secs) / 60) })}</p>
        <div class="row">
          <button type="button" id="sync-now" disabled={running || withUrl.length === 0} onClick={() => syncNow()}>
            {running ? t("ui-sync-running") : t("ui-sync-now")}
          </button>
          {running && (
            <button type="button" class="outline" id="sync-cancel" onClick={() => api.cancelSync().catch(() => undefined)}>
              {t("ui-cancel")}
            </button>
          )}
          {withUrl.length === 0 && <span class="muted">{t("ui-sync-no-peers")}</span>}
        </div>
        {running && progress && (
          <div
            class="progress"
            role="progressbar"
            aria-label={t("ui-sync-running")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={done(progress.remaining)}
          >
            <div class="progress-fill" style={{ width: `${done(progress.remaining)}%` }} />
            <span>
              {t("ui-sync-progress", {
                peer: progress.peer,
                docs: Number(progress.docs_received),
                remaining: Number(progress.remaining),
              })}
            </span>
          </div>
        )}
        {reports && (
          <ul class="reports" id="sync-reports">
            {reports.map((r) => (
              <ReportLine t={t} r={r} key={r.peer} />
            ))}
          </ul>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
      </section>

      <section class="card">
        <h3>{t("ui-sync-this-node")}</h3>
        <p class="muted">{t("ui-sync-this-node-intro")}</p>
        <dl class="node-card">
          <dt>{t("ui-sync-node-name")}</dt>
          <dd>
            {panel.node.name} · {countryName(lang, panel.node.country)}
          </dd>
          <dt>{t("ui-sync-node-key")}</dt>
          <dd>
            <code id="node-key" data-key={panel.node.public_key}>
              {groupedKey(panel.node.public_key)}
            </code>{" "}
            <button
              type="button"
              class="link"
              onClick={() =>
                navigator.clipboard
                  ?.writeText(panel.node.public_key)
                  .then(() => setCopied(true))
                  .catch(() => undefined)
              }
            >
              {copied ? t("ui-sync-copied") : t("ui-sync-copy")}
            </button>
          </dd>
        </dl>
      </section>

      <section class="card">
        <h3>{t("ui-sync-peers")}</h3>
        {panel.peers.length === 0 ? (
          <p class="muted" id="no-peers">
            {t("ui-sync-peers-empty")}
          </p>
        ) : (
          <table class="peers" id="peers">
            <thead>
              <tr>
                <th>{t("ui-sync-col-peer")}</th>
                <th>{t("ui-sync-col-url")}</th>
                <th>{t("ui-sync-col-last")}</th>
                <th class="num">{t("ui-sync-col-pending")}</th>
                <th class="num">{t("ui-sync-col-traffic")}</th>
                <th>{t("ui-sync-col-state")}</th>
                <th>
                  <span class="visually-hidden">{t("ui-sync-col-actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {panel.peers.map((p) => (
                <PeerRow key={p.name} t={t} lang={lang} p={p} busy={running} onSync={syncNow} onRemoved={refresh} />
              ))}
            </tbody>
          </table>
        )}
        {Number(panel.quarantined) > 0 && (
          <div class="quarantine" id="quarantine">
            <button
              type="button"
              class="link"
              onClick={() => (quarantine ? setQuarantine(null) : api.quarantine().then(setQuarantine).catch(() => undefined))}
            >
              {t("ui-sync-quarantine", { count: Number(panel.quarantined) })}
            </button>
            {quarantine && (
              <ul>
                {quarantine.map((q) => (
                  <li key={`${q.doc_id}-${q.change}`}>
                    {t(`refusal-${q.reason.replace(/_/g, "-")}`)} — {q.detail} ({q.author} ← {q.from})
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>

      <div class="sync-forms">
        <PairForm t={t} lang={lang} onPaired={refresh} />
        <BundleImport
          t={t}
          lang={lang}
          onImported={() => {
            refresh();
            onData();
          }}
        />
      </div>
    </main>
  );
}
