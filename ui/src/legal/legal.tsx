// Legal assessments: the countries with their progress, and either the
// regional harmonisation matrix or one country's checklist.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { AssessmentSummary } from "../bindings/AssessmentSummary";
import type { Lang } from "../bindings/Lang";
import { countryName, type T } from "../i18n";
import { assessed, type ItemFilter, total } from "./catalogue";
import { Checklist } from "./checklist";
import { Matrix } from "./matrix";
import { TallyBar } from "./tally-bar";

type Place = { kind: "matrix" } | { kind: "country"; country: string; item?: string };

export function Legal({ t, lang, ownCountry, version = 0 }: { t: T; lang: Lang; ownCountry: string; version?: number }) {
  const [place, setPlace] = useState<Place>({ kind: "country", country: ownCountry });
  const [overview, setOverview] = useState<AssessmentSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<ItemFilter>({ instrument: "", mandatory: false });

  const refresh = () =>
    api
      .legalOverview()
      .then(setOverview)
      .catch((e) => setError(asIpcError(e).message));
  useEffect(() => {
    refresh();
  }, [version]);

  return (
    <main class="legal">
      <nav class="legal-nav" aria-label={t("ui-legal-countries")}>
        <button
          type="button"
          id="legal-matrix"
          class={`nav-item${place.kind === "matrix" ? " selected" : ""}`}
          aria-current={place.kind === "matrix" ? "page" : undefined}
          onClick={() => setPlace({ kind: "matrix" })}
        >
          <strong>{t("ui-legal-matrix")}</strong>
          <span class="muted small">{t("ui-legal-matrix-hint")}</span>
        </button>
        <h2 class="nav-title">{t("ui-legal-countries")}</h2>
        <ul class="plain">
          {overview.map((o) => (
            <li key={o.country}>
              <button
                type="button"
                class={`nav-item${place.kind === "country" && place.country === o.country ? " selected" : ""}`}
                data-country={o.country}
                aria-current={place.kind === "country" && place.country === o.country ? "page" : undefined}
                onClick={() => setPlace({ kind: "country", country: o.country })}
              >
                <span class="nav-row">
                  <strong>{countryName(lang, o.country)}</strong>
                  {o.editable && <span class="badge own">{t("ui-legal-own")}</span>}
                </span>
                <TallyBar t={t} tally={o.tally} />
                <span class="muted small">
                  {o.present
                    ? t("ui-legal-assessed-count", { done: assessed(o.tally), total: total(o.tally) })
                    : t("ui-legal-not-held")}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section class="legal-main">
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {place.kind === "matrix" ? (
          <Matrix t={t} lang={lang} filter={filter} setFilter={setFilter} onOpen={(country, item) => setPlace({ kind: "country", country, item })} />
        ) : (
          <Checklist
            key={place.country}
            t={t}
            lang={lang}
            country={place.country}
            initialItem={place.item}
            filter={filter}
            setFilter={setFilter}
            others={overview.filter((o) => o.present && o.country !== place.country).map((o) => o.country)}
            onChanged={refresh}
          />
        )}
      </section>
    </main>
  );
}
