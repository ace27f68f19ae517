// Cross-border work: links to other countries' cases, legal requests, joint operations.
import { LINK_RELATIONS, OPERATION_STATUSES, PARTICIPATING, REQUEST_KINDS, REQUEST_STATUSES } from "../bindings/vocabulary";
import { Field } from "../controls";
import { Country, DateInput, Group, Msgs, Remove, Select, useCtx } from "./fields";
import { toggle } from "./form";

export function CrossBorderGroup() {
  const { t, form, set, setItem, removeItem, latest, owner } = useCtx();
  return (
    <Group id="g-links" title={t("ui-case-cross-border")}>
      <h4>{t("field-links")}</h4>
      {form.links.map((x, i) => (
        <div class="row-edit" key={i}>
          <Field label={t("field-reference")}>
            <input id={`f-links-${i}-reference`} class="mono" placeholder="HN-2026-0007" value={x.reference} onInput={(e) => setItem("links", i, { reference: e.currentTarget.value.toUpperCase() })} />
            <Msgs path={`links[${i}].reference`} />
          </Field>
          <Select id={`f-links-${i}-relation`} label={t("ui-case-relation")} value={x.relation} values={LINK_RELATIONS} prefix="link" onPick={(v) => v && setItem("links", i, { relation: v })} />
          <Field class="block grow" label={t("ui-case-note")}>
            <input value={x.note ?? ""} onInput={(e) => setItem("links", i, { note: e.currentTarget.value || undefined })} />
          </Field>
          <div class="row-actions">
            <Remove what={x.reference} onClick={() => removeItem("links", i)} />
          </div>
        </div>
      ))}
      <button type="button" class="outline small-btn" id="add-link" onClick={() => set("links", [...latest.current.form.links, { reference: "", relation: "same_network" }])}>
        + {t("ui-case-add-link")}
      </button>
      <h4>{t("field-requests")}</h4>
      {form.requests.map((x, i) => (
        <div class="row-edit" key={i}>
          <Select id={`f-requests-${i}-kind`} label={t("ui-case-kind")} value={x.kind} values={REQUEST_KINDS} prefix="request-kind" onPick={(v) => v && setItem("requests", i, { kind: v })} />
          <Country id={`f-requests-${i}-from`} label={t("ui-case-from-country")} value={x.from} onPick={(v) => v && setItem("requests", i, { from: v })} />
          <label class="block">
            <Country id={`f-requests-${i}-to`} label={t("ui-case-to-country")} value={x.to} onPick={(v) => v && setItem("requests", i, { to: v })} />
            <Msgs path={`requests[${i}].to`} />
          </label>
          <Field class="block grow" label={t("ui-case-subject")}>
            <input value={x.subject} onInput={(e) => setItem("requests", i, { subject: e.currentTarget.value })} />
          </Field>
          <Select id={`f-requests-${i}-status`} label={t("field-status")} value={x.status} values={REQUEST_STATUSES} prefix="request-status" onPick={(v) => v && setItem("requests", i, { status: v })} />
          <DateInput path={`requests[${i}].sent`} label={t("ui-case-sent")} value={x.sent} onSet={(v) => setItem("requests", i, { sent: v })} />
          <DateInput path={`requests[${i}].due`} label={t("ui-request-pending-due")} value={x.due} onSet={(v) => setItem("requests", i, { due: v })} />
          <DateInput path={`requests[${i}].answered`} label={t("ui-case-answered")} value={x.answered} onSet={(v) => setItem("requests", i, { answered: v })} />
          <div class="row-actions">
            <Remove what={`${t("field-requests")} ${i + 1}`} onClick={() => removeItem("requests", i)} />
          </div>
        </div>
      ))}
      <button
        type="button"
        class="outline small-btn"
        id="add-request"
        onClick={() => set("requests", [...latest.current.form.requests, { kind: "mutual_legal_assistance", from: owner, to: owner === "MX" ? "GT" : "MX", subject: "", status: "draft" }])}
      >
        + {t("ui-case-add-request")}
      </button>
      <h4>{t("field-operations")}</h4>
      {form.joint_operations.map((x, i) => (
        <div class="row-edit" key={i}>
          <fieldset class="countries">
            <legend>{t("field-countries")}</legend>
            {PARTICIPATING.map((c) => (
              <label class="check" key={c}>
                <input type="checkbox" checked={x.countries.includes(c)} onChange={() => setItem("joint_operations", i, { countries: toggle(latest.current.form.joint_operations[i].countries, c) })} />
                {c}
              </label>
            ))}
            <Msgs path={`joint_operations[${i}].countries`} />
          </fieldset>
          <Field label={t("ui-case-lead-agency")}>
            <input value={x.lead_agency} onInput={(e) => setItem("joint_operations", i, { lead_agency: e.currentTarget.value })} />
          </Field>
          <Select id={`f-operations-${i}-status`} label={t("field-status")} value={x.status} values={OPERATION_STATUSES} prefix="operation-status" onPick={(v) => v && setItem("joint_operations", i, { status: v })} />
          <DateInput path={`joint_operations[${i}].from`} label={t("ui-case-from")} value={x.from} onSet={(v) => setItem("joint_operations", i, { from: v })} />
          <DateInput path={`joint_operations[${i}].to`} label={t("ui-case-to")} value={x.to} onSet={(v) => setItem("joint_operations", i, { to: v })} />
          <div class="row-actions">
            <Remove what={`${t("field-operations")} ${i + 1}`} onClick={() => removeItem("joint_operations", i)} />
          </div>
        </div>
      ))}
      <button
        type="button"
        class="outline small-btn"
        id="add-operation"
        onClick={() => set("joint_operations", [...latest.current.form.joint_operations, { countries: [owner], lead_agency: "", status: "planned" }])}
      >
        + {t("ui-case-add-operation")}
      </button>
    </Group>
  );
}
