// What was observed and what is known: the indicators and the graded information items.
import { CREDIBILITIES, HANDLING_CODES, INDICATOR_KINDS, RELIABILITIES } from "../bindings/vocabulary";
import { Field } from "../controls";
import { DateInput, Group, Msgs, Remove, Select, useCtx } from "./fields";

export function IndicatorsGroup() {
  const { t, form, set, setItem, removeItem, latest } = useCtx();
  return (
    <Group id="g-indicators" title={t("field-indicators")} help={t("ui-case-indicators-help")}>
      {form.indicators.map((x, i) => (
        <div class="row-edit" key={i}>
          <Select id={`f-indicators-${i}-kind`} label={t("ui-case-kind")} value={x.kind} values={INDICATOR_KINDS} prefix="indicator" onPick={(v) => v && setItem("indicators", i, { kind: v })} />
          <Field class="block grow" label={t("ui-case-description")}>
            <input id={`f-indicators-${i}-description`} value={x.description} dir="auto" onInput={(e) => setItem("indicators", i, { description: e.currentTarget.value })} />
            <Msgs path={`indicators[${i}].description`} />
          </Field>
          <DateInput path={`indicators[${i}].date`} label={t("field-when")} value={x.date} onSet={(v) => setItem("indicators", i, { date: v })} />
          <Field label={t("ui-case-source")}>
            <input value={x.source} onInput={(e) => setItem("indicators", i, { source: e.currentTarget.value })} />
          </Field>
          <div class="row-actions">
            <Remove what={`${t("field-indicators")} ${i + 1}`} onClick={() => removeItem("indicators", i)} />
          </div>
        </div>
      ))}
      <button type="button" class="outline small-btn" id="add-indicator" onClick={() => set("indicators", [...latest.current.form.indicators, { kind: "advertising", description: "", source: "" }])}>
        + {t("ui-case-add-indicator")}
      </button>
    </Group>
  );
}

export function InformationGroup() {
  const { t, form, set, setItem, removeItem, latest } = useCtx();
  return (
    <Group id="g-information" title={t("field-information")} help={t("ui-case-information-help")}>
      {form.information.map((x, i) => (
        <div class="info-edit" key={i}>
          <Field label={t("ui-case-info-text")}>
            <textarea id={`f-information-${i}-text`} rows={2} value={x.text} dir="auto" onInput={(e) => setItem("information", i, { text: e.currentTarget.value })} />
            <Msgs path={`information[${i}].text`} />
          </Field>
          <div class="row-edit">
            <Field label={t("ui-case-source-agency")}>
              <input value={x.source_agency} onInput={(e) => setItem("information", i, { source_agency: e.currentTarget.value })} />
            </Field>
            <Select id={`f-information-${i}-reliability`} label={t("ui-case-reliability")} value={x.reliability} values={RELIABILITIES} prefix="reliability" onPick={(v) => v && setItem("information", i, { reliability: v })} />
            <Select id={`f-information-${i}-credibility`} label={t("ui-case-credibility")} value={x.credibility} values={CREDIBILITIES} prefix="credibility" onPick={(v) => v && setItem("information", i, { credibility: v })} />
            <Select id={`f-information-${i}-handling`} label={t("ui-case-handling")} value={x.handling} values={HANDLING_CODES} prefix="handling" onPick={(v) => v && setItem("information", i, { handling: v })} />
            {x.handling === "H3" && (
              <Field label={t("ui-case-handling-note")}>
                <input id={`f-information-${i}-handling-note`} value={x.handling_note ?? ""} onInput={(e) => setItem("information", i, { handling_note: e.currentTarget.value })} />
                <Msgs path={`information[${i}].handling_note`} />
              </Field>
            )}
            <Field label={t("ui-case-originator")}>
              <input value={x.originator} onInput={(e) => setItem("information", i, { originator: e.currentTarget.value })} />
            </Field>
            <DateInput path={`information[${i}].date`} label={t("field-when")} value={x.date} onSet={(v) => setItem("information", i, { date: v })} />
            <div class="row-actions">
              <Remove what={`${t("field-information")} ${i + 1}`} onClick={() => removeItem("information", i)} />
            </div>
          </div>
        </div>
      ))}
      <button
        type="button"
        class="outline small-btn"
        id="add-information"
        onClick={() => set("information", [...latest.current.form.information, { text: "", source_agency: "", reliability: "F", credibility: "6", handling: "H0", originator: "" }])}
      >
        + {t("ui-case-add-information")}
      </button>
    </Group>
  );
}
