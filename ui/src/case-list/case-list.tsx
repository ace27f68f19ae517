// The cases: search as you type, filters and sort, a virtualised list (smooth
// at 100,000 cases) that marks victims' risk reviews due, and the selected
// case (or a new one) beside it.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { CaseFilter } from "../bindings/CaseFilter";
import type { CaseSummary } from "../bindings/CaseSummary";
import type { DuplicateReference } from "../bindings/DuplicateReference";
import type { Lang } from "../bindings/Lang";
import { CLASSIFICATIONS, MEANS, OBSERVERS, PARTICIPATING, PURPOSES, ROUTE_ROLES, STATUSES } from "../bindings/vocabulary";
import type { SortField } from "../bindings/SortField";
import { CaseDetail } from "../case-view/case-detail";
import { CaseEditor } from "../case-editor/case-editor";
import { EnumFilter } from "../controls";
import { routeCountries } from "../format";
import { countryName, labelKey, type T } from "../i18n";
import { useCan } from "../session";
import { reviewLabel } from "../risk-fields";
import { activeFilters, withReviewDue, type ListFilter } from "./list-filter";

const SORT_FIELDS: SortField[] = ["updated", "newest", "reference", "title", "opened", "status", "classification", "owner", "relevance"];

const PAGE = 100;

/** Height of one row of the case list, in pixels (the list is virtualised). */
const ROW = 74;

/** Rows drawn beyond the visible ones, above and below. */
const OVERSCAN = 8;

export function Cases({
  t,
  lang,
  initial,
  ownCountry,
  version,
  open,
}: {
  t: T;
  lang: Lang;
  initial?: CaseFilter;
  ownCountry: string;
  version: number;
  /** A case another screen asked to open (`n` counts the requests, so the same case opens again). */
  open?: { id: string; n: number } | null;
}) {
  const [query, setQuery] = useState("");
  // A role that may not change cases is not offered a new one.
  const mayEdit = useCan("edit_cases");
  // Victims' risk reviews are marked and filtered only for roles that may see them.
  const maySeeRisk = useCan("see_risk_assessments");
  const [f, setF] = useState<ListFilter>(() => {
    const { query: _q, limit: _l, offset: _o, ...rest } = initial ?? {};
    return rest;
  });
  const [more, setMore] = useState(() => activeFilters(f) > (f.status ? 1 : 0) + (f.classification ? 1 : 0) + (f.country ? 1 : 0) + (f.review_due ? 1 : 0));
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
  const [selected, setSelectedNow] = useState<string | null>(null);
  // What the editor could not save after creating a case (its victims' first risk assessments).
  const [notice, setNotice] = useState<string | null>(null);
  const setSelected = (id: string | null) => {
    setNotice(null);
    setSelectedNow(id);
  };
  useEffect(() => {
    if (open) setSelected(open.id);
  }, [open?.n]);
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
  // References that several cases carry (two nodes numbered apart): shown
  // above the list until one of each is renumbered.
  const [dups, setDups] = useState<DuplicateReference[]>([]);
  const loadDups = () =>
    api
      .duplicateReferences()
      .then(setDups)
      .catch(() => setDups([]));
  useEffect(() => void loadDups(), [version]);

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
          {mayEdit && (
            <button type="button" id="case-new" class="new-btn" accesskey="n" title={t("ui-case-new")} onClick={() => setSelected("new")}>
              + {t("ui-case-new")}
            </button>
          )}
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
          {maySeeRisk && (
            <label class="check review-due-filter">
              <input
                type="checkbox"
                id="filter-review-due"
                data-testid="filter-review-due"
                checked={!!f.review_due}
                onChange={(e) => setFilter(withReviewDue(f, e.currentTarget.checked))}
              />
              <span aria-hidden="true">⚠</span> {t("ui-risk-filter-due")}
            </label>
          )}
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
        {dups.length > 0 && (
          <div class="conflict-box dup-banner" id="duplicates-banner" role="status">
            <p class="small">{t("ui-duplicates-banner", { count: dups.length })}</p>
            {dups.map((d) => (
              <button type="button" class="small-btn mono" key={d.reference} onClick={() => d.cases[0] && setSelected(d.cases[0].id)}>
                {d.reference}
              </button>
            ))}
          </div>
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
                        <span class="status">
                          {t(labelKey("status", c.status))}
                          {(c.review === "overdue" || c.review === "due_today") && (
                            <span class={`review-mark review-${c.review}`} data-testid="review-mark" data-state={c.review}>
                              {c.review === "overdue" && <span aria-hidden="true">⚠ </span>}
                              {reviewLabel(t, c.review)}
                            </span>
                          )}
                        </span>
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
            onClose={(id, failed) => {
              setSelected(id ?? null);
              setNotice(failed ?? null);
              load(query);
            }}
          />
        ) : selected ? (
          <>
          {notice && (
            <p class="form-error" role="alert" id="case-risk-error" data-testid="case-risk-error">
              {notice}
            </p>
          )}
          <CaseDetail
            id={selected}
            t={t}
            lang={lang}
            ownCountry={ownCountry}
            version={version}
            onOpen={setSelected}
            onChanged={() => {
              load(query);
              loadDups();
            }}
          />
          </>
        ) : (
          <p class="muted placeholder">{t("ui-select-case")}</p>
        )}
      </section>
    </main>
  );
}
