// Small form controls shared by the screens.
import { labelKey, type T } from "./i18n";

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
