// A person's identity (national only): names, aliases, birth, contact,
// documents and consent. Dates of birth are typed day first.
import { useState } from "preact/hooks";
import type { Identity } from "../bindings/Identity";
import type { Lang } from "../bindings/Lang";
import { ID_DOCUMENT_KINDS } from "../bindings/vocabulary";
import { CountrySelect, Field, VocabSelect } from "../controls";
import { parseDate, showDate } from "../format";
import type { T } from "../i18n";

export function IdentityForm({
  t,
  lang,
  prefix,
  value,
  onChange,
  msgs,
}: {
  t: T;
  lang: Lang;
  prefix: string;
  value: Identity;
  onChange: (v: Identity) => void;
  msgs: (path: string) => { text: string; error: boolean }[];
}) {
  const [dob, setDob] = useState(showDate(value.date_of_birth));
  const docs = value.documents ?? [];
  const parsedDob = parseDate(dob);
  const set = <K extends keyof Identity>(k: K, v: Identity[K]) => onChange({ ...value, [k]: v });
  const err = (path: string) =>
    msgs(path).map((m, n) => (
      <span key={n} class={m.error ? "field-error" : "field-warning"}>
        {m.text}
      </span>
    ));
  return (
    <div class="identity-form">
      <div class="three">
        <Field label={t("ui-case-given-names")}>
          <input id={`${prefix}-given`} value={value.given_names} autoComplete="off" onInput={(e) => set("given_names", e.currentTarget.value)} />
          {err("identity.given_names")}
        </Field>
        <Field label={t("ui-case-first-surname")}>
          <input id={`${prefix}-first`} value={value.first_surname} autoComplete="off" onInput={(e) => set("first_surname", e.currentTarget.value)} />
          {err("identity.first_surname")}
        </Field>
        <Field label={t("ui-case-second-surname")}>
          <input id={`${prefix}-second`} value={value.second_surname ?? ""} autoComplete="off" onInput={(e) => set("second_surname", e.currentTarget.value || undefined)} />
        </Field>
      </div>
      <div class="three">
        <Field label={t("ui-case-aliases")}>
          <input
            id={`${prefix}-aliases`}
            value={(value.aliases ?? []).join(", ")}
            onInput={(e) =>
              set(
                "aliases",
                e.currentTarget.value
                  .split(",")
                  .map((s) => s.trim())
                  .filter(Boolean),
              )
            }
          />
        </Field>
        <Field label={t("ui-case-birth")}>
          <input
            id={`${prefix}-dob`}
            inputMode="numeric"
            placeholder={t("ui-date-placeholder")}
            value={dob}
            onInput={(e) => {
              const text = e.currentTarget.value;
              setDob(text);
              const p = parseDate(text);
              if (p.kind === "ok") set("date_of_birth", p.iso);
              else if (p.kind === "empty") set("date_of_birth", undefined);
            }}
          />
          {parsedDob.kind === "bad" && <span class="field-error">{t(parsedDob.key, parsedDob.args)}</span>}
          {err("identity.date_of_birth")}
        </Field>
        <Field label={t("ui-case-contact")}>
          <input value={value.contact ?? ""} onInput={(e) => set("contact", e.currentTarget.value || undefined)} />
        </Field>
      </div>
      <Field label={t("ui-case-address")}>
        <input value={value.address ?? ""} onInput={(e) => set("address", e.currentTarget.value || undefined)} />
      </Field>
      {docs.map((d, i) => (
        <div class="row-edit" key={i}>
          <VocabSelect t={t} label={t("ui-case-document")} value={d.kind} values={ID_DOCUMENT_KINDS} prefix="id-document" onPick={(v) => v && set("documents", docs.map((x, j) => (j === i ? { ...x, kind: v } : x)))} />
          <Field label={t("ui-case-number")}>
            <input value={d.number} onInput={(e) => set("documents", docs.map((x, j) => (j === i ? { ...x, number: e.currentTarget.value } : x)))} />
          </Field>
          <CountrySelect lang={lang} label={t("ui-case-issuing-country")} value={d.issuing_country} empty="—" onPick={(v) => set("documents", docs.map((x, j) => (j === i ? { ...x, issuing_country: v } : x)))} />
          <button type="button" class="link danger" onClick={() => set("documents", docs.filter((_, j) => j !== i))}>
            {t("ui-legal-remove")}
          </button>
        </div>
      ))}
      <button type="button" class="outline small-btn" onClick={() => set("documents", [...docs, { kind: "passport", number: "" }])}>
        + {t("ui-case-add-document")}
      </button>
      <div class="row-edit">
        <label class="check">
          <input type="checkbox" checked={value.consent.given} onChange={(e) => set("consent", { ...value.consent, given: e.currentTarget.checked })} />
          {t("ui-case-consent")}
        </label>
        {value.consent.given && (
          <Field class="block grow" label={t("ui-case-consent-scope")}>
            <input value={value.consent.scope ?? ""} onInput={(e) => set("consent", { ...value.consent, scope: e.currentTarget.value || undefined })} />
          </Field>
        )}
      </div>
    </div>
  );
}
