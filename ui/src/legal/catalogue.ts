// The checklist catalogue and its items as the screens use them: filters,
// status letters, counts, an item's defaults and the patch autosave sends.
import type { ItemPatch } from "../api";
import type { AssessmentItem } from "../bindings/AssessmentItem";
import type { AssessmentStatus } from "../bindings/AssessmentStatus";
import type { Instrument } from "../bindings/Instrument";
import type { Provision } from "../bindings/Provision";
import type { Tally } from "../bindings/Tally";
import { CATALOGUE, type ChecklistEntry } from "../bindings/vocabulary";
import type { T } from "../i18n";

/** The filters shared by the checklist and the matrix. */
export interface ItemFilter {
  instrument: Instrument | "";
  mandatory: boolean;
}

export function filterCatalogue(f: ItemFilter): ChecklistEntry[] {
  return CATALOGUE.filter(
    (c) => (!f.instrument || c.instrument === f.instrument) && (!f.mandatory || c.obligation !== "optional"),
  );
}

/** The letter printed in a status cell (C/P/N/–), so it reads without colour. */
export function statusLetter(t: T, s: AssessmentStatus): string {
  return t(`report-letter-${s}`);
}

export const assessed = (t: Tally) => t.compliant + t.partially_compliant + t.not_compliant;

export const total = (t: Tally) => assessed(t) + t.not_assessed;

export function emptyItem(): AssessmentItem {
  return { status: "not_assessed", provisions: [], gap: "", proposal: "", evidence: [], assessor: "", updated_by: "" };
}

/** The fields a user edits (the patch sent on autosave). */
export function patchOf(d: AssessmentItem): ItemPatch {
  return {
    status: d.status,
    provisions: d.provisions.map((p) => (p.year === undefined || p.year === null ? { law: p.law, article: p.article } : p)),
    gap: d.gap,
    proposal: d.proposal,
    evidence: d.evidence,
    assessor: d.assessor,
    assessed_on: d.assessed_on || null,
  };
}

export function provisionText(p: Provision): string {
  return [p.law, p.article, p.year ? `(${p.year})` : ""].filter(Boolean).join(", ");
}
