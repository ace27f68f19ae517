// Form controls shared by the screens and their editors.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Lang } from "./bindings/Lang";
import { OBSERVERS, PARTICIPATING } from "./bindings/vocabulary";
import type { SaveState } from "./autosave";
import { countryName, labelKey, type T } from "./i18n";

/** Every country a case or a document can name: the participating ones, then the observers. */
export const COUNTRIES = [...PARTICIPATING, ...OBSERVERS];

/** A labelled field: the label's words above what is typed or chosen (and its messages). */
export function Field({ label, class: cls = "block", children }: { label: ComponentChildren; class?: string; children: ComponentChildren }) {
  return (
    <label class={cls}>
      <span>{label}</span>
      {children}
    </label>
  );
}

/** A labelled choice over a closed vocabulary, each value in words; `empty` offers "none". */
export function VocabSelect<V extends string>({
  t,
  id,
  label,
  value,
  values,
  prefix,
  onPick,
  empty,
  children,
}: {
  t: T;
  id?: string;
  label: string;
  value?: V | null;
  values: readonly V[];
  prefix: string;
  onPick: (v: V | undefined) => void;
  empty?: string;
  /** Shown under the choice (its messages). */
  children?: ComponentChildren;
}) {
  return (
    <Field label={label}>
      <select id={id} value={value ?? ""} onChange={(e) => onPick((e.currentTarget.value || undefined) as V | undefined)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {values.map((v) => (
          <option key={v} value={v}>
            {t(labelKey(prefix, v))}
          </option>
        ))}
      </select>
      {children}
    </Field>
  );
}

/** A labelled choice of a country, by its name in the user's language; `empty` offers "none". */
export function CountrySelect({
  lang,
  id,
  label,
  value,
  onPick,
  empty,
}: {
  lang: Lang;
  id?: string;
  label: string;
  value?: string | null;
  onPick: (v: string | undefined) => void;
  empty?: string;
}) {
  return (
    <Field label={label}>
      <select id={id} value={value ?? ""} onChange={(e) => onPick(e.currentTarget.value || undefined)}>
        {empty !== undefined && <option value="">{empty}</option>}
        {COUNTRIES.map((c) => (
          <option key={c} value={c}>
            {countryName(lang, c)}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** An editor's save-state line; what an invalid or a failed save says is the editor's. */
export function SaveStatus({ t, id, state, invalid, failed }: { t: T; id: string; state: SaveState; invalid?: ComponentChildren; failed?: ComponentChildren }) {
  return (
    <p class="save-state" id={id} role="status" aria-live="polite">
      {state === "pending" && t("ui-legal-unsaved")}
      {state === "saving" && t("ui-legal-saving")}
      {state === "saved" && <span class="ok">✓ {t("ui-saved-local")}</span>}
      {state === "invalid" && invalid}
      {state === "error" && failed}
    </p>
  );
}

/** A filter over a closed vocabulary: "all" or one value, labelled. */
export function EnumFilter({
  t,
  id,
  label,
  value,
  values,
  prefix,
  onPick,
}: {
  t: T;
  id: string;
  label: string;
  value?: string | null;
  values: readonly string[];
  prefix: string;
  onPick: (v: string) => void;
}) {
  return (
    <label>
      <span>{label}</span>
      <select id={id} value={value ?? ""} onChange={(e) => onPick(e.currentTarget.value)}>
        <option value="">{t("ui-filter-all")}</option>
        {values.map((v) => (
          <option value={v} key={v}>
            {t(labelKey(prefix, v))}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A padlock, drawn (no emoji font is needed). */
export function Lock() {
  return (
    <svg class="lock" width="12" height="14" viewBox="0 0 12 14" aria-hidden="true">
      <rect x="1" y="6" width="10" height="7.5" rx="1.5" fill="currentColor" />
      <path d="M3.2 6V4.2a2.8 2.8 0 0 1 5.6 0V6" fill="none" stroke="currentColor" stroke-width="1.6" />
    </svg>
  );
}

/**
 * Values nodes gave one field apart, the one shown first: each with a
 * button to choose it (when this node may), recorded as a change.
 */
export function ConflictBox({
  t,
  id,
  label,
  values,
  show,
  onChoose,
}: {
  t: T;
  id?: string;
  label: string;
  values: unknown[];
  show: (v: unknown) => ComponentChildren;
  onChoose?: (v: unknown) => void;
}) {
  return (
    <section class="conflict-box" id={id} role="group" aria-label={t("ui-conflict")}>
      <p>
        <strong>{t("ui-legal-conflict-title", { field: label })}</strong>
      </p>
      <p class="small muted">{t("ui-legal-conflict-hint")}</p>
      <ul class="plain">
        {values.map((v, i) => (
          <li key={i} class="conflict-value">
            <span>{show(v)}</span>
            {i === 0 && <span class="badge">{t("ui-legal-shown")}</span>}
            {onChoose && (
              <button type="button" class="small-btn" onClick={() => onChoose(v)}>
                {t("ui-legal-choose")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * A modal dialog over the screen: its title, what it asks; Escape or a
 * click on the backdrop closes it, and the first field takes the focus.
 */
/** A dialog's error (if any) and its two buttons: cancel, and the action
 * (a form's submit, or `onClick` for a dialog without a form). */
export function DialogFooter({
  t,
  error,
  errorId,
  actionId,
  label,
  busy,
  danger,
  onClick,
  onClose,
}: {
  t: (key: string) => string;
  error: string | null;
  errorId?: string;
  actionId: string;
  label: string;
  busy: boolean;
  danger?: boolean;
  onClick?: () => void;
  onClose: () => void;
}) {
  return (
    <>
      {error && (
        <p class="form-error" role="alert" id={errorId}>
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="outline" onClick={onClose}>
          {t("ui-cancel")}
        </button>
        <button type={onClick ? "button" : "submit"} class={danger ? "danger" : undefined} id={actionId} disabled={busy} onClick={onClick}>
          {label}
        </button>
      </div>
    </>
  );
}

export function Dialog({ id, title, onClose, children }: { id: string; title: string; onClose: () => void; children: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = box.current?.querySelector<HTMLElement>("input, select, textarea, button");
    first?.focus();
  }, []);
  return (
    <div
      class="modal-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="card modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} id={id} ref={box}>
        <h3 id={`${id}-title`}>{title}</h3>
        {children}
      </div>
    </div>
  );
}
