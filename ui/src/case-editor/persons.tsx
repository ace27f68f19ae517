// The persons of a case (pseudonymous), each with its identity where this country holds it,
// a suspect's roles in the process, and (in a new case) a victim's first risk assessment.
import { AGE_BANDS, GENDERS, PERSON_ROLES } from "../bindings/vocabulary";
import type { Identity } from "../bindings/Identity";
import { Lock } from "../controls";
import { IdentityForm } from "./identity-form";
import { emptyIdentity, hasName, nextPseudonym, toggle, type FirstRisk } from "./form";
import { PERPETRATOR_ROLES } from "../case-fields";
import { countryName, labelKey } from "../i18n";
import { Field } from "../controls";
import { Country, Group, Msgs, Remove, Select, useCtx } from "./fields";
import { FirstRiskBlock } from "./first-risk";
import { useCan } from "../session";

export function PersonsGroup({
  identities,
  setIdentity,
  risks,
  setRisk,
  riskMissing = false,
}: {
  identities: Record<string, Identity>;
  setIdentity: (pseudonym: string, next: Identity) => void;
  /** A new case's victims' first risk assessments, by pseudonym (absent: none is offered). */
  risks?: Record<string, FirstRisk>;
  setRisk?: (pseudonym: string, next: FirstRisk | null) => void;
  /** Creating was refused: a begun assessment lacks its level or assessor. */
  riskMissing?: boolean;
}) {
  const { t, lang, form, set, setItem, removeItem, latest, msgs, owner, ownCountry } = useCtx();
  // Identities are entered only by roles that may see them (the core
  // refuses them from the others).
  const seesIdentities = useCan("see_identities");
  return (
    <Group id="g-persons" title={t("field-persons")} help={t("ui-case-persons-help")}>
      {form.persons.map((p, i) => {
        const ident = identities[p.pseudonym];
        return (
          <div class="person-edit" key={p.pseudonym + i} role="group" aria-label={p.pseudonym}>
            <div class="row-edit">
              <Field class="block narrow" label={t("ui-case-pseudonym")}>
                <input id={`f-persons-${i}-pseudonym`} value={p.pseudonym} readOnly={!!p.person_ref || !!ident || !!risks?.[p.pseudonym]} onInput={(e) => setItem("persons", i, { pseudonym: e.currentTarget.value })} />
                <Msgs path={`persons[${i}].pseudonym`} />
              </Field>
              <Select id={`f-persons-${i}-role`} label={t("ui-case-person-role")} value={p.role} values={PERSON_ROLES} prefix="person-role" onPick={(v) => v && setItem("persons", i, v === "suspect" ? { role: v } : { role: v, process_roles: undefined })} />
              <Select id={`f-persons-${i}-gender`} label={t("ui-case-gender")} value={p.gender} values={GENDERS} prefix="gender" onPick={(v) => v && setItem("persons", i, { gender: v })} />
              <Select id={`f-persons-${i}-age`} label={t("ui-case-age")} value={p.age_band} values={AGE_BANDS} prefix="age" empty={t("gender-unknown")} onPick={(v) => setItem("persons", i, { age_band: v })} />
              <Field label={t("ui-case-minor")}>
                <select
                  id={`f-persons-${i}-minor`}
                  value={p.minor_at_exploitation === undefined || p.minor_at_exploitation === null ? "" : String(p.minor_at_exploitation)}
                  onChange={(e) => setItem("persons", i, { minor_at_exploitation: e.currentTarget.value === "" ? undefined : e.currentTarget.value === "true" })}
                >
                  <option value="">{t("gender-unknown")}</option>
                  <option value="true">{t("yes")}</option>
                  <option value="false">{t("no")}</option>
                </select>
                <Msgs path={`persons[${i}].minor_at_exploitation`} />
              </Field>
              <Country id={`f-persons-${i}-nationality`} label={t("ui-case-nationality")} value={p.nationality} empty={t("gender-unknown")} onPick={(v) => setItem("persons", i, { nationality: v })} />
              <div class="row-actions">
                <Remove what={p.pseudonym} onClick={() => removeItem("persons", i)} />
              </div>
            </div>
            {(p.role === "suspect" || (p.process_roles ?? []).length > 0) && (
              <fieldset class="countries" id={`f-persons-${i}-process-roles`}>
                <legend>{t("ui-case-process-roles")}</legend>
                {PERPETRATOR_ROLES.map((r) => (
                  <label class="check" key={r}>
                    <input
                      type="checkbox"
                      checked={(p.process_roles ?? []).includes(r)}
                      onChange={() => setItem("persons", i, { process_roles: toggle(latest.current.form.persons[i]?.process_roles ?? [], r) })}
                    />
                    {t(labelKey("perpetrator-role", r))}
                  </label>
                ))}
                <Msgs path={`persons[${i}].process_roles`} />
              </fieldset>
            )}
            {owner === ownCountry && seesIdentities && (
              <details class="identity-edit" open={hasName(ident)}>
                <summary>
                  <Lock /> {t("ui-case-identity")} — {t("ui-national-only", { country: countryName(lang, owner) })}
                </summary>
                <IdentityForm t={t} lang={lang} prefix={`f-persons-${i}-id`} value={ident ?? emptyIdentity()} onChange={(v) => setIdentity(p.pseudonym, v)} msgs={msgs} />
              </details>
            )}
            {p.role === "victim" && risks && setRisk && (
              <FirstRiskBlock i={i} value={risks[p.pseudonym]} missing={riskMissing} onChange={(next) => setRisk(p.pseudonym, next)} />
            )}
          </div>
        );
      })}
      <div class="add-row">
        {PERSON_ROLES.map((r) => (
          <button
            key={r}
            type="button"
            class="outline small-btn"
            id={`add-person-${r}`}
            onClick={() => set("persons", [...latest.current.form.persons, { pseudonym: nextPseudonym(latest.current.form.persons, r), role: r, gender: "unknown" }])}
          >
            + {t(labelKey("person-role", r))}
          </button>
        ))}
      </div>
    </Group>
  );
}
