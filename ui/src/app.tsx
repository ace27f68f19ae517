import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "./api";
import type { CaseFilter } from "./bindings/CaseFilter";
import type { CaseSummary } from "./bindings/CaseSummary";
import type { IpcError } from "./bindings/IpcError";
import type { Lang } from "./bindings/Lang";
import type { NodeInfo } from "./bindings/NodeInfo";
import type { StartupState } from "./bindings/StartupState";
import { CLASSIFICATIONS, MEANS, OBSERVERS, PARTICIPATING, PURPOSES, ROUTE_ROLES, STATUSES } from "./bindings/vocabulary";
import type { SortField } from "./bindings/SortField";

const SORT_FIELDS: SortField[] = ["updated", "newest", "reference", "title", "opened", "status", "classification", "owner", "relevance"];
import { CaseDetail } from "./case-view";
import { CaseEditor } from "./case-editor/case-editor";
import { EnumFilter } from "./controls";
import { Legal } from "./legal/legal";
import { Plan } from "./plan/plan";
import { ConnectionBadge } from "./sync/connection-badge";
import { Sync } from "./sync/sync";
import type { SyncPanel } from "./bindings/SyncPanel";
import { routeCountries } from "./format";
import { countryName, labelKey, translate, type T } from "./i18n";

type Section = "cases" | "plan" | "legal" | "sync";

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
  // Sync in the background: the header shows whether the peers are
  // reachable, and the lists reload when a round brings documents.
  const [sync, setSync] = useState<SyncPanel | null>(null);
  const [dataVersion, setDataVersion] = useState(0);
  const unlocked = !!state?.unlocked;
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
        {node && sync && <ConnectionBadge t={t} connection={sync.connection} running={sync.running} id="connection" />}
        {node && (
          <span class="node-label" id="node-label">
            {t("ui-node-label", { name: node.name, country: node.country })}
          </span>
        )}
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
            onClick={() => api.lock().then(refresh)}
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
        <Unlock t={t} onDone={refresh} />
      </div>
    );
  }
  const tab = (id: Section, label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${id}`}
      aria-selected={section === id}
      class={`tab${section === id ? " selected" : ""}`}
      onClick={() => setSection(id)}
    >
      {label}
    </button>
  );
  return (
    <div class="app">
      {header(state.node)}
      <nav class="tabs" role="tablist" aria-label={t("ui-sections")}>
        {tab("cases", t("ui-tab-cases"))}
        {tab("plan", t("ui-tab-plan"))}
        {tab("legal", t("ui-tab-legal"))}
        {tab("sync", t("ui-tab-sync"))}
      </nav>
      <div class="section" hidden={section !== "cases"}>
        <Cases t={t} lang={lang} initial={state.case_filter} ownCountry={state.node.country} version={dataVersion} />
      </div>
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
      {opened.current.has("sync") && (
        <div class="section" hidden={section !== "sync"}>
          <Sync t={t} lang={lang} visible={section === "sync"} onData={() => setDataVersion((v) => v + 1)} />
        </div>
      )}
    </div>
  );
}

function Setup({ t, lang, onDone }: { t: T; lang: Lang; onDone: () => void }) {
  const [country, setCountry] = useState("GT");
  const [name, setName] = useState("");
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
      await api.createDatabase({ country, node_name: name, passphrase: pass, demo });
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

function Unlock({ t, onDone }: { t: T; onDone: () => void }) {
  const [pass, setPass] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.unlock(pass);
      onDone();
    } catch (err) {
      setError(asIpcError(err).message);
      setPass("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="center">
      <form class="card setup" onSubmit={submit} id="unlock-form">
        <h2>{t("ui-unlock-title")}</h2>
        <p class="muted">{t("ui-unlock-intro")}</p>
        <label for="unlock-pass">{t("ui-setup-passphrase")}</label>
        <input id="unlock-pass" type="password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} autoFocus required />
        {error && (
          <p class="form-error" role="alert" id="unlock-error">
            {error}
          </p>
        )}
        <button type="submit" id="unlock-submit" disabled={busy}>
          {busy ? t("ui-unlocking") : t("ui-unlock-button")}
        </button>
      </form>
    </main>
  );
}

const PAGE = 100;
/** Height of one row of the case list, in pixels (the list is virtualised). */
const ROW = 74;
/** Rows drawn beyond the visible ones, above and below. */
const OVERSCAN = 8;

/** The filters and sort of the case list (remembered between starts). */
type ListFilter = Omit<CaseFilter, "query" | "limit" | "offset">;

/** Filters that narrow the list (sort is not one). */
export function activeFilters(f: ListFilter): number {
  const keys: (keyof ListFilter)[] = ["status", "classification", "country", "role", "purpose", "means", "opened_from", "opened_to", "owner"];
  return keys.filter((k) => f[k] !== undefined && f[k] !== null && f[k] !== "").length;
}

function Cases({ t, lang, initial, ownCountry, version }: { t: T; lang: Lang; initial?: CaseFilter; ownCountry: string; version: number }) {
  const [query, setQuery] = useState("");
  const [f, setF] = useState<ListFilter>(() => {
    const { query: _q, limit: _l, offset: _o, ...rest } = initial ?? {};
    return rest;
  });
  const [more, setMore] = useState(() => activeFilters(f) > (f.status ? 1 : 0) + (f.classification ? 1 : 0) + (f.country ? 1 : 0));
  const setFilter = (next: ListFilter) => {
    setF(next);
    api.saveCaseFilter(next).catch(() => undefined);
  };
  const pick = <K extends keyof ListFilter>(k: K, v: string) => setFilter({ ...f, [k]: v === "" ? undefined : v });
  const status = f.status ?? "";
  const classification = f.classification ?? "";
  const country = f.country ?? "";
  // The core's default: newest first for "updated" and "newest" (and no sort).
  const descending = f.descending ?? (!f.sort || f.sort === "updated" || f.sort === "newest");
  // The list is virtualised: the total comes with the first page, rows are
  // fetched a page at a time as they scroll into view, and only the rows on
  // screen (plus a margin) are in the DOM — smooth at 100,000 cases.
  const [total, setTotal] = useState<number | null>(null);
  const [rows, setRows] = useState<Map<number, CaseSummary[]>>(new Map());
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  // The words whose results are on screen (benchmarks wait for it).
  const [shownFor, setShownFor] = useState<string | null>(null);
  const seq = useRef(0);
  const asked = useRef(new Set<number>());
  const listRef = useRef<HTMLDivElement>(null);
  const queryRef = useRef(query);

  // The filters in effect now: a query sent later (after the one in
  // flight) must not use the filters of the render that queued it.
  const fRef = useRef(f);
  fRef.current = f;
  const filter = (q: string, offset = 0): CaseFilter => ({
    ...fRef.current,
    query: q || undefined,
    limit: PAGE,
    offset,
  });

  // Search as you type: a query goes out at once; while one is running, the
  // newest words wait and go next (no fixed delay after the last keystroke).
  const inFlight = useRef(false);
  const waiting = useRef<string | null>(null);
  const load = (q: string) => {
    queryRef.current = q;
    if (inFlight.current) {
      waiting.current = q;
      return;
    }
    inFlight.current = true;
    const mine = ++seq.current;
    api
      .listCases(filter(q))
      .then((l) => {
        if (mine !== seq.current) return;
        asked.current = new Set([0]);
        setRows(new Map([[0, l.items]]));
        setTotal(Number(l.total));
        setShownFor(q);
        setError(null);
        if (listRef.current) listRef.current.scrollTop = 0;
      })
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => {
        inFlight.current = false;
        const next = waiting.current;
        waiting.current = null;
        if (next !== null) load(next);
      });
  };
  const fkey = JSON.stringify(f);
  // Filters changed, or sync brought documents: the list again.
  useEffect(() => load(queryRef.current), [fkey, version]);

  const first = Math.max(0, Math.floor(scroll.top / ROW) - OVERSCAN);
  const last = Math.min((total ?? 0) - 1, Math.ceil((scroll.top + scroll.height) / ROW) + OVERSCAN);
  useEffect(() => {
    if (total === null) return;
    const mine = seq.current;
    for (let page = Math.floor(first / PAGE); page <= Math.floor(Math.max(first, last) / PAGE); page++) {
      if (asked.current.has(page) || page * PAGE >= total) continue;
      asked.current.add(page);
      api
        .listCases(filter(queryRef.current, page * PAGE))
        .then((l) => {
          // A page that arrives after the search changed is dropped.
          if (mine === seq.current) setRows((m) => new Map(m).set(page, l.items));
        })
        .catch((e) => {
          asked.current.delete(page);
          setError(asIpcError(e).message);
        });
    }
  }, [first, last, total]);
  useEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const measure = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const rowAt = (i: number) => rows.get(Math.floor(i / PAGE))?.[i % PAGE];
  const loaded = [...rows.values()].reduce((n, r) => n + r.length, 0);
  const visible: number[] = [];
  for (let i = first; i <= last; i++) visible.push(i);

  /** Arrow keys move between rows (the list keeps the focused row in view). */
  const onListKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const idx = Number(target.dataset.index ?? -1);
    if (idx < 0 || !["ArrowDown", "ArrowUp", "Home", "End", "PageDown", "PageUp"].includes(e.key) || total === null) return;
    e.preventDefault();
    const page = Math.max(1, Math.floor(scroll.height / ROW) - 1);
    const next = Math.max(
      0,
      Math.min(total - 1, { ArrowDown: idx + 1, ArrowUp: idx - 1, Home: 0, End: total - 1, PageDown: idx + page, PageUp: idx - page }[e.key] ?? idx),
    );
    const el = listRef.current;
    if (!el) return;
    if (next * ROW < el.scrollTop) el.scrollTop = next * ROW;
    else if ((next + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (next + 1) * ROW - el.clientHeight;
    requestAnimationFrame(() => (el.querySelector(`[data-index="${next}"]`) as HTMLElement | null)?.focus());
  };

  return (
    <main class="cases">
      <section class="list-pane" aria-label={t("ui-search")}>
        <div class="filters">
          <div class="search-row">
          <input
            id="search"
            type="search"
            value={query}
            placeholder={t("ui-search-placeholder")}
            aria-label={t("ui-search")}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              load(e.currentTarget.value);
            }}
          />
          <button type="button" id="case-new" class="new-btn" accesskey="n" title={t("ui-case-new")} onClick={() => setSelected("new")}>
            + {t("ui-case-new")}
          </button>
          </div>
          <div class="filter-row">
            <EnumFilter t={t} id="filter-status" label={t("ui-filter-status")} value={status} values={STATUSES} prefix="status" onPick={(v) => pick("status", v)} />
            <EnumFilter
              t={t}
              id="filter-classification"
              label={t("ui-filter-classification")}
              value={classification}
              values={CLASSIFICATIONS}
              prefix="classification"
              onPick={(v) => pick("classification", v)}
            />
            <label>
              <span>{t("ui-filter-country")}</span>
              <select id="filter-country" value={country} onChange={(e) => pick("country", e.currentTarget.value)}>
                <option value="">{t("ui-filter-all")}</option>
                {[...PARTICIPATING, ...OBSERVERS].map((c) => (
                  <option value={c} key={c}>
                    {countryName(lang, c)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {more && (
            <div class="filter-row" id="more-filters">
              <EnumFilter t={t} id="filter-role" label={t("ui-filter-role")} value={f.role} values={ROUTE_ROLES} prefix="route-role" onPick={(v) => pick("role", v)} />
              <EnumFilter t={t} id="filter-purpose" label={t("field-purposes")} value={f.purpose} values={PURPOSES} prefix="purpose" onPick={(v) => pick("purpose", v)} />
              <EnumFilter t={t} id="filter-means" label={t("field-means")} value={f.means} values={MEANS} prefix="means" onPick={(v) => pick("means", v)} />
              <label>
                <span>{t("ui-filter-opened-from")}</span>
                <input id="filter-from" type="date" value={f.opened_from ?? ""} onChange={(e) => pick("opened_from", e.currentTarget.value)} />
              </label>
              <label>
                <span>{t("ui-filter-opened-to")}</span>
                <input id="filter-to" type="date" value={f.opened_to ?? ""} onChange={(e) => pick("opened_to", e.currentTarget.value)} />
              </label>
              <label>
                <span>{t("field-owner")}</span>
                <select id="filter-owner" value={f.owner ?? ""} onChange={(e) => pick("owner", e.currentTarget.value)}>
                  <option value="">{t("ui-filter-all")}</option>
                  {[...PARTICIPATING, ...OBSERVERS].map((c) => (
                    <option value={c} key={c}>
                      {countryName(lang, c)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}
          <div class="sort-row">
            <button type="button" class="link" id="more-filters-toggle" aria-expanded={more} onClick={() => setMore(!more)}>
              {more ? t("ui-filter-fewer") : t("ui-filter-more")}
            </button>
            <label>
              <span>{t("ui-sort")}</span>
              <select id="sort-field" value={f.sort ?? ""} onChange={(e) => pick("sort", e.currentTarget.value)}>
                <option value="">{t("ui-sort-default")}</option>
                {SORT_FIELDS.map((s) => (
                  <option value={s} key={s}>
                    {t(`ui-sort-${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              class="link"
              id="sort-direction"
              aria-label={t(descending ? "ui-sort-desc" : "ui-sort-asc")}
              title={t(descending ? "ui-sort-desc" : "ui-sort-asc")}
              onClick={() => setFilter({ ...f, descending: !descending })}
            >
              {descending ? "↓" : "↑"}
            </button>
          </div>
          <div class="count" id="case-count" aria-live="polite">
            {total !== null && t("ui-cases-count", { shown: Math.min(loaded, total), total })}
            {activeFilters(f) > 0 && (
              <button type="button" class="link" id="filter-clear" onClick={() => setFilter({ sort: f.sort, descending: f.descending })}>
                {t("ui-filter-clear")}
              </button>
            )}
          </div>
        </div>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div
          class="case-list"
          id="case-list"
          ref={listRef}
          role="list"
          aria-label={t("ui-case-list")}
          data-results-for={shownFor ?? ""}
          data-total={total ?? ""}
          onScroll={(e) => setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
          onKeyDown={onListKey}
        >
          {total === 0 && <p class="empty">{t("ui-no-results")}</p>}
          <div class="case-list-inner" style={{ height: `${(total ?? 0) * ROW}px` }}>
            {visible.map((i) => {
              const c = rowAt(i);
              return (
                <div role="listitem" key={i} class="case-slot" style={{ top: `${i * ROW}px`, height: `${ROW}px` }}>
                  {c ? (
                    <button
                      type="button"
                      class={`case-row${selected === c.id ? " selected" : ""}`}
                      data-reference={c.reference}
                      data-index={i}
                      aria-current={selected === c.id}
                      onClick={() => setSelected(c.id)}
                    >
                      <div class="row-top">
                        <span class="ref">{c.reference}</span>
                        <span class={`badge cls-${c.classification}`}>{t(labelKey("classification", c.classification))}</span>
                      </div>
                      <div class="row-title">
                        {c.title}
                        {c.warnings > 0 && (
                          <span class="warn" title={t("ui-issues")} aria-label={t("ui-issues")}>
                            {" "}⚠
                          </span>
                        )}
                      </div>
                      <div class="row-meta">
                        <span class="status">{t(labelKey("status", c.status))}</span>
                        <span class="route-mini">{routeCountries(c.route).join(" → ")}</span>
                      </div>
                    </button>
                  ) : (
                    <div class="case-row placeholder-row" aria-hidden="true">
                      …
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </section>
      <section class="detail-pane" id="detail-pane">
        {selected === "new" ? (
          <CaseEditor
            t={t}
            lang={lang}
            view={null}
            ownCountry={ownCountry}
            onSaved={() => load(query)}
            onClose={(id) => {
              setSelected(id ?? null);
              load(query);
            }}
          />
        ) : selected ? (
          <CaseDetail id={selected} t={t} lang={lang} ownCountry={ownCountry} onChanged={() => load(query)} />
        ) : (
          <p class="muted placeholder">{t("ui-select-case")}</p>
        )}
      </section>
    </main>
  );
}
