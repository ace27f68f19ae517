// A case as the editor holds it: the fields it changes, a new case's
// defaults, the patch autosave sends, the draft's shape, and the small rules
// the form applies (pseudonyms, child cases, identities).
import type { Case } from "../bindings/Case";
import type { CasePerson } from "../bindings/CasePerson";
import type { Identity } from "../bindings/Identity";
import type { PersonRole } from "../bindings/PersonRole";
import type { RiskLevel } from "../bindings/RiskLevel";
import type { ThreatFactor } from "../bindings/ThreatFactor";

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
export type FormKey = (typeof EDITABLE)[number];
export type CaseForm = Pick<Case, FormKey>;

/** A victim's first risk assessment as a new case's form holds it (kept in the draft, by pseudonym). */
export type FirstRisk = {
  level: RiskLevel | "";
  assessor: string;
  threats: ThreatFactor[];
  measures_taken: string;
  measures_needed: string;
};

/** What the draft of a form holds: the form, dates as typed, identities, the note being written. */
export type DraftBody = {
  form: CaseForm;
  raw: Record<string, string>;
  identities: Record<string, Identity>;
  dirty: string[];
  note: string;
  /** What the edits were made on: the case's form and heads then (absent in drafts of older versions). */
  base?: CaseForm;
  heads?: string[] | null;
  /** A new case's victims' first risk assessments, by pseudonym (absent in drafts of older versions). */
  risks?: Record<string, FirstRisk>;
};

export function formOf(c: Case): CaseForm {
  const f = {} as Record<FormKey, unknown>;
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

/**
 * The top-level fields that differ (a JSON merge patch: arrays replace,
 * objects merge, so a value emptied inside an object — the standard's
 * trafficking status set back to none — is sent as null, which removes it).
 */
export function casePatch(base: CaseForm, form: CaseForm): Partial<CaseForm> {
  const patch: Record<string, unknown> = {};
  for (const k of EDITABLE) if (JSON.stringify(base[k]) !== JSON.stringify(form[k])) patch[k] = cleared(base[k], form[k]);
  return patch as Partial<CaseForm>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `next` with null for each key `base` had that `next` no longer has (in nested objects too). */
function cleared(base: unknown, next: unknown): unknown {
  if (!isObject(base) || !isObject(next)) return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) if (v !== undefined) out[k] = cleared(base[k], v);
  for (const [k, v] of Object.entries(base)) if (v !== undefined && v !== null && next[k] === undefined) out[k] = null;
  return out;
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

export function hasName(i?: Identity): i is Identity {
  return !!i && (i.given_names.trim() !== "" || i.first_surname.trim() !== "");
}

export const emptyIdentity = (): Identity => ({ given_names: "", first_surname: "", aliases: [], documents: [], consent: { given: false } });

/** A list with `v` added, or without it when it was there (a checkbox). */
export const toggle = <V extends string>(list: V[], v: V) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
