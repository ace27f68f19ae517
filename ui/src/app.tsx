// The app's shell: the language, the start (first start or unlock), the
// header with the connection, the official and the lock, the tabs the
// official's role opens (the reviews due open a case in the cases tab; the
// directory of agencies), the idle lock, and the sync in the background
// that tells the screens when documents arrived.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "./api";
import type { IpcError } from "./bindings/IpcError";
import type { Lang } from "./bindings/Lang";
import type { NodeInfo } from "./bindings/NodeInfo";
import type { StartupState } from "./bindings/StartupState";
import { Agencies } from "./agencies/agencies";
import { Audit } from "./audit/audit";
import { useIdle } from "./idle";
import { AccountMenu, idleDelay } from "./officials/account-menu";
import { Officials } from "./officials/officials";
import { SessionContext, can } from "./session";
import { Legal } from "./legal/legal";
import { Plan } from "./plan/plan";
import { ReviewsDue } from "./reviews/reviews";
import { ConnectionBadge } from "./sync/connection-badge";
import { Sync } from "./sync/sync";
import { Statistics } from "./stats/stats";
import type { SyncPanel } from "./bindings/SyncPanel";
import { translate, type T } from "./i18n";
import { ago } from "./format";
import { Cases } from "./case-list/case-list";
import { Setup } from "./start/setup";
import { Unlock } from "./start/unlock";

type Section = "cases" | "reviews" | "agencies" | "plan" | "legal" | "stats" | "sync" | "officials" | "audit";

export function App() {
  // Spanish until the shell says which language this data directory uses.
  const [lang, setLang] = useState<Lang>("es");
  const [state, setState] = useState<StartupState | null>(null);
  const [fatal, setFatal] = useState<IpcError | null>(null);
  const [section, setSection] = useState<Section>("cases");
  // Sections stay mounted once opened, so switching keeps searches and drafts.
  const opened = useRef(new Set<Section>(["cases"]));
  opened.current.add(section);
  const t: T = useMemo(() => (key, args) => translate(lang, key, args), [lang]);
  // A case another tab asked to open in the cases tab (counted, so the same one opens again).
  const [openCase, setOpenCase] = useState<{ id: string; n: number } | null>(null);
  // The core refused the reviews due to this official: the tab is withdrawn.
  const [reviewsRefused, setReviewsRefused] = useState(false);
  // Sync in the background: the header shows whether the peers are
  // reachable, and the lists reload when a round brings documents.
  const [sync, setSync] = useState<SyncPanel | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const unlocked = !!state?.unlocked;
  const session = state?.session ?? null;
  // Why the window locked, when it locked itself (said on the unlock screen).
  const [idleLocked, setIdleLocked] = useState(false);
  useEffect(() => {
    if (!unlocked) return;
    const poll = () =>
      api
        .syncPanel()
        .then(setSync)
        .catch(() => undefined);
    poll();
    const id = setInterval(poll, 10000);
    const finished = api.onSyncFinished((reports) => {
      poll();
      if (reports.length === 0 || reports.some((r) => Number(r.docs_received) > 0)) setDataVersion((v) => v + 1);
    });
    const progress = api.onSyncProgress(() => poll());
    return () => {
      clearInterval(id);
      finished.then((f) => f());
      progress.then((f) => f());
    };
  }, [unlocked]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  /** The user chose a language: show it and remember it on this data directory. */
  const chooseLang = (l: Lang) => {
    setLang(l);
    api.setLanguage(l).catch(() => undefined);
  };

  const refresh = () =>
    api
      .startupState()
      .then((s) => {
        setState(s);
        setLang(s.lang);
      })
      .catch((e) => setFatal(asIpcError(e)));
  useEffect(() => {
    refresh();
  }, []);
  // Unlocked without the session (an older shell's answer): asked for.
  useEffect(() => {
    if (unlocked && !session)
      api
        .session()
        .then((s) => setState((st) => st && { ...st, session: s }))
        .catch((e) => setFatal(asIpcError(e)));
  }, [unlocked, session]);

  /**
   * Locks: the screens leave the DOM first (an editor closing saves what
   * is unsaved), then the node is closed and the unlock screen shown. The
   * next official starts on the cases, with no tab of the last one open.
   */
  const lockNow = (idle: boolean) => {
    setIdleLocked(idle);
    setSync(null);
    setSection("cases");
    opened.current = new Set<Section>(["cases"]);
    setOpenCase(null);
    setReviewsRefused(false);
    setState((s) => s && { ...s, unlocked: false, node: undefined, session: undefined });
    setTimeout(() => {
      api
        .lock()
        .catch(() => undefined)
        .then(refresh);
    }, 0);
  };
  // Without input for the delay in the preferences, the window locks.
  useIdle(state?.idle_seconds ?? 0, () => lockNow(true), unlocked && !!session);
  /** The delay was changed: the one in effect (the shell may override it). */
  const idleChanged = () =>
    api
      .startupState()
      .then((s) => setState((st) => st && { ...st, idle_seconds: s.idle_seconds }))
      .catch(() => undefined);

  const header = (node?: NodeInfo) => (
    <header class="topbar">
      <div class="brand">
        <span class="logo" aria-hidden="true">E</span>
        <div>
          <h1>{t("ui-app-title")}</h1>
          <p class="subtitle">{t("ui-app-subtitle")}</p>
        </div>
      </div>
      <div class="top-actions">
        {node && sync && (
          <ConnectionBadge
            t={t}
            connection={sync.connection}
            running={sync.running}
            pending={sync.peers.reduce((n, p) => n + Number(p.pending), 0)}
            id="connection"
          />
        )}
        {node && sync && (
          <span class="last-sync" id="last-sync" title={sync.last_success ?? undefined}>
            {sync.last_success ? t("ui-last-sync", { when: ago(sync.last_success, lang) }) : t("ui-last-sync-never")}
          </span>
        )}
        {node && (
          <span class="node-label" id="node-label">
            {t("ui-node-label", { name: node.name, country: node.country })}
          </span>
        )}
        {node && session && state && <AccountMenu t={t} session={session} idleSeconds={state.idle_seconds} onIdleChanged={idleChanged} />}
        <label class="lang">
          <span>{t("ui-language")}</span>
          <select id="lang-switch" value={lang} onChange={(e) => chooseLang(e.currentTarget.value === "en" ? "en" : "es")}>
            <option value="es">Español</option>
            <option value="en">English</option>
          </select>
        </label>
        {node && (
          <button
            type="button"
            class="secondary"
            id="lock"
            onClick={() => lockNow(false)}
          >
            {t("ui-lock")}
          </button>
        )}
      </div>
    </header>
  );

  if (fatal) {
    return (
      <div class="app">
        {header()}
        <main class="center">
          <div class="card error" role="alert">
            <h2>{t("ui-error-title")}</h2>
            <p>{fatal.message}</p>
          </div>
        </main>
      </div>
    );
  }
  if (!state) {
    return (
      <div class="app">
        {header()}
        <main class="center">
          <p>{t("ui-loading")}</p>
        </main>
      </div>
    );
  }
  if (!state.initialised) {
    return (
      <div class="app">
        {header()}
        <Setup t={t} lang={lang} onDone={refresh} />
      </div>
    );
  }
  if (!state.unlocked || !state.node) {
    return (
      <div class="app">
        {header()}
        <Unlock
          t={t}
          official={state.last_official ?? "admin"}
          notice={idleLocked ? t("ui-unlock-idle", { after: idleDelay(state.idle_seconds) }) : undefined}
          onDone={() => {
            setIdleLocked(false);
            refresh();
          }}
        />
      </div>
    );
  }
  if (!session) {
    return (
      <div class="app">
        {header()}
        <main class="center">
          <p>{t("ui-loading")}</p>
        </main>
      </div>
    );
  }
  const mayManageOfficials = can(session, "manage_officials");
  const mayAudit = can(session, "view_audit");
  const mayReviews = can(session, "see_risk_assessments") && !reviewsRefused;
  const tab = (id: Section, label: string, domId = `tab-${id}`) => (
    <button
      type="button"
      role="tab"
      id={domId}
      aria-selected={section === id}
      class={`tab${section === id ? " selected" : ""}`}
      onClick={() => setSection(id)}
    >
      {label}
    </button>
  );
  return (
    <SessionContext.Provider value={session}>
      <div class="app">
        {header(state.node)}
        <nav class="tabs" role="tablist" aria-label={t("ui-sections")}>
          {tab("cases", t("ui-tab-cases"))}
          {mayReviews && tab("reviews", t("ui-tab-reviews"), "reviews-tab")}
          {tab("agencies", t("ui-tab-agencies"))}
          {tab("plan", t("ui-tab-plan"))}
          {tab("legal", t("ui-tab-legal"))}
          {tab("stats", t("ui-tab-stats"))}
          {tab("sync", t("ui-tab-sync"))}
          {mayManageOfficials && tab("officials", t("ui-tab-officials"), "officials-tab")}
          {mayAudit && tab("audit", t("ui-tab-audit"), "audit-tab")}
        </nav>
        <div class="section" hidden={section !== "cases"}>
          <Cases t={t} lang={lang} initial={state.case_filter} ownCountry={state.node.country} version={dataVersion} open={openCase} />
        </div>
        {mayReviews && opened.current.has("reviews") && (
          <div class="section" hidden={section !== "reviews"}>
            <ReviewsDue
              t={t}
              lang={lang}
              visible={section === "reviews"}
              version={dataVersion}
              onOpen={(id) => {
                setOpenCase((o) => ({ id, n: (o?.n ?? 0) + 1 }));
                setSection("cases");
              }}
              onForbidden={() => {
                setReviewsRefused(true);
                setSection("cases");
              }}
            />
          </div>
        )}
        {opened.current.has("agencies") && (
          <div class="section" hidden={section !== "agencies"}>
            <Agencies t={t} lang={lang} ownCountry={state.node.country} version={dataVersion} />
          </div>
        )}
        {opened.current.has("plan") && (
          <div class="section" hidden={section !== "plan"}>
            <Plan t={t} lang={lang} ownCountry={state.node.country} version={dataVersion} />
          </div>
        )}
        {opened.current.has("legal") && (
          <div class="section" hidden={section !== "legal"}>
            <Legal t={t} lang={lang} ownCountry={state.node.country} version={dataVersion} />
          </div>
        )}
        {opened.current.has("stats") && (
          <div class="section" hidden={section !== "stats"}>
            <Statistics t={t} lang={lang} version={dataVersion} />
          </div>
        )}
        {opened.current.has("sync") && (
          <div class="section" hidden={section !== "sync"}>
            <Sync t={t} lang={lang} visible={section === "sync"} onData={() => setDataVersion((v) => v + 1)} />
          </div>
        )}
        {mayManageOfficials && opened.current.has("officials") && (
          <div class="section" hidden={section !== "officials"}>
            <Officials t={t} visible={section === "officials"} />
          </div>
        )}
        {mayAudit && opened.current.has("audit") && (
          <div class="section" hidden={section !== "audit"}>
            <Audit t={t} dataDir={state.data_dir} visible={section === "audit"} />
          </div>
        )}
      </div>
    </SessionContext.Provider>
  );
}
