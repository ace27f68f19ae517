// The regional data standard's extra fields: means of control, labour sector, recruiter, data source;
// the HTCDS trafficking status and who decided it; in a smuggling case, the elements that make it one.
import { DATA_SOURCES, LABOUR_SECTORS, MEANS_OF_CONTROL, RECRUITER_RELATIONS } from "../bindings/vocabulary";
import type { SmugglingElements } from "../bindings/SmugglingElements";
import { Field } from "../controls";
import { TRAFFICKING_STATUSES } from "../case-fields";
import { labelKey } from "../i18n";
import { Group, Msgs, Select, useCtx } from "./fields";
import { toggle } from "./form";

export function StandardGroup() {
  const { t, form, set, latest, msgs } = useCtx();
  const setStandard = (patch: Partial<typeof form.standard>) => set("standard", { ...latest.current.form.standard, ...patch });
  const smuggling = form.classification === "smuggling" || form.classification === "both";
  const elements: SmugglingElements = form.standard.smuggling ?? { material_benefit: false, illegal_entry: false };
  const setElement = (k: keyof SmugglingElements, v: boolean) =>
    setStandard({ smuggling: { ...(latest.current.form.standard.smuggling ?? { material_benefit: false, illegal_entry: false }), [k]: v } });
  return (
    <Group id="g-standard" title={t("field-standard")} help={t("ui-case-standard-help")}>
      <fieldset class="countries">
        <legend>{t("ui-case-means-of-control")}</legend>
        {MEANS_OF_CONTROL.map((m) => (
          <label class="check" key={m}>
            <input
              type="checkbox"
              checked={(form.standard.means_of_control ?? []).includes(m)}
              onChange={() => set("standard", { ...latest.current.form.standard, means_of_control: toggle(latest.current.form.standard.means_of_control ?? [], m) })}
            />
            {t(labelKey("control", m))}
          </label>
        ))}
      </fieldset>
      <div class="three">
        <Select id="f-labour" label={t("ui-case-labour-sector")} value={form.standard.labour_sector} values={LABOUR_SECTORS} prefix="labour" empty="—" onPick={(v) => set("standard", { ...latest.current.form.standard, labour_sector: v })} />
        <Select id="f-recruiter" label={t("ui-case-recruiter")} value={form.standard.recruiter_relation} values={RECRUITER_RELATIONS} prefix="recruiter" empty="—" onPick={(v) => set("standard", { ...latest.current.form.standard, recruiter_relation: v })} />
        <Select id="f-datasource" label={t("ui-case-data-source")} value={form.standard.data_source} values={DATA_SOURCES} prefix="datasource" empty="—" onPick={(v) => set("standard", { ...latest.current.form.standard, data_source: v })} />
      </div>
      <div class="two">
        <Select
          id="f-trafficking-status"
          label={t("ui-case-trafficking-status")}
          value={form.standard.trafficking_status}
          values={TRAFFICKING_STATUSES}
          prefix="trafficking-status"
          empty="—"
          path="standard.trafficking_status"
          onPick={(v) => setStandard({ trafficking_status: v })}
        />
        <Field label={t("ui-case-trafficking-status-by")}>
          <input
            id="f-trafficking-status-by"
            value={form.standard.trafficking_status_by ?? ""}
            aria-invalid={msgs("standard.trafficking_status_by").some((m) => m.error)}
            onInput={(e) => setStandard({ trafficking_status_by: e.currentTarget.value || undefined })}
          />
          <Msgs path="standard.trafficking_status_by" />
        </Field>
      </div>
      {smuggling && (
        <fieldset class="countries" id="f-smuggling">
          <legend>{t("ui-case-smuggling-elements")}</legend>
          <p class="help">{t("ui-case-smuggling-help")}</p>
          <label class="check">
            <input id="f-smuggling-benefit" type="checkbox" checked={elements.material_benefit} onChange={(e) => setElement("material_benefit", e.currentTarget.checked)} />
            {t("ui-case-smuggling-benefit")}
          </label>
          <label class="check">
            <input id="f-smuggling-entry" type="checkbox" checked={elements.illegal_entry} onChange={(e) => setElement("illegal_entry", e.currentTarget.checked)} />
            {t("ui-case-smuggling-entry")}
          </label>
          <Msgs path="standard.smuggling" />
        </fieldset>
      )}
    </Group>
  );
}
