// The Protocol's Art. 3 elements (acts, means, purposes), explained, and whether a child is involved.
import { ACTS, MEANS, PURPOSES } from "../bindings/vocabulary";
import { Choices, Group, useCtx } from "./fields";
import { childCase } from "./form";

export function ElementsGroup() {
  const { t, form, set } = useCtx();
  const child = childCase(form);
  return (
    <Group id="g-elements" title={t("ui-case-elements")} help={t("ui-case-elements-help")}>
      <div class="element-grid">
        <Choices k="acts" all={ACTS} prefix="act" title={t("field-acts")} help={t("help-acts")} />
        <Choices k="means" all={MEANS} prefix="means" title={t("field-means")} help={t(child ? "help-means-child" : "help-means")} />
        <Choices k="purposes" all={PURPOSES} prefix="purpose" title={t("field-purposes")} help={t("help-purposes")} />
      </div>
      <label class="check">
        <input id="f-child" type="checkbox" checked={form.child_involved} onChange={(e) => set("child_involved", e.currentTarget.checked)} />
        {t("field-child")}
      </label>
      {child && <p class="help child-rule" id="child-rule">{t("help-child-rule")}</p>}
    </Group>
  );
}
