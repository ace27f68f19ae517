// One item side by side in two countries.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { AssessmentItem } from "../bindings/AssessmentItem";
import type { Lang } from "../bindings/Lang";
import { countryName, labelKey, type T } from "../i18n";
import { emptyItem, provisionText, statusLetter } from "./catalogue";

export function Compare({ t, lang, item, left, leftItem, right }: { t: T; lang: Lang; item: string; left: string; leftItem: AssessmentItem; right: string }) {
  const [other, setOther] = useState<AssessmentItem | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .legalAssessment(right)
      .then((v) => setOther(v.assessment.items[item] ?? emptyItem()))
      .catch((e) => setError(asIpcError(e).message));
  }, [right, item]);
  if (error) return <p class="form-error">{error}</p>;
  if (!other) return <p class="muted">{t("ui-loading")}</p>;
  const col = (c: string, it: AssessmentItem) => (
    <div class="compare-col" data-country={c}>
      <h4>{countryName(lang, c)}</h4>
      <p>
        <span class={`cell st-${it.status}`}>{statusLetter(t, it.status)}</span> {t(labelKey("assessment", it.status))}
      </p>
      <h5>{t("ui-legal-field-provisions")}</h5>
      {it.provisions.length ? (
        <ul class="plain">
          {it.provisions.map((p, i) => (
            <li key={i}>{provisionText(p)}</li>
          ))}
        </ul>
      ) : (
        <p class="muted">—</p>
      )}
      <h5>{t("ui-legal-field-gap")}</h5>
      <p>{it.gap || "—"}</p>
      <h5>{t("ui-legal-field-proposal")}</h5>
      <p>{it.proposal || "—"}</p>
    </div>
  );
  return (
    <section class="compare" id="compare" aria-label={t("ui-legal-compare-title", { item })}>
      <h4>{t("ui-legal-compare-title", { item })}</h4>
      <div class="compare-cols">
        {col(left, leftItem)}
        {col(right, other)}
      </div>
    </section>
  );
}
