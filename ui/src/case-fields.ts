// A case's fields and values in words, for its history and its conflicts
// (the case view and the editor).
import type { PerpetratorRole } from "./bindings/PerpetratorRole";
import type { SexualExploitationType } from "./bindings/SexualExploitationType";
import type { TraffickingStatus } from "./bindings/TraffickingStatus";
import { plainValue } from "./changes";
import { countryName, hasKey, labelKey, type T } from "./i18n";

// The standards' vocabularies of a case that bindings/vocabulary.ts does not
// list, in the order offered; a value added in Rust (bindings/*.ts) fails the
// typecheck here until it is listed.
const EVERY_SEXUAL_EXPLOITATION: Record<SexualExploitationType, true> = {
  prostitution: true,
  pornography: true,
  remote_interactive_services: true,
  private_sexual_services: true,
};
const EVERY_TRAFFICKING_STATUS: Record<TraffickingStatus, true> = { possible: true, actual: true, not_a_victim: true };
const EVERY_PERPETRATOR_ROLE: Record<PerpetratorRole, true> = {
  recruiter: true,
  transporter: true,
  harbourer: true,
  exploiter: true,
  smuggler: true,
  facilitator: true,
  financier: true,
  other: true,
};
/** The types of sexual exploitation (labels `sex-exploitation-*`). */
export const SEXUAL_EXPLOITATION_TYPES = Object.keys(EVERY_SEXUAL_EXPLOITATION) as SexualExploitationType[];
/** HTCDS trafficking status (labels `trafficking-status-*`). */
export const TRAFFICKING_STATUSES = Object.keys(EVERY_TRAFFICKING_STATUS) as TraffickingStatus[];
/** A suspect's roles in the process (labels `perpetrator-role-*`). */
export const PERPETRATOR_ROLES = Object.keys(EVERY_PERPETRATOR_ROLE) as PerpetratorRole[];

/** Internal fields, and histories that repeat the status and classification changes. */
export const HIDDEN_IN_HISTORY = new Set(["id", "owner", "demo", "classification_history", "status_history"]);

/** Fields of the case document whose label key differs from `field-<name>`. */
const FIELD_KEYS: Record<string, string> = {
  classification_history: "field-classification",
  status_history: "field-status",
  child_involved: "field-child",
  joint_operations: "field-operations",
};

export function caseFieldLabel(t: T, field: string): string {
  const key = FIELD_KEYS[field] ?? `field-${field}`;
  return hasKey("es", key) ? t(key) : field;
}

/** A case value in words: enumerations labelled, lists of them joined. */
export function caseValue(t: T, lang: string, field: string, v: unknown): string {
  const enumOf: Record<string, string> = { status: "status", classification: "classification", acts: "act", means: "means", purposes: "purpose" };
  const prefix = enumOf[field];
  if (prefix && typeof v === "string") return t(labelKey(prefix, v));
  if (prefix && Array.isArray(v)) return v.length ? v.map((x) => t(labelKey(prefix, String(x)))).join(", ") : "—";
  if (field === "audience" && v && typeof v === "object") {
    const a = v as { scope?: string; countries?: string[] };
    const with_ = (a.countries ?? []).map((c) => countryName(lang as "es" | "en", c)).join(", ");
    return t(labelKey("audience", String(a.scope ?? ""))) + (with_ ? ` (${with_})` : "");
  }
  if (field === "persons" && Array.isArray(v))
    return v.length ? v.map((p) => String((p as { pseudonym?: string }).pseudonym ?? "?")).join(", ") : "—";
  if (field === "route" && Array.isArray(v))
    return v.length ? v.map((s) => countryName(lang as "es" | "en", String((s as { country?: string }).country ?? ""))).join(" → ") : "—";
  return plainValue(t, v);
}
