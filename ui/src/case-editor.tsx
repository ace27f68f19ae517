// The case editor: every field of a case, validated inline in the user's
// language and autosaved to this computer. What cannot be saved yet (an
// invalid or half-typed value) is kept as a draft in the encrypted store, so
// nothing typed is lost when the window closes or the app is killed.
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { createContext } from "preact";
import type { ComponentChildren } from "preact";
import { api, asIpcError } from "./api";
import type { Case } from "./bindings/Case";
import type { CaseView } from "./bindings/CaseView";
import type { CasePerson } from "./bindings/CasePerson";
import type { Identity } from "./bindings/Identity";
import type { Issue } from "./bindings/Issue";
import type { Lang } from "./bindings/Lang";
import type { PersonRole } from "./bindings/PersonRole";
import {
  ACTS,
  AGE_BANDS,
  AUDIENCE_SCOPES,
  CLASSIFICATIONS,
  CREDIBILITIES,
  DATA_SOURCES,
  GENDERS,
  HANDLING_CODES,
  ID_DOCUMENT_KINDS,
  INDICATOR_KINDS,
  LABOUR_SECTORS,
  LINK_RELATIONS,
  MEANS,
  MEANS_OF_CONTROL,
  OPERATION_STATUSES,
  PARTICIPATING,
  PERSON_ROLES,
  PURPOSES,
  RECRUITER_RELATIONS,
  RELIABILITIES,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  ROUTE_ROLES,
  STATUSES,
} from "./bindings/vocabulary";
import { caseFieldLabel } from "./case-fields";
import { RouteStrip } from "./route-strip";
import { parseDate, shortTime, showDate } from "./format";
import { countryName, labelKey, type T } from "./i18n";
import { CountrySelect, Field, Lock, SaveStatus, VocabSelect } from "./controls";
import { CASE_SAVE_DELAY_MS, useAutosave } from "./autosave";

/** The fields of a case the editor changes (a merge patch of these). */
export const EDITABLE = [
  "title",
  "summary",
  "classification",
  "status",
  "opened",
  "acts",
  "means",
  "purposes",
  "child_involved",
  "route",
  "persons",
  "indicators",
  "information",
  "links",
  "requests",
  "joint_operations",
  "standard",
  "audience",
] as const;
type Field = (typeof EDITABLE)[number];
export type CaseForm = Pick<Case, Field>;

/** What the draft of a form holds: the form, dates as typed, identities, the note being written. */
export type DraftBody = { form: CaseForm; raw: Record<string, string>; identities: Record<string, Identity>; dirty: string[]; note: string };

export function formOf(c: Case): CaseForm {
  const f = {} as Record<Field, unknown>;
  for (const k of EDITABLE) f[k] = structuredClone(c[k]);
  return f as CaseForm;
}

export function emptyForm(country: string): CaseForm {
  return {
    title: "",
    summary: "",
    classification: "under_assessment",
    status: "reported",
    opened: new Date().toISOString().slice(0, 10),
    acts: [],
    means: [],
    purposes: [],
    child_involved: false,
    route: [{ country, place: "", role: "origin" }],
    persons: [],
    indicators: [],
    information: [],
    links: [],
    requests: [],
    joint_operations: [],
    standard: { means_of_control: [] },
    audience: { scope: "regional", countries: [] },
  };
}

/** The top-level fields that differ (a JSON merge patch; arrays replace). */
export function casePatch(base: CaseForm, form: CaseForm): Partial<CaseForm> {
  const patch: Record<string, unknown> = {};
  for (const k of EDITABLE) if (JSON.stringify(base[k]) !== JSON.stringify(form[k])) patch[k] = form[k];
  return patch as Partial<CaseForm>;
}

/** The next free pseudonym for a role: V1, V2… S1… */
export function nextPseudonym(persons: Pick<CasePerson, "pseudonym">[], role: PersonRole): string {
  const prefix = { victim: "V", suspect: "S", witness: "W", other: "O" }[role];
  const taken = new Set(persons.map((p) => p.pseudonym));
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** A victim known to have been under 18 (flag or age band) makes it a child case. */
export function childCase(form: Pick<CaseForm, "child_involved" | "persons">): boolean {
  return (
    form.child_involved ||
    form.persons.some((p) => p.role === "victim" && (p.minor_at_exploitation === true || p.age_band === "0-8" || p.age_band === "9-17"))
  );
}

/** Input to create a case from the form (identities become person documents). */
export function caseInput(form: CaseForm, identities: Record<string, Identity>, note: string) {
  return {
    ...form,
    persons: form.persons.map(({ person_ref: _r, ...p }) => ({ ...p, identity: hasName(identities[p.pseudonym]) ? identities[p.pseudonym] : undefined })),
    notes: note.trim() ? [note] : [],
  };
}

function hasName(i?: Identity): i is Identity {
  return !!i && (i.given_names.trim() !== "" || i.first_surname.trim() !== "");
}

const emptyIdentity = (): Identity => ({ given_names: "", first_surname: "", aliases: [], documents: [], consent: { given: false } });


type Ctx = {
  t: T;
  lang: Lang;
  raw: Record<string, string>;
  msgs: (path: string) => { text: string; error: boolean }[];
  setRawDate: (path: string, text: string, apply: (iso: string | null) => void) => void;
  form: CaseForm;
  set: <K extends Field>(k: K, v: CaseForm[K]) => void;
  latest: { current: { form: CaseForm } };
};
const EditCtx = createContext<Ctx | null>(null);
function useCtx(): Ctx {
  const c = useContext(EditCtx);
  if (!c) throw new Error("editor controls outside the editor");
  return c;
}

/** The messages of one field (errors are announced). */
function Msgs({ path }: { path: string }) {
  const { msgs } = useCtx();
  return (
    <>
      {msgs(path).map((m, n) => (
        <span key={n} class={m.error ? "field-error" : "field-warning"} role={m.error ? "alert" : undefined} data-path={path}>
          {m.text}
        </span>
      ))}
    </>
  );
}

/** A date typed day first (dd/mm/aaaa); what is not a date is kept as typed and explained. */
function DateInput({ path, label, value, onSet }: { path: string; label: string; value?: string | null; onSet: (iso: string | null) => void }) {
  const { t, raw, msgs, setRawDate } = useCtx();
  return (
    <Field class="block date-field" label={label}>
      <input
        id={`f-${path.replace(/[.[\]]+/g, "-").replace(/-$/, "")}`}
        inputMode="numeric"
        placeholder={t("ui-date-placeholder")}
        value={raw[path] ?? showDate(value)}
        aria-invalid={msgs(path).some((m) => m.error)}
        onInput={(e) => setRawDate(path, e.currentTarget.value, onSet)}
      />
      <Msgs path={path} />
    </Field>
  );
}

/** A choice over a vocabulary, in the editor's language. */
function Select<V extends string>(props: { id: string; label: string; value?: V | null; values: readonly V[]; prefix: string; onPick: (v: V | undefined) => void; empty?: string }) {
  return <VocabSelect t={useCtx().t} {...props} />;
}

/** A choice of a country, named in the editor's language. */
function Country(props: { id: string; label: string; value?: string | null; onPick: (v: string | undefined) => void; empty?: string }) {
  return <CountrySelect lang={useCtx().lang} {...props} />;
}

function Remove({ onClick, what }: { onClick: () => void; what: string }) {
  const { t } = useCtx();
  return (
    <button type="button" class="link danger" onClick={onClick} aria-label={`${t("ui-legal-remove")}: ${what}`}>
      {t("ui-legal-remove")}
    </button>
  );
}

function Group({ id: gid, title, help, children }: { id: string; title: string; help?: string; children: ComponentChildren }) {
  return (
    <fieldset class="edit-group" id={gid}>
      <legend>{title}</legend>
      {help && <p class="help">{help}</p>}
      {children}
    </fieldset>
  );
}

const toggle = <V extends string>(list: V[], v: V) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

/** One Art. 3 element: its explanation and its choices. */
function Choices<V extends string>({ k, all, prefix, help, title }: { k: "acts" | "means" | "purposes"; all: readonly V[]; prefix: string; help: string; title: string }) {
  const { t, form, set, latest } = useCtx();
  return (
    <fieldset class="element-col edit" id={`f-${k}`}>
      <legend>{title}</legend>
      <p class="help">{help}</p>
      {all.map((v) => (
        <label class="check" key={v}>
          <input type="checkbox" checked={(form[k] as string[]).includes(v)} onChange={() => set(k, toggle(latest.current.form[k] as V[], v) as never)} />
          {t(labelKey(prefix, v))}
        </label>
      ))}
      <Msgs path={k} />
    </fieldset>
  );
}

export function CaseEditor({
  t,
  lang,
  view,
  ownCountry,
  onSaved,
  onClose,
}: {
  t: T;
  lang: Lang;
  /** The case being edited, or null for a new one. */
  view: CaseView | null;
  ownCountry: string;
  onSaved: (id: string) => void;
  onClose: (id?: string) => void;
}) {
  const id = view?.case.id ?? null;
  const draftKey = id ? `case:${id}` : "case:new";
  const [form, setForm] = useState<CaseForm>(() => (view ? formOf(view.case) : emptyForm(ownCountry)));
  const [raw, setRaw] = useState<Record<string, string>>({});
  const [identities, setIdentities] = useState<Record<string, Identity>>(() =>
    Object.fromEntries((view?.identities ?? []).map((i) => [i.pseudonym, structuredClone(i.identity)])),
  );
  const [note, setNote] = useState("");
  const [issues, setIssues] = useState<Issue[]>(view?.issues ?? []);
  const [message, setMessage] = useState<string | null>(null);
  const [recovered, setRecovered] = useState<string | null>(null);
  const [notes, setNotes] = useState(view?.case.notes ?? []);

  // The latest of everything, for the autosave.
  const latest = useRef({ form, raw, identities, note });
  const dirty = useRef(new Set<string>());
  const base = useRef<CaseForm>(view ? formOf(view.case) : emptyForm(ownCountry));

  const draftBody = (): DraftBody => ({ ...latest.current, dirty: [...dirty.current] });

  /** Dates typed that are not dates: nothing is saved to the case until they are fixed. */
  const localErrors = () =>
    Object.entries(latest.current.raw)
      .map(([path, text]) => ({ path, parsed: parseDate(text) }))
      .filter((x) => x.parsed.kind === "bad");

  /** Sends what changed since the last save: the case's fields, then the identities edited. */
  const save = async (id: string) => {
    const sent = latest.current;
    const patch = casePatch(base.current, sent.form);
    let warnings: Issue[] | null = null;
    if (Object.keys(patch).length > 0) {
      const r = await api.updateCase(id, patch);
      base.current = sent.form;
      warnings = r.issues;
    }
    for (const p of [...dirty.current]) {
      const ident = sent.identities[p];
      const linked = sent.form.persons.some((x) => x.pseudonym === p && x.person_ref);
      // An identity never saved and still without a name: nothing to save.
      // A saved one emptied goes to the core, which says what is missing.
      if (!hasName(ident) && !linked) {
        dirty.current.delete(p);
        continue;
      }
      const r = await api.saveIdentity(id, p, ident ?? emptyIdentity());
      if (latest.current.identities[p] === ident) dirty.current.delete(p);
      warnings = r.issues;
    }
    if (warnings) setIssues(warnings);
    setMessage(null);
  };
  // A case is saved a moment after the last edit (a new one only when
  // created); every edit is kept as a draft until it is saved; leaving the
  // editor saves what differs from the case.
  const autosave = useAutosave({
    save: id ? () => save(id) : null,
    delay: CASE_SAVE_DELAY_MS,
    blocked: () => localErrors().length > 0,
    onSaved: () => id && onSaved(id),
    failedState: (e) => (asIpcError(e).code === "invalid_input" ? "invalid" : "error"),
    onError: (e) => {
      const err = asIpcError(e);
      setIssues(err.issues);
      setMessage(err.message);
    },
    unsaved: () => !!id && (Object.keys(casePatch(base.current, latest.current.form)).length > 0 || dirty.current.size > 0),
    draft: { key: draftKey, body: draftBody, onError: (e) => setMessage(asIpcError(e).message) },
  });
  const { state, setState } = autosave;

  // A draft left by a closed or killed window comes back, and is saved if it can be.
  useEffect(() => {
    api
      .getDraft(draftKey)
      .then((d) => {
        if (!d) return;
        const body = d.body as DraftBody;
        if (!body?.form) return;
        latest.current = { form: body.form, raw: body.raw ?? {}, identities: body.identities ?? {}, note: body.note ?? "" };
        for (const p of body.dirty ?? []) dirty.current.add(p);
        setForm(body.form);
        setRaw(body.raw ?? {});
        setIdentities(body.identities ?? {});
        setNote(body.note ?? "");
        setRecovered(d.updated_at);
        autosave.resume();
      })
      .catch(() => undefined);
  }, [draftKey]);

  const touch = () => autosave.edited();
  const change = (next: CaseForm) => {
    latest.current = { ...latest.current, form: next };
    setForm(next);
    touch();
  };
  const set = <K extends Field>(k: K, v: CaseForm[K]) => change({ ...latest.current.form, [k]: v });
  const setItem = <K extends "route" | "persons" | "indicators" | "information" | "links" | "requests" | "joint_operations">(
    k: K,
    i: number,
    patch: Partial<CaseForm[K][number]>,
  ) => set(k, (latest.current.form[k] as CaseForm[K][number][]).map((x, j) => (j === i ? { ...x, ...patch } : x)) as CaseForm[K]);
  const removeItem = (k: "route" | "persons" | "indicators" | "information" | "links" | "requests" | "joint_operations", i: number) =>
    set(k, (latest.current.form[k] as unknown[]).filter((_, j) => j !== i) as never);
  const moveStop = (i: number, by: -1 | 1) => {
    const r = [...latest.current.form.route];
    const j = i + by;
    if (j < 0 || j >= r.length) return;
    [r[i], r[j]] = [r[j], r[i]];
    set("route", r);
  };
  const setRawDate = (path: string, text: string, apply: (iso: string | null) => void) => {
    const parsed = parseDate(text);
    const nextRaw = { ...latest.current.raw };
    if (parsed.kind === "bad") nextRaw[path] = text;
    else delete nextRaw[path];
    latest.current = { ...latest.current, raw: nextRaw };
    setRaw(nextRaw);
    if (parsed.kind === "ok") apply(parsed.iso);
    else if (parsed.kind === "empty") apply(null);
    else touch();
  };
  const setIdentity = (pseudonym: string, next: Identity) => {
    const ids = { ...latest.current.identities, [pseudonym]: next };
    latest.current = { ...latest.current, identities: ids };
    dirty.current.add(pseudonym);
    setIdentities(ids);
    touch();
  };
  const setNoteText = (text: string) => {
    latest.current = { ...latest.current, note: text };
    setNote(text);
    autosave.drafted();
  };
  const addNote = async () => {
    if (!id || !note.trim()) return;
    try {
      await api.addNote(id, note);
      const v = await api.getCase(id);
      setNotes(v.case.notes);
      setNoteText("");
      onSaved(id);
    } catch (e) {
      setMessage(asIpcError(e).message);
    }
  };
  const create = async () => {
    if (localErrors().length > 0) {
      setState("invalid");
      return;
    }
    setState("saving");
    try {
      const s = await api.createCase(caseInput(latest.current.form, latest.current.identities, latest.current.note));
      await autosave.discardDraft();
      setState("saved");
      onClose(s.id);
    } catch (e) {
      const err = asIpcError(e);
      setIssues(err.issues);
      setMessage(err.message);
      setState("invalid");
    }
  };
  const discardRecovered = async () => {
    await autosave.discardDraft().catch(() => undefined);
    const fresh = view ? formOf(view.case) : emptyForm(ownCountry);
    const freshIds = Object.fromEntries((view?.identities ?? []).map((i) => [i.pseudonym, structuredClone(i.identity)]));
    latest.current = { form: fresh, raw: {}, identities: freshIds, note: "" };
    dirty.current.clear();
    setForm(fresh);
    setRaw({});
    setIdentities(freshIds);
    setNote("");
    setRecovered(null);
    setState("idle");
  };

  // Messages for a field: server issues at that path and dates that are not dates.
  const msgs = (path: string) => {
    const out: { text: string; error: boolean }[] = [];
    for (const i of issues) if (i.path === path) out.push({ text: t(i.code, Object.fromEntries([...i.args, ["path", caseFieldLabel(t, path.split(/[.[]/)[0])]])), error: i.severity === "error" });
    const r = raw[path];
    if (r !== undefined) {
      const p = parseDate(r);
      if (p.kind === "bad") out.push({ text: t(p.key, p.args), error: true });
    }
    return out;
  };
  const ctx: Ctx = { t, lang, raw, msgs, setRawDate, form, set, latest };

  const errorsCount = issues.filter((i) => i.severity === "error").length + Object.values(raw).filter((r) => parseDate(r).kind === "bad").length;
  const child = childCase(form);
  const owner = view?.case.owner.country ?? ownCountry;

  return (
    <EditCtx.Provider value={ctx}>
    <article class="case-editor" id="case-editor" aria-label={t(id ? "ui-case-edit" : "ui-case-new")}>
      <header class="editor-head sticky">
        <div>
          <p class="case-ref">{view?.case.reference ?? t("ui-case-new")}</p>
          <h2 id="editor-title">{form.title || t("ui-case-untitled")}</h2>
        </div>
        <div class="editor-actions">
          <SaveStatus
            t={t}
            id="case-save-state"
            state={state}
            invalid={<span class="bad">{t("ui-case-not-saved", { count: Math.max(1, errorsCount) })}</span>}
            failed={<span class="bad">{t("ui-case-save-failed")}</span>}
          />
          {!id && (
            <button type="button" id="case-create" onClick={() => void create()}>
              {t("ui-case-create")}
            </button>
          )}
          <button type="button" class="outline" id="editor-close" onClick={() => onClose(id ?? undefined)}>
            {id ? t("ui-case-done") : t("ui-cancel")}
          </button>
        </div>
      </header>
      {recovered && (
        <div class="recovered" role="status" id="draft-recovered">
          {t("ui-case-recovered", { when: shortTime(recovered) })}
          <button type="button" class="link" id="draft-discard" onClick={() => void discardRecovered()}>
            {t("ui-case-discard-recovered")}
          </button>
        </div>
      )}
      {message && (state === "invalid" || state === "error") && (
        <div class="form-error" role="alert" id="case-error">
          {message}
          {(state === "invalid" || errorsCount > 0) && <div class="small">{t("ui-case-kept-draft")}</div>}
        </div>
      )}

      <Group id="g-general" title={t("ui-case-general")}>
        <Field label={<>{t("field-title")} *</>}>
          <input id="f-title" value={form.title} maxLength={100000} aria-invalid={msgs("title").some((m) => m.error)} onInput={(e) => set("title", e.currentTarget.value)} />
          <Msgs path="title" />
        </Field>
        <Field label={t("field-summary")}>
          <textarea id="f-summary" rows={4} value={form.summary} dir="auto" onInput={(e) => set("summary", e.currentTarget.value)} />
          <span class="muted small">{t("ui-case-chars", { count: [...form.summary].length, max: 20000 })}</span>
          <Msgs path="summary" />
        </Field>
        <div class="three">
          <Select id="f-classification" label={t("field-classification")} value={form.classification} values={CLASSIFICATIONS} prefix="classification" onPick={(v) => v && set("classification", v)} />
          <Select id="f-status" label={t("field-status")} value={form.status} values={STATUSES} prefix="status" onPick={(v) => v && set("status", v)} />
          <DateInput path="opened" label={t("field-opened")} value={form.opened} onSet={(v) => v && set("opened", v)} />
        </div>
        {view && (
          <details class="class-history" id="classification-history" open>
            <summary>{t("ui-case-classification-history")}</summary>
            <ol class="plain">
              {view.case.classification_history.map((h, n) => (
                <li key={n}>
                  <span class="muted">{shortTime(h.at)}</span> · {h.by} · <strong>{t(labelKey("classification", h.classification))}</strong>
                </li>
              ))}
            </ol>
          </details>
        )}
        <div class="two">
          <Select
            id="f-audience"
            label={t("field-audience")}
            value={form.audience.scope}
            values={AUDIENCE_SCOPES}
            prefix="audience"
            onPick={(v) => v && set("audience", { scope: v, countries: v === "bilateral" ? latest.current.form.audience.countries : [] })}
          />
          {form.audience.scope === "bilateral" && (
            <fieldset class="countries" id="f-audience-countries">
              <legend>{t("ui-case-bilateral-with")}</legend>
              {PARTICIPATING.filter((c) => c !== owner).map((c) => (
                <label class="check" key={c}>
                  <input
                    type="checkbox"
                    checked={(form.audience.countries ?? []).includes(c)}
                    onChange={() => set("audience", { ...latest.current.form.audience, countries: toggle(latest.current.form.audience.countries ?? [], c) })}
                  />
                  {countryName(lang, c)}
                </label>
              ))}
              <Msgs path="audience.countries" />
            </fieldset>
          )}
        </div>
        <p class="help">{t(`ui-case-audience-help-${form.audience.scope}`, { country: countryName(lang, owner) })}</p>
      </Group>

      <Group id="g-elements" title={t("ui-case-elements")} help={t("ui-case-elements-help")}>
        <div class="element-grid">
          <Choices k="acts" all={ACTS} prefix="act" title={t("field-acts")} help={t("help-acts")} />
          <Choices k="means" all={MEANS} prefix="means" title={t("field-means")} help={t(child ? "help-means-child" : "help-means")} />
          <Choices k="purposes" all={PURPOSES} prefix="purpose" title={t("field-purposes")} help={t("help-purposes")} />
        </div>
        <label class="check">
          <input id="f-child" type="checkbox" checked={form.child_involved} onChange={(e) => set("child_involved", e.currentTarget.checked)} />
          {t("field-child")}
        </label>
        {child && <p class="help child-rule" id="child-rule">{t("help-child-rule")}</p>}
      </Group>

      <Group id="g-route" title={t("field-route")} help={t("ui-case-route-help")}>
        {form.route.length > 0 && <RouteStrip stops={form.route} t={t} lang={lang} />}
        {form.route.map((s, i) => (
          <div class="row-edit" key={i} role="group" aria-label={`${t("ui-case-stop")} ${i + 1}`}>
            <span class="row-num">{i + 1}</span>
            <Country id={`f-route-${i}-country`} label={t("field-country")} value={s.country} onPick={(v) => v && setItem("route", i, { country: v })} />
            <Field label={t("ui-case-place")}>
              <input id={`f-route-${i}-place`} value={s.place} onInput={(e) => setItem("route", i, { place: e.currentTarget.value })} />
              <Msgs path={`route[${i}].place`} />
            </Field>
            <Select id={`f-route-${i}-role`} label={t("ui-filter-role")} value={s.role} values={ROUTE_ROLES} prefix="route-role" onPick={(v) => v && setItem("route", i, { role: v })} />
            <DateInput path={`route[${i}].from`} label={t("ui-case-from")} value={s.from} onSet={(v) => setItem("route", i, { from: v })} />
            <DateInput path={`route[${i}].to`} label={t("ui-case-to")} value={s.to} onSet={(v) => setItem("route", i, { to: v })} />
            <div class="row-actions">
              <button type="button" class="link" aria-label={t("ui-case-move-up")} title={t("ui-case-move-up")} disabled={i === 0} onClick={() => moveStop(i, -1)}>
                ↑
              </button>
              <button type="button" class="link" aria-label={t("ui-case-move-down")} title={t("ui-case-move-down")} disabled={i === form.route.length - 1} onClick={() => moveStop(i, 1)}>
                ↓
              </button>
              <Remove what={`${t("ui-case-stop")} ${i + 1}`} onClick={() => removeItem("route", i)} />
            </div>
          </div>
        ))}
        <button type="button" class="outline small-btn" id="add-stop" onClick={() => set("route", [...latest.current.form.route, { country: ownCountry, place: "", role: "transit" }])}>
          + {t("ui-case-add-stop")}
        </button>
      </Group>

      <Group id="g-persons" title={t("field-persons")} help={t("ui-case-persons-help")}>
        {form.persons.map((p, i) => {
          const ident = identities[p.pseudonym];
          return (
            <div class="person-edit" key={p.pseudonym + i} role="group" aria-label={p.pseudonym}>
              <div class="row-edit">
                <Field class="block narrow" label={t("ui-case-pseudonym")}>
                  <input id={`f-persons-${i}-pseudonym`} value={p.pseudonym} readOnly={!!p.person_ref || !!ident} onInput={(e) => setItem("persons", i, { pseudonym: e.currentTarget.value })} />
                  <Msgs path={`persons[${i}].pseudonym`} />
                </Field>
                <Select id={`f-persons-${i}-role`} label={t("ui-case-person-role")} value={p.role} values={PERSON_ROLES} prefix="person-role" onPick={(v) => v && setItem("persons", i, { role: v })} />
                <Select id={`f-persons-${i}-gender`} label={t("ui-case-gender")} value={p.gender} values={GENDERS} prefix="gender" onPick={(v) => v && setItem("persons", i, { gender: v })} />
                <Select id={`f-persons-${i}-age`} label={t("ui-case-age")} value={p.age_band} values={AGE_BANDS} prefix="age" empty={t("gender-unknown")} onPick={(v) => setItem("persons", i, { age_band: v })} />
                <Field label={t("ui-case-minor")}>
                  <select
                    id={`f-persons-${i}-minor`}
                    value={p.minor_at_exploitation === undefined || p.minor_at_exploitation === null ? "" : String(p.minor_at_exploitation)}
                    onChange={(e) => setItem("persons", i, { minor_at_exploitation: e.currentTarget.value === "" ? undefined : e.currentTarget.value === "true" })}
                  >
                    <option value="">{t("gender-unknown")}</option>
                    <option value="true">{t("yes")}</option>
                    <option value="false">{t("no")}</option>
                  </select>
                  <Msgs path={`persons[${i}].minor_at_exploitation`} />
                </Field>
                <Country id={`f-persons-${i}-nationality`} label={t("ui-case-nationality")} value={p.nationality} empty={t("gender-unknown")} onPick={(v) => setItem("persons", i, { nationality: v })} />
                <div class="row-actions">
                  <Remove what={p.pseudonym} onClick={() => removeItem("persons", i)} />
                </div>
              </div>
              {owner === ownCountry && (
                <details class="identity-edit" open={hasName(ident)}>
                  <summary>
                    <Lock /> {t("ui-case-identity")} — {t("ui-national-only", { country: countryName(lang, owner) })}
                  </summary>
                  <IdentityForm t={t} lang={lang} prefix={`f-persons-${i}-id`} value={ident ?? emptyIdentity()} onChange={(v) => setIdentity(p.pseudonym, v)} msgs={msgs} />
                </details>
              )}
            </div>
          );
        })}
        <div class="add-row">
          {PERSON_ROLES.map((r) => (
            <button
              key={r}
              type="button"
              class="outline small-btn"
              id={`add-person-${r}`}
              onClick={() => set("persons", [...latest.current.form.persons, { pseudonym: nextPseudonym(latest.current.form.persons, r), role: r, gender: "unknown" }])}
            >
              + {t(labelKey("person-role", r))}
            </button>
          ))}
        </div>
      </Group>

      <Group id="g-indicators" title={t("field-indicators")} help={t("ui-case-indicators-help")}>
        {form.indicators.map((x, i) => (
          <div class="row-edit" key={i}>
            <Select id={`f-indicators-${i}-kind`} label={t("ui-case-kind")} value={x.kind} values={INDICATOR_KINDS} prefix="indicator" onPick={(v) => v && setItem("indicators", i, { kind: v })} />
            <Field class="block grow" label={t("ui-case-description")}>
              <input id={`f-indicators-${i}-description`} value={x.description} dir="auto" onInput={(e) => setItem("indicators", i, { description: e.currentTarget.value })} />
              <Msgs path={`indicators[${i}].description`} />
            </Field>
            <DateInput path={`indicators[${i}].date`} label={t("field-when")} value={x.date} onSet={(v) => setItem("indicators", i, { date: v })} />
            <Field label={t("ui-case-source")}>
              <input value={x.source} onInput={(e) => setItem("indicators", i, { source: e.currentTarget.value })} />
            </Field>
            <div class="row-actions">
              <Remove what={`${t("field-indicators")} ${i + 1}`} onClick={() => removeItem("indicators", i)} />
            </div>
          </div>
        ))}
        <button type="button" class="outline small-btn" id="add-indicator" onClick={() => set("indicators", [...latest.current.form.indicators, { kind: "advertising", description: "", source: "" }])}>
          + {t("ui-case-add-indicator")}
        </button>
      </Group>

      <Group id="g-information" title={t("field-information")} help={t("ui-case-information-help")}>
        {form.information.map((x, i) => (
          <div class="info-edit" key={i}>
            <Field label={t("ui-case-info-text")}>
              <textarea id={`f-information-${i}-text`} rows={2} value={x.text} dir="auto" onInput={(e) => setItem("information", i, { text: e.currentTarget.value })} />
              <Msgs path={`information[${i}].text`} />
            </Field>
            <div class="row-edit">
              <Field label={t("ui-case-source-agency")}>
                <input value={x.source_agency} onInput={(e) => setItem("information", i, { source_agency: e.currentTarget.value })} />
              </Field>
              <Select id={`f-information-${i}-reliability`} label={t("ui-case-reliability")} value={x.reliability} values={RELIABILITIES} prefix="reliability" onPick={(v) => v && setItem("information", i, { reliability: v })} />
              <Select id={`f-information-${i}-credibility`} label={t("ui-case-credibility")} value={x.credibility} values={CREDIBILITIES} prefix="credibility" onPick={(v) => v && setItem("information", i, { credibility: v })} />
              <Select id={`f-information-${i}-handling`} label={t("ui-case-handling")} value={x.handling} values={HANDLING_CODES} prefix="handling" onPick={(v) => v && setItem("information", i, { handling: v })} />
              {x.handling === "H3" && (
                <Field label={t("ui-case-handling-note")}>
                  <input id={`f-information-${i}-handling-note`} value={x.handling_note ?? ""} onInput={(e) => setItem("information", i, { handling_note: e.currentTarget.value })} />
                  <Msgs path={`information[${i}].handling_note`} />
                </Field>
              )}
              <Field label={t("ui-case-originator")}>
                <input value={x.originator} onInput={(e) => setItem("information", i, { originator: e.currentTarget.value })} />
              </Field>
              <DateInput path={`information[${i}].date`} label={t("field-when")} value={x.date} onSet={(v) => setItem("information", i, { date: v })} />
              <div class="row-actions">
                <Remove what={`${t("field-information")} ${i + 1}`} onClick={() => removeItem("information", i)} />
              </div>
            </div>
          </div>
        ))}
        <button
          type="button"
          class="outline small-btn"
          id="add-information"
          onClick={() => set("information", [...latest.current.form.information, { text: "", source_agency: "", reliability: "F", credibility: "6", handling: "H0", originator: "" }])}
        >
          + {t("ui-case-add-information")}
        </button>
      </Group>

      <Group id="g-links" title={t("ui-case-cross-border")}>
        <h4>{t("field-links")}</h4>
        {form.links.map((x, i) => (
          <div class="row-edit" key={i}>
            <Field label={t("field-reference")}>
              <input id={`f-links-${i}-reference`} class="mono" placeholder="HN-2026-0007" value={x.reference} onInput={(e) => setItem("links", i, { reference: e.currentTarget.value.toUpperCase() })} />
              <Msgs path={`links[${i}].reference`} />
            </Field>
            <Select id={`f-links-${i}-relation`} label={t("ui-case-relation")} value={x.relation} values={LINK_RELATIONS} prefix="link" onPick={(v) => v && setItem("links", i, { relation: v })} />
            <Field class="block grow" label={t("ui-case-note")}>
              <input value={x.note ?? ""} onInput={(e) => setItem("links", i, { note: e.currentTarget.value || undefined })} />
            </Field>
            <div class="row-actions">
              <Remove what={x.reference} onClick={() => removeItem("links", i)} />
            </div>
          </div>
        ))}
        <button type="button" class="outline small-btn" id="add-link" onClick={() => set("links", [...latest.current.form.links, { reference: "", relation: "same_network" }])}>
          + {t("ui-case-add-link")}
        </button>
        <h4>{t("field-requests")}</h4>
        {form.requests.map((x, i) => (
          <div class="row-edit" key={i}>
            <Select id={`f-requests-${i}-kind`} label={t("ui-case-kind")} value={x.kind} values={REQUEST_KINDS} prefix="request-kind" onPick={(v) => v && setItem("requests", i, { kind: v })} />
            <Country id={`f-requests-${i}-from`} label={t("ui-case-from-country")} value={x.from} onPick={(v) => v && setItem("requests", i, { from: v })} />
            <label class="block">
              <Country id={`f-requests-${i}-to`} label={t("ui-case-to-country")} value={x.to} onPick={(v) => v && setItem("requests", i, { to: v })} />
              <Msgs path={`requests[${i}].to`} />
            </label>
            <Field class="block grow" label={t("ui-case-subject")}>
              <input value={x.subject} onInput={(e) => setItem("requests", i, { subject: e.currentTarget.value })} />
            </Field>
            <Select id={`f-requests-${i}-status`} label={t("field-status")} value={x.status} values={REQUEST_STATUSES} prefix="request-status" onPick={(v) => v && setItem("requests", i, { status: v })} />
            <DateInput path={`requests[${i}].sent`} label={t("ui-case-sent")} value={x.sent} onSet={(v) => setItem("requests", i, { sent: v })} />
            <DateInput path={`requests[${i}].answered`} label={t("ui-case-answered")} value={x.answered} onSet={(v) => setItem("requests", i, { answered: v })} />
            <div class="row-actions">
              <Remove what={`${t("field-requests")} ${i + 1}`} onClick={() => removeItem("requests", i)} />
            </div>
          </div>
        ))}
        <button
          type="button"
          class="outline small-btn"
          id="add-request"
          onClick={() => set("requests", [...latest.current.form.requests, { kind: "mutual_legal_assistance", from: owner, to: owner === "MX" ? "GT" : "MX", subject: "", status: "draft" }])}
        >
          + {t("ui-case-add-request")}
        </button>
        <h4>{t("field-operations")}</h4>
        {form.joint_operations.map((x, i) => (
          <div class="row-edit" key={i}>
            <fieldset class="countries">
              <legend>{t("field-countries")}</legend>
              {PARTICIPATING.map((c) => (
                <label class="check" key={c}>
                  <input type="checkbox" checked={x.countries.includes(c)} onChange={() => setItem("joint_operations", i, { countries: toggle(latest.current.form.joint_operations[i].countries, c) })} />
                  {c}
                </label>
              ))}
              <Msgs path={`joint_operations[${i}].countries`} />
            </fieldset>
            <Field label={t("ui-case-lead-agency")}>
              <input value={x.lead_agency} onInput={(e) => setItem("joint_operations", i, { lead_agency: e.currentTarget.value })} />
            </Field>
            <Select id={`f-operations-${i}-status`} label={t("field-status")} value={x.status} values={OPERATION_STATUSES} prefix="operation-status" onPick={(v) => v && setItem("joint_operations", i, { status: v })} />
            <DateInput path={`joint_operations[${i}].from`} label={t("ui-case-from")} value={x.from} onSet={(v) => setItem("joint_operations", i, { from: v })} />
            <DateInput path={`joint_operations[${i}].to`} label={t("ui-case-to")} value={x.to} onSet={(v) => setItem("joint_operations", i, { to: v })} />
            <div class="row-actions">
              <Remove what={`${t("field-operations")} ${i + 1}`} onClick={() => removeItem("joint_operations", i)} />
            </div>
          </div>
        ))}
        <button
          type="button"
          class="outline small-btn"
          id="add-operation"
          onClick={() => set("joint_operations", [...latest.current.form.joint_operations, { countries: [owner], lead_agency: "", status: "planned" }])}
        >
          + {t("ui-case-add-operation")}
        </button>
      </Group>

      <Group id="g-standard" title={t("field-standard")} help={t("ui-case-standard-help")}>
        <fieldset class="countries">
          <legend>{t("ui-case-means-of-control")}</legend>
          {MEANS_OF_CONTROL.map((m) => (
            <label class="check" key={m}>
              <input
                type="checkbox"
                checked={(form.standard.means_of_control ?? []).includes(m)}
                onChange={() => set("standard", { ...latest.current.form.standard, means_of_control: toggle(latest.current.form.standard.means_of_control ?? [], m) })}
              />
              {t(labelKey("control", m))}
            </label>
          ))}
        </fieldset>
        <div class="three">
          <Select id="f-labour" label={t("ui-case-labour-sector")} value={form.standard.labour_sector} values={LABOUR_SECTORS} prefix="labour" empty="—" onPick={(v) => set("standard", { ...latest.current.form.standard, labour_sector: v })} />
          <Select id="f-recruiter" label={t("ui-case-recruiter")} value={form.standard.recruiter_relation} values={RECRUITER_RELATIONS} prefix="recruiter" empty="—" onPick={(v) => set("standard", { ...latest.current.form.standard, recruiter_relation: v })} />
          <Select id="f-datasource" label={t("ui-case-data-source")} value={form.standard.data_source} values={DATA_SOURCES} prefix="datasource" empty="—" onPick={(v) => set("standard", { ...latest.current.form.standard, data_source: v })} />
        </div>
      </Group>

      <Group id="g-notes" title={t("field-notes")} help={t("ui-case-notes-help")}>
        <ul class="plain notes">
          {notes.map((n, k) => (
            <li key={k}>
              <span class="muted">
                {shortTime(n.at)} · {n.author}
              </span>
              <div dir="auto">{n.text}</div>
            </li>
          ))}
        </ul>
        <Field label={t("ui-case-new-note")}>
          <textarea id="f-note" rows={3} dir="auto" value={note} onInput={(e) => setNoteText(e.currentTarget.value)} />
        </Field>
        {id && (
          <button type="button" class="outline small-btn" id="add-note" disabled={!note.trim()} onClick={() => void addNote()}>
            {t("ui-case-add-note")}
          </button>
        )}
      </Group>
    </article>
    </EditCtx.Provider>
  );
}

function IdentityForm({
  t,
  lang,
  prefix,
  value,
  onChange,
  msgs,
}: {
  t: T;
  lang: Lang;
  prefix: string;
  value: Identity;
  onChange: (v: Identity) => void;
  msgs: (path: string) => { text: string; error: boolean }[];
}) {
  const [dob, setDob] = useState(showDate(value.date_of_birth));
  const docs = value.documents ?? [];
  const parsedDob = parseDate(dob);
  const set = <K extends keyof Identity>(k: K, v: Identity[K]) => onChange({ ...value, [k]: v });
  const err = (path: string) =>
    msgs(path).map((m, n) => (
      <span key={n} class={m.error ? "field-error" : "field-warning"}>
        {m.text}
      </span>
    ));
  return (
    <div class="identity-form">
      <div class="three">
        <Field label={t("ui-case-given-names")}>
          <input id={`${prefix}-given`} value={value.given_names} autoComplete="off" onInput={(e) => set("given_names", e.currentTarget.value)} />
          {err("identity.given_names")}
        </Field>
        <Field label={t("ui-case-first-surname")}>
          <input id={`${prefix}-first`} value={value.first_surname} autoComplete="off" onInput={(e) => set("first_surname", e.currentTarget.value)} />
          {err("identity.first_surname")}
        </Field>
        <Field label={t("ui-case-second-surname")}>
          <input id={`${prefix}-second`} value={value.second_surname ?? ""} autoComplete="off" onInput={(e) => set("second_surname", e.currentTarget.value || undefined)} />
        </Field>
      </div>
      <div class="three">
        <Field label={t("ui-case-aliases")}>
          <input
            id={`${prefix}-aliases`}
            value={(value.aliases ?? []).join(", ")}
            onInput={(e) =>
              set(
                "aliases",
                e.currentTarget.value
                  .split(",")
                  .map((s) => s.trim())
                  .filter(Boolean),
              )
            }
          />
        </Field>
        <Field label={t("ui-case-birth")}>
          <input
            id={`${prefix}-dob`}
            inputMode="numeric"
            placeholder={t("ui-date-placeholder")}
            value={dob}
            onInput={(e) => {
              const text = e.currentTarget.value;
              setDob(text);
              const p = parseDate(text);
              if (p.kind === "ok") set("date_of_birth", p.iso);
              else if (p.kind === "empty") set("date_of_birth", undefined);
            }}
          />
          {parsedDob.kind === "bad" && <span class="field-error">{t(parsedDob.key, parsedDob.args)}</span>}
          {err("identity.date_of_birth")}
        </Field>
        <Field label={t("ui-case-contact")}>
          <input value={value.contact ?? ""} onInput={(e) => set("contact", e.currentTarget.value || undefined)} />
        </Field>
      </div>
      <Field label={t("ui-case-address")}>
        <input value={value.address ?? ""} onInput={(e) => set("address", e.currentTarget.value || undefined)} />
      </Field>
      {docs.map((d, i) => (
        <div class="row-edit" key={i}>
          <VocabSelect t={t} label={t("ui-case-document")} value={d.kind} values={ID_DOCUMENT_KINDS} prefix="id-document" onPick={(v) => v && set("documents", docs.map((x, j) => (j === i ? { ...x, kind: v } : x)))} />
          <Field label={t("ui-case-number")}>
            <input value={d.number} onInput={(e) => set("documents", docs.map((x, j) => (j === i ? { ...x, number: e.currentTarget.value } : x)))} />
          </Field>
          <CountrySelect lang={lang} label={t("ui-case-issuing-country")} value={d.issuing_country} empty="—" onPick={(v) => set("documents", docs.map((x, j) => (j === i ? { ...x, issuing_country: v } : x)))} />
          <button type="button" class="link danger" onClick={() => set("documents", docs.filter((_, j) => j !== i))}>
            {t("ui-legal-remove")}
          </button>
        </div>
      ))}
      <button type="button" class="outline small-btn" onClick={() => set("documents", [...docs, { kind: "passport", number: "" }])}>
        + {t("ui-case-add-document")}
      </button>
      <div class="row-edit">
        <label class="check">
          <input type="checkbox" checked={value.consent.given} onChange={(e) => set("consent", { ...value.consent, given: e.currentTarget.checked })} />
          {t("ui-case-consent")}
        </label>
        {value.consent.given && (
          <Field class="block grow" label={t("ui-case-consent-scope")}>
            <input value={value.consent.scope ?? ""} onInput={(e) => set("consent", { ...value.consent, scope: e.currentTarget.value || undefined })} />
          </Field>
        )}
      </div>
    </div>
  );
}
