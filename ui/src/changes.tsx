// A document's history as people read it: when, who, what kind of change,
// and for each field its old value → its new value.
import type { ItemChange } from "./bindings/ItemChange";
import type { T } from "./i18n";
import { shortTime } from "./format";

/** A stored value in words: empty things as a dash, lists by their length. */
export function plainValue(t: T, v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return t(v ? "yes" : "no");
  if (Array.isArray(v)) {
    if (v.length === 0) return "—";
    if (v.every((x) => typeof x === "string")) return v.join(", ");
    return t("ui-changes-items", { n: v.length });
  }
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.es === "string") return o.es || String(o.en ?? "—");
    if (Object.keys(o).length === 0) return "—";
    const text = JSON.stringify(v);
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  }
  return String(v);
}

export function ChangeList({
  t,
  id,
  changes,
  label,
  show,
  hide,
}: {
  t: T;
  id: string;
  changes: ItemChange[];
  /** The field's name in the user's language. */
  label: (field: string) => string;
  /** A value in words (enumerations labelled); defaults to plainValue. */
  show?: (field: string, v: unknown) => string;
  /** Fields not worth showing (internal, or repeated by another field). */
  hide?: (field: string) => boolean;
}) {
  const words = show ?? ((_: string, v: unknown) => plainValue(t, v));
  if (changes.length === 0) return <p class="muted">{t("cli-history-empty")}</p>;
  return (
    <ol class="plain change-list" id={id}>
      {changes.map((h) => (
        <li key={h.hash}>
          <div class="small">
            <strong>{shortTime(h.time)}</strong> · {h.by} · {t(`ui-legal-action-${h.action}`)}
          </div>
          <ul class="plain changes">
            {h.changes
              .filter((c) => !hide?.(c.field) && words(c.field, c.before) !== words(c.field, c.after))
              .map((c) => (
              <li key={c.field} class="small">
                <span class="field">{label(c.field)}</span>: <del>{words(c.field, c.before)}</del> → <ins>{words(c.field, c.after)}</ins>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
