// The case editor's own controls, bound to the case being edited through a
// context: a field's messages, dates typed day first, choices in the
// editor's language, groups, and the Art. 3 checkboxes.
import { createContext } from "preact";
import type { ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import type { Lang } from "../bindings/Lang";
import { CountrySelect, Field, VocabSelect } from "../controls";
import { showDate } from "../format";
import { labelKey, type T } from "../i18n";
import { toggle, type CaseForm, type FormKey } from "./form";

/** The lists of a case edited row by row. */
export type ListKey = "route" | "persons" | "indicators" | "information" | "links" | "requests" | "joint_operations";

/** What the editor's sections read and change: the form, its dates as typed, and their messages. */
export type Ctx = {
  t: T;
  lang: Lang;
  raw: Record<string, string>;
  msgs: (path: string) => { text: string; error: boolean }[];
  setRawDate: (path: string, text: string, apply: (iso: string | null) => void) => void;
  form: CaseForm;
  set: <K extends FormKey>(k: K, v: CaseForm[K]) => void;
  setItem: <K extends ListKey>(k: K, i: number, patch: Partial<CaseForm[K][number]>) => void;
  removeItem: (k: ListKey, i: number) => void;
  latest: { current: { form: CaseForm } };
  /** The country that owns the case, and this node's. */
  owner: string;
  ownCountry: string;
};
export const EditCtx = createContext<Ctx | null>(null);
export function useCtx(): Ctx {
  const c = useContext(EditCtx);
  if (!c) throw new Error("editor controls outside the editor");
  return c;
}

/** The messages of one field (errors are announced). */
export function Msgs({ path }: { path: string }) {
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
export function DateInput({ path, label, value, onSet }: { path: string; label: string; value?: string | null; onSet: (iso: string | null) => void }) {
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

/** A choice over a vocabulary, in the editor's language (with the messages at `path`, when given). */
export function Select<V extends string>({ path, ...props }: { id: string; label: string; value?: V | null; values: readonly V[]; prefix: string; onPick: (v: V | undefined) => void; empty?: string; path?: string }) {
  return (
    <VocabSelect t={useCtx().t} {...props}>
      {path && <Msgs path={path} />}
    </VocabSelect>
  );
}

/** A choice of a country, named in the editor's language. */
export function Country(props: { id: string; label: string; value?: string | null; onPick: (v: string | undefined) => void; empty?: string }) {
  return <CountrySelect lang={useCtx().lang} {...props} />;
}

export function Remove({ onClick, what }: { onClick: () => void; what: string }) {
  const { t } = useCtx();
  return (
    <button type="button" class="link danger" onClick={onClick} aria-label={`${t("ui-legal-remove")}: ${what}`}>
      {t("ui-legal-remove")}
    </button>
  );
}

export function Group({ id: gid, title, help, children }: { id: string; title: string; help?: string; children: ComponentChildren }) {
  return (
    <fieldset class="edit-group" id={gid}>
      <legend>{title}</legend>
      {help && <p class="help">{help}</p>}
      {children}
    </fieldset>
  );
}


/** One Art. 3 element: its explanation and its choices. */
export function Choices<V extends string>({
  k,
  all,
  prefix,
  help,
  title,
  children,
}: {
  k: "acts" | "means" | "purposes";
  all: readonly V[];
  prefix: string;
  help: string;
  title: string;
  /** What the choices made call for, under them. */
  children?: ComponentChildren;
}) {
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
      {children}
    </fieldset>
  );
}
