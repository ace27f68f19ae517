// The Protocol's Art. 3 elements (acts, means, purposes), explained, and whether a child is involved;
// under the purpose sexual exploitation, its types.
import { ACTS, MEANS, PURPOSES } from "../bindings/vocabulary";
import { SEXUAL_EXPLOITATION_TYPES } from "../case-fields";
import { labelKey } from "../i18n";
import { Choices, Group, Msgs, useCtx } from "./fields";
import { childCase, toggle } from "./form";

export function ElementsGroup() {
  const { t, form, set } = useCtx();
  const child = childCase(form);
  return (
    <Group id="g-elements" title={t("ui-case-elements")} help={t("ui-case-elements-help")}>
      <div class="element-grid">
        <Choices k="acts" all={ACTS} prefix="act" title={t("field-acts")} help={t("help-acts")} />
        <Choices k="means" all={MEANS} prefix="means" title={t("field-means")} help={t(child ? "help-means-child" : "help-means")} />
        <Choices k="purposes" all={PURPOSES} prefix="purpose" title={t("field-purposes")} help={t("help-purposes")}>
          <SexualExploitation />
        </Choices>
      </div>
      <label class="check">
        <input id="f-child" type="checkbox" checked={form.child_involved} onChange={(e) => set("child_involved", e.currentTarget.checked)} />
        {t("field-child")}
      </label>
      {child && <p class="help child-rule" id="child-rule">{t("help-child-rule")}</p>}
    </Group>
  );
}

/** The types of sexual exploitation, with that purpose (or while some are recorded without it, to be seen and mended). */
function SexualExploitation() {
  const { t, form, set, latest } = useCtx();
  const chosen = form.standard.sexual_exploitation ?? [];
  if (!form.purposes.includes("sexual_exploitation") && chosen.length === 0) return null;
  return (
    <fieldset class="countries sub-choices" id="f-sexual-exploitation">
      <legend>{t("ui-case-sexual-exploitation")}</legend>
      {SEXUAL_EXPLOITATION_TYPES.map((v) => (
        <label class="check" key={v}>
          <input
            type="checkbox"
            checked={chosen.includes(v)}
            onChange={() => set("standard", { ...latest.current.form.standard, sexual_exploitation: toggle(latest.current.form.standard.sexual_exploitation ?? [], v) })}
          />
          {t(labelKey("sex-exploitation", v))}
        </label>
      ))}
      <Msgs path="standard.sexual_exploitation" />
    </fieldset>
  );
}
