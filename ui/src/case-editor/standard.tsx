// The regional data standard's extra fields: means of control, labour sector, recruiter, data source.
import { DATA_SOURCES, LABOUR_SECTORS, MEANS_OF_CONTROL, RECRUITER_RELATIONS } from "../bindings/vocabulary";
import { labelKey } from "../i18n";
import { Group, Select, useCtx } from "./fields";
import { toggle } from "./form";

export function StandardGroup() {
  const { t, form, set, latest } = useCtx();
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
    </Group>
  );
}
