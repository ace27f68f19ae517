// A country's progress as a stacked bar, said in words too.
import type { AssessmentStatus } from "../bindings/AssessmentStatus";
import type { Tally } from "../bindings/Tally";
import { labelKey, type T } from "../i18n";
import { total } from "./catalogue";

/** A stacked bar: compliant, partially, not compliant, not assessed. */
export function TallyBar({ t, tally }: { t: T; tally: Tally }) {
  const n = Math.max(1, total(tally));
  const parts: [AssessmentStatus, number][] = [
    ["compliant", tally.compliant],
    ["partially_compliant", tally.partially_compliant],
    ["not_compliant", tally.not_compliant],
    ["not_assessed", tally.not_assessed],
  ];
  const label = parts.map(([s, v]) => `${t(labelKey("assessment", s))}: ${v}`).join(" · ");
  return (
    <span class="tally-bar" role="img" aria-label={label} title={label}>
      {parts.map(([s, v]) => (v > 0 ? <span key={s} class={`st-${s}`} style={{ width: `${(100 * v) / n}%` }} /> : null))}
    </span>
  );
}
