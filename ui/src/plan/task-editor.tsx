// One task: every field, its dependencies and history; an existing task is
// autosaved, a new one created.
import { useRef, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { ItemChange } from "../bindings/ItemChange";
import type { IpcError } from "../bindings/IpcError";
import type { Lang } from "../bindings/Lang";
import type { PlanTask } from "../bindings/PlanTask";
import type { Sector } from "../bindings/Sector";
import type { TaskRow } from "../bindings/TaskRow";
import { COMPONENTS, SECTORS, TASK_KINDS, TASK_STATUSES } from "../bindings/vocabulary";
import { ConflictBox, Field, SaveStatus, VocabSelect } from "../controls";
import { ChangeList, plainValue } from "../changes";
import { useAutosave } from "../autosave";
import { countryName, labelKey, type T } from "../i18n";
import { roleLabel, useCan, useSession } from "../session";
import { type Draft, emptyInput, scopeName, taskPatch, titleOf } from "./model";

export function TaskEditor({
  t,
  lang,
  row,
  all,
  ownCountry,
  outputs,
  onClose,
  onSaved,
}: {
  t: T;
  lang: Lang;
  row: TaskRow | null;
  all: TaskRow[];
  ownCountry: string;
  outputs: string[];
  onClose: () => void;
  onSaved: (id?: string) => void;
}) {
  const creating = row === null;
  // Its country's nodes change a task, and only officials whose role may.
  const session = useSession();
  const mayEdit = useCan("edit_tasks");
  const editable = (creating || row.editable) && mayEdit;
  const [draft, setDraft] = useState<Draft>(row ? { ...row.task, id: row.task.id } : emptyInput(ownCountry));
  const [error, setError] = useState<IpcError | null>(null);
  const [history, setHistory] = useState<ItemChange[] | null>(null);
  const latest = useRef(draft);
  // The heads the task was read at (then its last save's): a save is made
  // on the task as read and merged with what sync brought since.
  const baseHeads = useRef<string[] | null>(row ? row.heads : null);

  // An existing task is saved a moment after the last edit, and on closing;
  // a new one when created.
  const autosave = useAutosave({
    save: row
      ? () =>
          api.updateTask(row.task.id, taskPatch({ ...row.task, ...latest.current } as PlanTask), baseHeads.current).then((r) => {
            baseHeads.current = r.heads;
            return r;
          })
      : null,
    onSaved: () => {
      setError(null);
      onSaved();
    },
    onError: (e) => setError(asIpcError(e)),
  });
  const setSave = autosave.setState;

  const change = (next: Draft) => {
    latest.current = next;
    setDraft(next);
    if (!creating) autosave.edited();
  };
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => change({ ...latest.current, [k]: v });
  const create = () => {
    setSave("saving");
    const { id: _id, ...input } = latest.current;
    api
      .createTask({ ...input, start: input.start || null })
      .then((s) => {
        setSave("saved");
        setError(null);
        onSaved(s.id);
      })
      .catch((e) => {
        setSave("error");
        setError(asIpcError(e));
      });
  };
  // Values nodes gave a field apart: shown until a person chooses one.
  const choose = (field: string, value: unknown) =>
    row &&
    api
      .chooseTaskValue(row.task.id, field, value)
      .then(() => onSaved())
      .catch((e) => setError(asIpcError(e)));
  const fieldLabel = (f: string) =>
    t(({ status: "report-plan-col-status", progress: "report-plan-col-progress", start: "ui-plan-start", due: "report-plan-col-due", responsible: "report-plan-col-responsible" } as Record<string, string>)[f] ?? f);
  const shown = (f: string, v: unknown) => (f === "status" && typeof v === "string" ? t(labelKey("task-status", v)) : f === "progress" ? `${String(v)} %` : plainValue(t, v));
  const candidates = all.filter((r) => r.task.id !== draft.id && !draft.depends_on.includes(r.task.id));
  const participants = (s: Sector) => draft.participants.find((p) => p.sector === s)?.count ?? 0;
  const setParticipants = (s: Sector, n: number) =>
    set(
      "participants",
      // Each sector keeps its row (and its id), so edits made apart meet.
      SECTORS.map((x) => ({ ...latest.current.participants.find((p) => p.sector === x), sector: x, count: x === s ? n : participants(x) })).filter((p) => p.count > 0),
    );

  return (
    <aside class="item-editor task-editor" id="task-editor" aria-label={t("ui-plan-editor")}>
      <header class="editor-head">
        <div>
          <h3>{creating ? t("ui-plan-new") : `${draft.code} ${titleOf(draft as PlanTask, lang)}`}</h3>
          <p class="muted small">
            {scopeName(lang, t, draft.country)} · {t(labelKey("task-kind", draft.kind ?? "task"))}
          </p>
        </div>
        <button type="button" class="link" id="task-close" onClick={onClose}>
          {t("ui-close")}
        </button>
      </header>
      <SaveStatus t={t} id="task-save-state" state={autosave.state} />
      {!mayEdit && session && <p class="muted small" id="task-role-read-only">{t("ui-role-read-only", { role: roleLabel(t, session.role) })}</p>}
      {mayEdit && !editable && row?.task.country && <p class="muted small">{t("ui-legal-read-only-hint", { country: countryName(lang, row.task.country) })}</p>}
      {mayEdit && !editable && !row?.task.country && <p class="muted small">{t("ui-plan-read-only-regional", { country: countryName(lang, row?.task.owner.country ?? "") })}</p>}
      {error && (
        <div class="form-error" role="alert" id="task-error">
          {error.message}
        </div>
      )}
      {row?.conflicts.map((c) => (
        <ConflictBox
          key={c.field}
          t={t}
          id={`task-conflict-${c.field}`}
          label={fieldLabel(c.field)}
          values={c.values}
          show={(v) => shown(c.field, v)}
          onChoose={editable ? (v) => choose(c.field, v) : undefined}
        />
      ))}
      <fieldset disabled={!editable} class="plain-fieldset">
        <div class="two">
          <Field label={t("ui-plan-code")}>
            <input id="task-code" value={draft.code} onInput={(e) => set("code", e.currentTarget.value)} />
          </Field>
          <Field label={t("ui-plan-scope")}>
            <select id="task-scope" disabled={!creating} value={draft.country ?? ""} onChange={(e) => set("country", e.currentTarget.value || undefined)}>
              <option value="">{t("ui-plan-regional")}</option>
              <option value={ownCountry}>{countryName(lang, ownCountry)}</option>
              {draft.country && draft.country !== ownCountry && <option value={draft.country}>{countryName(lang, draft.country)}</option>}
            </select>
          </Field>
        </div>
        <Field label={t("ui-plan-title-es")}>
          <input id="task-title-es" value={draft.title.es} onInput={(e) => set("title", { ...latest.current.title, es: e.currentTarget.value })} />
        </Field>
        <Field label={t("ui-plan-title-en")}>
          <input id="task-title-en" value={draft.title.en} onInput={(e) => set("title", { ...latest.current.title, en: e.currentTarget.value })} />
        </Field>
        <div class="two">
          <VocabSelect t={t} id="task-component" label={t("ui-plan-component")} value={draft.component} values={COMPONENTS} prefix="component" onPick={(v) => v && set("component", v)} />
          <Field label={t("ui-plan-output")}>
            <input id="task-output" list="plan-outputs" value={draft.output} onInput={(e) => set("output", e.currentTarget.value)} />
            <datalist id="plan-outputs">
              {outputs.map((o) => (
                <option key={o} value={o} />
              ))}
            </datalist>
          </Field>
        </div>
        <div class="two">
          <Field label={t("ui-plan-agency")}>
            <input id="task-agency" value={draft.agency} onInput={(e) => set("agency", e.currentTarget.value)} />
          </Field>
          <Field label={t("report-plan-col-responsible")}>
            <input id="task-responsible" value={draft.responsible} onInput={(e) => set("responsible", e.currentTarget.value)} />
          </Field>
        </div>
        <div class="three">
          <Field label={t("ui-plan-start")}>
            <input id="task-start" type="date" value={draft.start ?? ""} onInput={(e) => set("start", e.currentTarget.value || null)} />
          </Field>
          <Field label={t("report-plan-col-due")}>
            <input id="task-due" type="date" value={draft.due} onInput={(e) => set("due", e.currentTarget.value)} />
          </Field>
          <VocabSelect t={t} id="task-kind" label={t("ui-plan-kind")} value={draft.kind ?? "task"} values={TASK_KINDS} prefix="task-kind" onPick={(v) => v && set("kind", v)} />
        </div>
        <div class="two">
          <VocabSelect t={t} id="task-status" label={t("report-plan-col-status")} value={draft.status ?? "not_started"} values={TASK_STATUSES} prefix="task-status" onPick={(v) => v && set("status", v)} />
          <Field
            label={
              <>
                {t("report-plan-col-progress")} ({draft.progress} %)
              </>
            }
          >
            <input
              id="task-progress"
              type="range"
              min={0}
              max={100}
              step={5}
              value={draft.progress}
              onInput={(e) => set("progress", Number(e.currentTarget.value))}
            />
          </Field>
        </div>
        {draft.kind === "workshop" && (
          <fieldset>
            <legend>{t("ui-plan-participants")}</legend>
            <div class="sectors">
              {SECTORS.map((s) => (
                <label key={s} class="block">
                  <span>{t(labelKey("sector", s))}</span>
                  <input
                    type="number"
                    min={0}
                    value={participants(s)}
                    onInput={(e) => setParticipants(s, Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)))}
                  />
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <fieldset>
          <legend>{t("ui-plan-indicators")}</legend>
          {draft.indicators.map((ind, i) => (
            <div class="provision" key={i}>
              <label>
                <span>{t("ui-plan-indicator")}</span>
                <input
                  value={ind.label}
                  onInput={(e) => set("indicators", latest.current.indicators.map((x, j) => (j === i ? { ...x, label: e.currentTarget.value } : x)))}
                />
              </label>
              <label>
                <span>{t("ui-plan-target")}</span>
                <input
                  inputMode="decimal"
                  value={ind.target}
                  onInput={(e) => set("indicators", latest.current.indicators.map((x, j) => (j === i ? { ...x, target: Number(e.currentTarget.value) || 0 } : x)))}
                />
              </label>
              <label class="year">
                <span>{t("ui-plan-actual")}</span>
                <input
                  inputMode="decimal"
                  value={ind.actual}
                  onInput={(e) => set("indicators", latest.current.indicators.map((x, j) => (j === i ? { ...x, actual: Number(e.currentTarget.value) || 0 } : x)))}
                />
              </label>
              <button type="button" class="link" onClick={() => set("indicators", latest.current.indicators.filter((_, j) => j !== i))}>
                {t("ui-legal-remove")}
              </button>
            </div>
          ))}
          <button type="button" class="outline small-btn" onClick={() => set("indicators", [...latest.current.indicators, { label: "", target: 0, actual: 0 }])}>
            + {t("ui-plan-add-indicator")}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t("ui-plan-depends")}</legend>
          <ul class="plain">
            {draft.depends_on.map((d) => {
              const dep = all.find((r) => r.task.id === d)?.task;
              return (
                <li key={d} class="dep-item">
                  <span>{dep ? `${dep.code} ${titleOf(dep, lang)}` : d}</span>
                  <button type="button" class="link" onClick={() => set("depends_on", latest.current.depends_on.filter((x) => x !== d))}>
                    {t("ui-legal-remove")}
                  </button>
                </li>
              );
            })}
          </ul>
          <select
            id="task-add-dependency"
            value=""
            aria-label={t("ui-plan-add-dependency")}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v) set("depends_on", [...latest.current.depends_on, v]);
            }}
          >
            <option value="">+ {t("ui-plan-add-dependency")}</option>
            {candidates.map((r) => (
              <option key={r.task.id} value={r.task.id}>
                {`${r.task.code} ${titleOf(r.task, lang)}`.slice(0, 80)}
              </option>
            ))}
          </select>
        </fieldset>
        <Field label={t("report-plan-col-notes")}>
          <textarea id="task-notes" rows={3} value={draft.notes} onInput={(e) => set("notes", e.currentTarget.value)} />
        </Field>
      </fieldset>
      <div class="editor-actions">
        {creating ? (
          <button type="button" id="task-create" onClick={create}>
            {t("ui-plan-create")}
          </button>
        ) : (
          <button
            type="button"
            class="outline small-btn"
            id="task-history-button"
            onClick={() =>
              api
                .taskChanges(row.task.id)
                .then(setHistory)
                .catch((e) => setError(asIpcError(e)))
            }
          >
            {t("ui-history")}
          </button>
        )}
      </div>
      {history && (
        <section class="item-history" id="task-history">
          <h4>{t("ui-history")}</h4>
          <ChangeList
            t={t}
            id="task-changes"
            changes={history}
            label={(f) => t(`ui-plan-field-${f}`)}
            show={(f, v) => {
              if (typeof v === "string" && f === "status") return t(labelKey("task-status", v));
              if (typeof v === "string" && f === "component") return t(labelKey("component", v));
              if (typeof v === "string" && f === "kind") return t(labelKey("task-kind", v));
              if (f === "depends_on" && Array.isArray(v))
                return v.map((d) => all.find((r) => r.task.id === d)?.task.code || String(d)).join(", ") || "—";
              return plainValue(t, v);
            }}
          />
        </section>
      )}
    </aside>
  );
}
