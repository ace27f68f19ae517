// The sync panel: this node's key (what a peer needs to pair) and its
// place in the country, each peer with its last successful sync, what is
// waiting to be sent, traffic and the last error in plain words; "sync now"
// with a progress bar and cancel; pairing; bundles for where no network
// reaches; the quarantine; the country's administrator key (who revokes).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { CountryKeyView } from "../bindings/CountryKeyView";
import type { Lang } from "../bindings/Lang";
import type { PeerReport } from "../bindings/PeerReport";
import type { QuarantineView } from "../bindings/QuarantineView";
import type { SyncPanel } from "../bindings/SyncPanel";
import { bytes, groupedKey } from "../format";
import { countryName, type T } from "../i18n";
import { useCan } from "../session";
import { BundleImport } from "./bundle-import";
import { ConnectionBadge } from "./connection-badge";
import { CountryKey, revokesElsewhere } from "./country-key";
import { ListenerCard } from "./listener-card";
import { OwnRole } from "./own-role";
import { PairForm } from "./pair-form";
import { PeerRow } from "./peer-row";
import { Revocations } from "./revocations";

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

export function Sync({ t, lang, visible, onData }: { t: T; lang: Lang; visible: boolean; onData: () => void }) {
  const [panel, setPanel] = useState<SyncPanel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reports, setReports] = useState<PeerReport[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [quarantine, setQuarantine] = useState<QuarantineView[] | null>(null);
  // The country's administrator key (null: none; undefined: not read yet).
  const [countryKey, setCountryKey] = useState<CountryKeyView | null | undefined>(undefined);
  const [countryKeyError, setCountryKeyError] = useState<string | null>(null);
  // Pairing, removing, revoking and bundles are the node administrator's.
  const mayManage = useCan("manage_peers");
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
  // Read when the panel opens; it changes only here (made or trusted).
  useEffect(() => {
    if (!visible) return;
    api
      .countryKey()
      .then((k) => {
        setCountryKey(k);
        setCountryKeyError(null);
      })
      .catch((e) => setCountryKeyError(asIpcError(e).message));
  }, [visible]);
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
  // A country key whose secret is elsewhere: the country's nodes are revoked at the hub.
  const revokeHere = !revokesElsewhere(countryKey);
  return (
    <main class="sync-main" id="sync-panel">
      <section class="card sync-head">
        <div class="sync-title">
          <h2>{t("ui-sync-title")}</h2>
          <ConnectionBadge
            t={t}
            connection={panel.connection}
            running={running}
            pending={panel.peers.reduce((n, p) => n + Number(p.pending), 0)}
            id="sync-connection"
          />
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
          <OwnRole t={t} role={panel.node.role} onChanged={refresh} />
        </dl>
        <CountryKey
          t={t}
          lang={lang}
          view={countryKey}
          error={countryKeyError}
          role={panel.node.role}
          onChanged={(k) => {
            setCountryKey(k);
            setCountryKeyError(null);
            refresh();
          }}
        />
        <ListenerCard t={t} listener={panel.listener} onChanged={refresh} />
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
                <PeerRow
                  key={p.name}
                  t={t}
                  lang={lang}
                  p={p}
                  ownCountry={panel.node.country}
                  revokeHere={revokeHere}
                  busy={running}
                  onSync={syncNow}
                  onChanged={refresh}
                />
              ))}
            </tbody>
          </table>
        )}
        {panel.revocations.length > 0 && <Revocations t={t} lang={lang} list={panel.revocations} revokeHere={revokeHere} onDone={refresh} />}
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

      {mayManage ? (
        <div class="sync-forms">
          <PairForm t={t} lang={lang} ownCountry={panel.node.country} onPaired={refresh} />
          <BundleImport
            t={t}
            lang={lang}
            onImported={() => {
              refresh();
              onData();
            }}
          />
        </div>
      ) : (
        <p class="muted small" id="sync-peers-admin-only">
          {t("ui-sync-admin-only")}
        </p>
      )}
    </main>
  );
}
