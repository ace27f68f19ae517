// The case editor: every field of a case, validated inline in the user's
// language and autosaved to this computer. What cannot be saved yet (an
// invalid or half-typed value) is kept as a draft in the encrypted store, so
// nothing typed is lost when the window closes or the app is killed. A new
// case's victims may come with their first risk assessment, recorded once
// the case is saved.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { CaseView } from "../bindings/CaseView";
import type { Identity } from "../bindings/Identity";
import type { Issue } from "../bindings/Issue";
import type { Lang } from "../bindings/Lang";
import type { CaseSaved } from "../bindings/CaseSaved";
import { CASE_SAVE_DELAY_MS, useAutosave } from "../autosave";
import { caseFieldLabel } from "../case-fields";
import { SaveStatus } from "../controls";
import { parseDate, shortTime } from "../format";
import type { T } from "../i18n";
import { useCan } from "../session";
import { CrossBorderGroup } from "./cross-border";
import { ElementsGroup } from "./elements";
import { EditCtx, type Ctx, type ListKey } from "./fields";
import { begun, complete, firstRiskInput } from "./first-risk";
import { casePatch, caseInput, emptyForm, emptyIdentity, formOf, hasName, type CaseForm, type DraftBody, type FirstRisk, type FormKey } from "./form";
import { GeneralGroup } from "./general";
import { NotesGroup } from "./notes";
import { PersonsGroup } from "./persons";
import { IndicatorsGroup, InformationGroup } from "./records";
import { RouteGroup } from "./route";
import { StandardGroup } from "./standard";

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
  /** `failed`: a new case was saved but what it says was not (its victims' first risk assessments). */
  onClose: (id?: string, failed?: string) => void;
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
  // A new case's victims' first risk assessments, by pseudonym (for roles that may see them).
  const maySeeRisk = useCan("see_risk_assessments");
  const offerRisk = !view && maySeeRisk;
  const [risks, setRisks] = useState<Record<string, FirstRisk>>({});
  const [riskMissing, setRiskMissing] = useState(false);

  // The latest of everything, for the autosave.
  const latest = useRef({ form, raw, identities, note, risks });
  const dirty = useRef(new Set<string>());
  const base = useRef<CaseForm>(view ? formOf(view.case) : emptyForm(ownCountry));
  // The heads the base was read at: a save is made on the case as it was
  // then and merged with what sync brought since (a route sent whole keeps
  // another node's new stop).
  const baseHeads = useRef<string[] | null>(view ? view.heads : null);

  const draftBody = (): DraftBody => ({ ...latest.current, dirty: [...dirty.current], base: base.current, heads: baseHeads.current });

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
      const r = await api.updateCase(id, patch, baseHeads.current);
      base.current = sent.form;
      baseHeads.current = r.heads;
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
        latest.current = { form: body.form, raw: body.raw ?? {}, identities: body.identities ?? {}, note: body.note ?? "", risks: body.risks ?? {} };
        for (const p of body.dirty ?? []) dirty.current.add(p);
        // The edits were made on the case as it was then.
        if (body.base && body.heads) {
          base.current = body.base;
          baseHeads.current = body.heads;
        }
        setForm(body.form);
        setRaw(body.raw ?? {});
        setIdentities(body.identities ?? {});
        setNote(body.note ?? "");
        setRisks(body.risks ?? {});
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
  const set = <K extends FormKey>(k: K, v: CaseForm[K]) => change({ ...latest.current.form, [k]: v });
  const setItem = <K extends ListKey>(k: K, i: number, patch: Partial<CaseForm[K][number]>) =>
    set(k, (latest.current.form[k] as CaseForm[K][number][]).map((x, j) => (j === i ? { ...x, ...patch } : x)) as CaseForm[K]);
  const removeItem = (k: ListKey, i: number) => set(k, (latest.current.form[k] as unknown[]).filter((_, j) => j !== i) as never);
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
  const setRisk = (pseudonym: string, next: FirstRisk | null) => {
    const all = { ...latest.current.risks };
    if (next) all[pseudonym] = next;
    else delete all[pseudonym];
    latest.current = { ...latest.current, risks: all };
    setRisks(all);
    autosave.drafted();
  };
  /**
   * Records the first risk assessments begun, once the case is saved: each
   * under the pseudonym its victim was saved with (the persons keep the
   * form's order). Answers what could not be recorded, in words.
   */
  const recordRisks = async (saved: CaseSaved, todo: { index: number; pseudonym: string; risk: FirstRisk }[]): Promise<string | undefined> => {
    if (todo.length === 0) return undefined;
    let names: string[] = [];
    try {
      names = (await api.getCase(saved.id)).case.persons.map((p) => p.pseudonym);
    } catch {
      // The case was created with the form's pseudonyms.
    }
    const failed: string[] = [];
    for (const { index, pseudonym, risk } of todo) {
      const as = names[index] ?? pseudonym;
      try {
        await api.riskRecord(saved.id, firstRiskInput(as, risk), false);
      } catch (e) {
        failed.push(t("ui-risk-first-failed", { reference: saved.reference, pseudonym: as, message: asIpcError(e).message }));
      }
    }
    return failed.length > 0 ? failed.join("\n") : undefined;
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
    // A risk assessment begun is recorded with the case: it needs its level and assessor first.
    const todo = offerRisk
      ? latest.current.form.persons.flatMap((p, index) => {
          const risk = latest.current.risks[p.pseudonym];
          return p.role === "victim" && begun(risk) ? [{ index, pseudonym: p.pseudonym, risk }] : [];
        })
      : [];
    if (todo.some((r) => !complete(r.risk))) {
      setRiskMissing(true);
      setMessage(t("ui-risk-first-incomplete"));
      setState("invalid");
      return;
    }
    setRiskMissing(false);
    setState("saving");
    try {
      const s = await api.createCase(caseInput(latest.current.form, latest.current.identities, latest.current.note));
      await autosave.discardDraft();
      setState("saved");
      // The case stays saved whatever happens to its risk assessments; what failed is said with it.
      onClose(s.id, await recordRisks(s, todo));
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
    base.current = structuredClone(fresh);
    baseHeads.current = view ? view.heads : null;
    const freshIds = Object.fromEntries((view?.identities ?? []).map((i) => [i.pseudonym, structuredClone(i.identity)]));
    latest.current = { form: fresh, raw: {}, identities: freshIds, note: "", risks: {} };
    dirty.current.clear();
    setForm(fresh);
    setRaw({});
    setIdentities(freshIds);
    setNote("");
    setRisks({});
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
  const owner = view?.case.owner.country ?? ownCountry;
  const ctx: Ctx = { t, lang, raw, msgs, setRawDate, form, set, setItem, removeItem, latest, owner, ownCountry };

  const errorsCount = issues.filter((i) => i.severity === "error").length + Object.values(raw).filter((r) => parseDate(r).kind === "bad").length;

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

      <GeneralGroup view={view} />

      <ElementsGroup />

      <RouteGroup />

      <PersonsGroup identities={identities} setIdentity={setIdentity} risks={offerRisk ? risks : undefined} setRisk={offerRisk ? setRisk : undefined} riskMissing={riskMissing} />

      <IndicatorsGroup />

      <InformationGroup />

      <CrossBorderGroup />

      <StandardGroup />

      <NotesGroup t={t} id={id} notes={notes} note={note} setNoteText={setNoteText} addNote={addNote} />
    </article>
    </EditCtx.Provider>
  );
}
