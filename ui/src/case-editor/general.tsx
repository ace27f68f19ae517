// The case's general data: title, summary, classification (and its history), status, opening date, audience.
import { AUDIENCE_SCOPES, CLASSIFICATIONS, OBSERVERS, PARTICIPATING, STATUSES } from "../bindings/vocabulary";
import type { CaseView } from "../bindings/CaseView";
import { shortTime } from "../format";
import { countryName, labelKey } from "../i18n";
import { Field } from "../controls";
import { DateInput, Group, Msgs, Select, useCtx } from "./fields";
import { toggle } from "./form";

export function GeneralGroup({ view }: { view: CaseView | null }) {
  const { t, lang, form, set, latest, msgs, owner } = useCtx();
  return (
    <Group id="g-general" title={t("ui-case-general")}>
      <Field label={<>{t("field-title")} *</>}>
        <input id="f-title" value={form.title} maxLength={100000} aria-invalid={msgs("title").some((m) => m.error)} onInput={(e) => set("title", e.currentTarget.value)} />
        <Msgs path="title" />
      </Field>
      <Field label={t("field-summary")}>
        <textarea id="f-summary" rows={4} value={form.summary} dir="auto" onInput={(e) => set("summary", e.currentTarget.value)} />
        <span class="muted small">{t("ui-case-chars", { count: [...form.summary].length, max: 20000 })}</span>
        <Msgs path="summary" />
      </Field>
      <div class="three">
        <Select id="f-classification" label={t("field-classification")} value={form.classification} values={CLASSIFICATIONS} prefix="classification" onPick={(v) => v && set("classification", v)} />
        <Select id="f-status" label={t("field-status")} value={form.status} values={STATUSES} prefix="status" onPick={(v) => v && set("status", v)} />
        <DateInput path="opened" label={t("field-opened")} value={form.opened} onSet={(v) => v && set("opened", v)} />
      </div>
      {view && (
        <details class="class-history" id="classification-history" open>
          <summary>{t("ui-case-classification-history")}</summary>
          <ol class="plain">
            {view.case.classification_history.map((h, n) => (
              <li key={n}>
                <span class="muted">{shortTime(h.at)}</span> · {h.by} · <strong>{t(labelKey("classification", h.classification))}</strong>
              </li>
            ))}
          </ol>
        </details>
      )}
      <div class="two">
        <Select
          id="f-audience"
          label={t("field-audience")}
          value={form.audience.scope}
          values={AUDIENCE_SCOPES}
          prefix="audience"
          onPick={(v) => v && set("audience", { scope: v, countries: v === latest.current.form.audience.scope ? latest.current.form.audience.countries : [] })}
        />
        {(form.audience.scope === "bilateral" || form.audience.scope === "regional") && (
          // Bilateral: the other participating countries; regional: the
          // observers that receive it too.
          <fieldset class="countries" id={form.audience.scope === "bilateral" ? "f-audience-countries" : "f-audience-observers"}>
            <legend>{t(form.audience.scope === "bilateral" ? "ui-case-bilateral-with" : "ui-case-regional-observers")}</legend>
            {(form.audience.scope === "bilateral" ? PARTICIPATING : OBSERVERS)
              .filter((c) => c !== owner)
              .map((c) => (
                <label class="check" key={c}>
                  <input
                    type="checkbox"
                    checked={(form.audience.countries ?? []).includes(c)}
                    onChange={() => set("audience", { ...latest.current.form.audience, countries: toggle(latest.current.form.audience.countries ?? [], c) })}
                  />
                  {countryName(lang, c)}
                </label>
              ))}
            <Msgs path="audience.countries" />
          </fieldset>
        )}
      </div>
      <p class="help">{t(`ui-case-audience-help-${form.audience.scope}`, { country: countryName(lang, owner) })}</p>
    </Group>
  );
}
