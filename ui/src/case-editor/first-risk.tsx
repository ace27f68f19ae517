// A victim's first risk assessment, offered with a new case: its level,
// who assessed it, the threats and the measures. It is recorded (as a
// first assessment) once the case is saved, under the pseudonym the victim
// was saved with; the assessment day is today and the review follows the
// level.
import type { RiskInput } from "../bindings/RiskInput";
import type { RiskLevel } from "../bindings/RiskLevel";
import { Field } from "../controls";
import { RISK_LEVELS, THREATS, riskLevelLabel, sortedThreats, threatLabel } from "../risk-fields";
import { useCtx } from "./fields";
import { toggle, type FirstRisk } from "./form";

export const emptyFirstRisk = (): FirstRisk => ({ level: "", assessor: "", threats: [], measures_taken: "", measures_needed: "" });

/** Something was typed or chosen: it is to be recorded. */
export function begun(r?: FirstRisk | null): r is FirstRisk {
  return !!r && (r.level !== "" || r.assessor.trim() !== "" || r.threats.length > 0 || r.measures_taken.trim() !== "" || r.measures_needed.trim() !== "");
}

/** It can be recorded: a level and who assessed it. */
export function complete(r: FirstRisk): boolean {
  return r.level !== "" && r.assessor.trim() !== "";
}

/** The first assessment of `pseudonym` as the core takes it (today, the review by level). */
export function firstRiskInput(pseudonym: string, r: FirstRisk): RiskInput {
  if (r.level === "") throw new Error("a first risk assessment without a level");
  return {
    pseudonym,
    assessor: r.assessor.trim(),
    level: r.level,
    threats: sortedThreats(r.threats),
    measures_taken: r.measures_taken.trim(),
    measures_needed: r.measures_needed.trim(),
    next_review: null,
  };
}

/**
 * The block under a victim of a new case. `missing`: creating was refused
 * because a begun assessment lacks its level or assessor (said under them).
 */
export function FirstRiskBlock({ i, value, missing, onChange }: { i: number; value?: FirstRisk; missing: boolean; onChange: (next: FirstRisk | null) => void }) {
  const { t } = useCtx();
  const r = value ?? emptyFirstRisk();
  const set = (patch: Partial<FirstRisk>) => {
    const next = { ...r, ...patch };
    onChange(begun(next) ? next : null);
  };
  const id = `f-persons-${i}-risk`;
  return (
    <details class="risk-first-edit" id={id} data-testid={`new-risk-${i}`} open={begun(value)}>
      <summary id={`${id}-toggle`}>{t("ui-risk-first-title")}</summary>
      <p class="help">{t("ui-risk-first-help")}</p>
      <div class="row-edit">
        <Field label={t("ui-risk-level")}>
          <select id={`${id}-level`} value={r.level} aria-invalid={missing && r.level === ""} onChange={(e) => set({ level: e.currentTarget.value as RiskLevel | "" })}>
            <option value="">{t("ui-risk-level-choose")}</option>
            {RISK_LEVELS.map((l) => (
              <option key={l} value={l}>
                {riskLevelLabel(t, l)}
              </option>
            ))}
          </select>
          {missing && r.level === "" && (
            <span class="field-error" role="alert" data-path={`${id}-level`}>
              {t("ui-risk-level-missing")}
            </span>
          )}
        </Field>
        <Field class="block grow" label={t("ui-risk-assessor")}>
          <input id={`${id}-assessor`} value={r.assessor} aria-invalid={missing && !r.assessor.trim()} onInput={(e) => set({ assessor: e.currentTarget.value })} />
          {missing && !r.assessor.trim() && (
            <span class="field-error" role="alert" data-path={`${id}-assessor`}>
              {t("val-text-required", { path: t("ui-risk-assessor") })}
            </span>
          )}
        </Field>
      </div>
      <fieldset class="countries" id={`${id}-threats`}>
        <legend>{t("ui-risk-threats")}</legend>
        {THREATS.map((f) => (
          <label class="check" key={f}>
            <input type="checkbox" value={f} checked={r.threats.includes(f)} onChange={() => set({ threats: toggle(r.threats, f) })} />
            {threatLabel(t, f)}
          </label>
        ))}
      </fieldset>
      <div class="two">
        <Field label={t("field-measures-taken")}>
          <textarea id={`${id}-measures-taken`} dir="auto" rows={2} value={r.measures_taken} onInput={(e) => set({ measures_taken: e.currentTarget.value })} />
        </Field>
        <Field label={t("field-measures-needed")}>
          <textarea id={`${id}-measures-needed`} dir="auto" rows={2} value={r.measures_needed} onInput={(e) => set({ measures_needed: e.currentTarget.value })} />
        </Field>
      </div>
      {begun(value) && (
        <button type="button" class="link danger" id={`${id}-clear`} onClick={() => onChange(null)}>
          {t("ui-risk-first-clear")}
        </button>
      )}
    </details>
  );
}
