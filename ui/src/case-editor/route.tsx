// The route: its stops in order, each with country, place, role and dates.
import { ROUTE_ROLES } from "../bindings/vocabulary";
import { RouteStrip } from "../route-strip";
import { Field } from "../controls";
import { Country, DateInput, Group, Msgs, Remove, Select, useCtx } from "./fields";

export function RouteGroup() {
  const { t, lang, form, set, setItem, removeItem, latest, ownCountry } = useCtx();
  const moveStop = (i: number, by: -1 | 1) => {
    const r = [...latest.current.form.route];
    const j = i + by;
    if (j < 0 || j >= r.length) return;
    [r[i], r[j]] = [r[j], r[i]];
    set("route", r);
  };
  return (
    <Group id="g-route" title={t("field-route")} help={t("ui-case-route-help")}>
      {form.route.length > 0 && <RouteStrip stops={form.route} t={t} lang={lang} />}
      {form.route.map((s, i) => (
        <div class="row-edit" key={i} role="group" aria-label={`${t("ui-case-stop")} ${i + 1}`}>
          <span class="row-num">{i + 1}</span>
          <Country id={`f-route-${i}-country`} label={t("field-country")} value={s.country} onPick={(v) => v && setItem("route", i, { country: v })} />
          <Field label={t("ui-case-place")}>
            <input id={`f-route-${i}-place`} value={s.place} onInput={(e) => setItem("route", i, { place: e.currentTarget.value })} />
            <Msgs path={`route[${i}].place`} />
          </Field>
          <Select id={`f-route-${i}-role`} label={t("ui-filter-role")} value={s.role} values={ROUTE_ROLES} prefix="route-role" onPick={(v) => v && setItem("route", i, { role: v })} />
          <DateInput path={`route[${i}].from`} label={t("ui-case-from")} value={s.from} onSet={(v) => setItem("route", i, { from: v })} />
          <DateInput path={`route[${i}].to`} label={t("ui-case-to")} value={s.to} onSet={(v) => setItem("route", i, { to: v })} />
          <div class="row-actions">
            <button type="button" class="link" aria-label={t("ui-case-move-up")} title={t("ui-case-move-up")} disabled={i === 0} onClick={() => moveStop(i, -1)}>
              ↑
            </button>
            <button type="button" class="link" aria-label={t("ui-case-move-down")} title={t("ui-case-move-down")} disabled={i === form.route.length - 1} onClick={() => moveStop(i, 1)}>
              ↓
            </button>
            <Remove what={`${t("ui-case-stop")} ${i + 1}`} onClick={() => removeItem("route", i)} />
          </div>
        </div>
      ))}
      <button type="button" class="outline small-btn" id="add-stop" onClick={() => set("route", [...latest.current.form.route, { country: ownCountry, place: "", role: "transit" }])}>
        + {t("ui-case-add-stop")}
      </button>
    </Group>
  );
}
