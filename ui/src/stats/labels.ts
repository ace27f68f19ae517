// Names for people of the statistics fields and their values: the mirror of
// Rust `enlace_domain::stats::{field_label, value_label}`, so the screen
// and the printed report call a value the same way.
import type { Lang } from "../bindings/Lang";
import { countryName, hasKey, translate, type T } from "../i18n";

/** The fields a table can be broken down by, in the order the Rust side lists them. */
export const FIELDS = [
  "year",
  "source",
  "gender",
  "age",
  "majority",
  "citizenship",
  "exploitation_country",
  "purpose",
  "means",
  "labour",
  "recruiter",
  "status",
  "classification",
] as const;

export type Field = (typeof FIELDS)[number];

/** A victim may have several values of these (cells add up to more than the victims). */
export const MULTI_VALUED: readonly string[] = ["exploitation_country", "purpose", "means", "labour", "recruiter"];

/** The value of a record with nothing known for a field. */
export const UNKNOWN = "unknown";

/** A field's name for people (`Año`, `Sexo`, ...). */
export function fieldLabel(t: T, field: string): string {
  return t(`stats-field-${field.replace(/_/g, "-")}`);
}

/** The Fluent keys a value of `field` may be labelled by, the first that exists wins. */
function candidateKeys(field: string, v: string): string[] {
  switch (field) {
    case "gender":
      return [`gender-${v}`];
    case "purpose":
      return [`purpose-${v}`];
    case "means":
      return [`means-${v}`, `control-${v}`];
    case "labour":
      return [`labour-${v}`];
    case "recruiter":
      return [`recruiter-${v}`];
    case "source":
      return [`datasource-${v}`, `stats-source-${v}`];
    case "majority":
      return [`stats-majority-${v}`];
    case "status":
      return [`status-${v}`];
    case "classification":
      return [`classification-${v}`];
    default:
      return [];
  }
}

/**
 * A value's name for people: the vocabulary's label where there is one
 * (countries, purposes, means, ...), then `stats-<field>-<value>`, the
 * value itself for years and age bands, else the code with spaces.
 */
export function valueLabel(lang: Lang, field: string, value: string): string {
  if (value === UNKNOWN) return translate(lang, "stats-unknown");
  if (field === "year" || field === "age") return value;
  if (field === "citizenship" || field === "exploitation_country") return countryName(lang, value);
  // Values only the field's datasets use (CTDC's `forced_marriage`, `financial`, ...).
  const own = `stats-${field.replace(/_/g, "-")}-${value}`;
  const key = [...candidateKeys(field, value), own].find((k) => hasKey(lang, k));
  return key ? translate(lang, key) : value.replace(/_/g, " ");
}

/** The words of why a cell is hidden (`below_k`, `complementary`, `difference`). */
export function reasonLabel(t: T, reason: string | undefined): string {
  return t(`stats-hidden-${(reason ?? "below_k").replace(/_/g, "-")}`);
}

/** CTDC age bands in their natural order. */
const AGE_BANDS = ["0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+"];

/**
 * Sorts values of `field` as the server lists them (Rust `order_key`): years
 * and age bands in their natural order, the rest by code, `unknown` last.
 */
export function sortValues(field: string, values: string[]): string[] {
  const key = (v: string): [number, number, string] => {
    if (v === UNKNOWN) return [2, 0, ""];
    if (field === "year") return [0, /^\d+$/.test(v) ? Number(v) : Number.MAX_SAFE_INTEGER, ""];
    if (field === "age") {
      const i = AGE_BANDS.indexOf(v);
      return [0, i < 0 ? Number.MAX_SAFE_INTEGER : i, ""];
    }
    return [1, 0, v];
  };
  return [...values].sort((a, b) => {
    const [a0, a1, a2] = key(a);
    const [b0, b1, b2] = key(b);
    return a0 - b0 || a1 - b1 || (a2 < b2 ? -1 : a2 > b2 ? 1 : 0);
  });
}
