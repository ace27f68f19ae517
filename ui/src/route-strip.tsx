// A case's route drawn as a strip of stops (the case view and the editor).
import type { Lang } from "./bindings/Lang";
import type { RouteStop } from "./bindings/RouteStop";
import { dateRange } from "./format";
import { countryName, labelKey, type T } from "./i18n";

/** The route as a strip of stops joined by arrows: origin → transit → destination. */
export function RouteStrip({ stops, t, lang }: { stops: RouteStop[]; t: T; lang: Lang }) {
  return (
    <ol class="route-strip" aria-label={t("field-route")}>
      {stops.map((s, n) => (
        <li key={n} class={`stop role-${s.role}`}>
          <div class="stop-dot" aria-hidden="true" />
          <div class="stop-role">{t(labelKey("route-role", s.role))}</div>
          <div class="stop-country">{countryName(lang, s.country)}</div>
          <div class="stop-place">{s.place}</div>
          <div class="stop-dates muted">{dateRange(s)}</div>
        </li>
      ))}
    </ol>
  );
}
