// Small form controls shared by the screens.
import type { T } from "./app";
import { labelKey } from "./i18n";

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
