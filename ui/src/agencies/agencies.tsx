// The directory of agencies that serve victims in the region: search as you
// type (accents ignored by the core), by country and by service; each entry
// with its kind, where it works, its services, how reliable it is as a
// source, whether it is the National Task Force's focal point, whom to
// call, its hours and languages. Officials who may change cases add their
// country's agencies and correct them; another country's entries are read
// here and changed by that country.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, asIpcError, type AgencyPatch } from "../api";
import type { Agency } from "../bindings/Agency";
import type { AgencyContact } from "../bindings/AgencyContact";
import type { AgencyFilter } from "../bindings/AgencyFilter";
import type { AgencyInput } from "../bindings/AgencyInput";
import type { AgencyKind } from "../bindings/AgencyKind";
import type { Lang } from "../bindings/Lang";
import type { Service } from "../bindings/Service";
import type { SourceReliability } from "../bindings/SourceReliability";
import { PARTICIPATING, RELIABILITIES } from "../bindings/vocabulary";
import { Field } from "../controls";
import { localIssue, useFieldIssues } from "../field-issues";
import { countryName, labelKey, type T } from "../i18n";
import { useCan } from "../session";
import { toggle } from "../case-editor/form";
import { AGENCY_KINDS, SERVICES, agencyKindLabel, agencyPlace, serviceLabel, sortedServices, splitLanguages } from "./agency-fields";
import { ServiceChips } from "./service-chips";

/** The filter the list asks for: only what is chosen (nothing: the whole directory). */
export function agencyFilter(query: string, country: string, service: Service | ""): AgencyFilter {
  const f: AgencyFilter = {};
  if (query.trim()) f.query = query.trim();
  if (country) f.country = country;
  if (service) f.service = service;
  return f;
}

export function Agencies({ t, lang, ownCountry, version = 0 }: { t: T; lang: Lang; ownCountry: string; version?: number }) {
  const [query, setQuery] = useState("");
  const [country, setCountry] = useState("");
  const [service, setService] = useState<Service | "">("");
  const [rows, setRows] = useState<Agency[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The form: a new entry, or the entry (of this country) being corrected.
  const [editing, setEditing] = useState<Agency | "new" | null>(null);
  // A role that may not change cases is not offered to add or correct entries.
  const mayEdit = useCan("edit_cases");

  // Search as you type, as the case list does: a query goes out at once;
  // while one is running, the newest filter waits and goes next.
  const seq = useRef(0);
  const inFlight = useRef(false);
  const waiting = useRef<AgencyFilter | null>(null);
  const load = (f: AgencyFilter) => {
    if (inFlight.current) {
      waiting.current = f;
      return;
    }
    inFlight.current = true;
    const mine = ++seq.current;
    api
      .agencies(f)
      .then((r) => {
        if (mine !== seq.current) return;
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => {
        inFlight.current = false;
        const next = waiting.current;
        waiting.current = null;
        if (next !== null) load(next);
      });
  };
  const current = () => agencyFilter(query, country, service);
  useEffect(() => load(current()), [country, service, version]);

  return (
    <main class="sync-main agencies" id="agencies" data-testid="agencies">
      <section class="card">
        <div class="sync-title">
          <h2>{t("ui-agency-title")}</h2>
          {mayEdit && editing === null && (
            <button
              type="button"
              id="agency-add"
              data-testid="agency-add"
              onClick={() => {
                setDone(null);
                setEditing("new");
              }}
            >
              + {t("ui-agency-add")}
            </button>
          )}
        </div>
        <p class="muted">{t("ui-agency-intro")}</p>
        <div class="agency-filters">
          <label class="grow">
            <span>{t("ui-search")}</span>
            <input
              id="agency-search"
              data-testid="agency-search"
              type="search"
              value={query}
              placeholder={t("ui-agency-search-placeholder")}
              onInput={(e) => {
                const q = e.currentTarget.value;
                setQuery(q);
                load(agencyFilter(q, country, service));
              }}
            />
          </label>
          <label>
            <span>{t("ui-agency-country")}</span>
            <select id="agency-country" data-testid="agency-country" value={country} onChange={(e) => setCountry(e.currentTarget.value)}>
              <option value="">{t("ui-agency-country-all")}</option>
              {PARTICIPATING.map((c) => (
                <option key={c} value={c}>
                  {countryName(lang, c)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t("ui-agency-service")}</span>
            <select id="agency-service" data-testid="agency-service" value={service} onChange={(e) => setService(e.currentTarget.value as Service | "")}>
              <option value="">{t("ui-agency-service-all")}</option>
              {SERVICES.map((s) => (
                <option key={s} value={s}>
                  {serviceLabel(t, s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {error && (
          <p class="form-error" role="alert" id="agencies-error">
            {error}
          </p>
        )}
        {done && (
          <p class="export-done" role="status" id="agency-done" data-testid="agency-done">
            {done}
          </p>
        )}
        {editing !== null && (
          <AgencyForm
            key={editing === "new" ? "new" : editing.id}
            t={t}
            lang={lang}
            ownCountry={ownCountry}
            agency={editing === "new" ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={(a, warnings) => {
              setEditing(null);
              setDone([t(editing === "new" ? "ui-agency-added" : "ui-agency-saved", { name: a.name }), ...warnings].join(" "));
              load(current());
            }}
          />
        )}
        {rows && (
          <p class="count" id="agency-count">
            {t("ui-agency-count", { count: rows.length })}
          </p>
        )}
        {rows && rows.length === 0 && (
          <p class="muted" id="agency-none">
            {t("ui-agency-none")}
          </p>
        )}
        {rows && rows.length > 0 && (
          <ul class="plain agency-list">
            {rows.map((a) => (
              <AgencyCard
                key={a.id}
                t={t}
                lang={lang}
                a={a}
                onEdit={
                  mayEdit && editing === null && a.country === ownCountry
                    ? () => {
                        setDone(null);
                        setEditing(a);
                      }
                    : undefined
                }
              />
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

/** A contact in one line: name · function · phone · email (what is known). */
export function contactLine(c: AgencyContact): string {
  return [c.name, c.function, c.phone, c.email].map((s) => s?.trim()).filter(Boolean).join(" · ");
}

/** One entry of the directory; `onEdit` when this node's country may correct it. */
function AgencyCard({ t, lang, a, onEdit }: { t: T; lang: Lang; a: Agency; onEdit?: () => void }) {
  return (
    <li class={`agency${a.focal_point ? " is-focal" : ""}`} data-testid="agency-row" data-id={a.id} data-country={a.country} data-focal={a.focal_point}>
      <div class="agency-head">
        <h3 class="agency-name" dir="auto">
          {a.name}
        </h3>
        {a.demo && (
          <span class="badge demo" data-testid="agency-demo">
            {t("ui-agency-demo")}
          </span>
        )}
        {a.focal_point && (
          <span class="badge focal" data-testid="agency-focal">
            {t("ui-agency-focal")}
          </span>
        )}
        {onEdit && (
          <button type="button" class="small-btn outline agency-edit" data-testid="agency-edit" onClick={onEdit} aria-label={t("ui-agency-edit-label", { name: a.name })}>
            {t("ui-case-edit-button")}
          </button>
        )}
      </div>
      <p class="agency-where muted">
        <span class="agency-kind">{agencyKindLabel(t, a.kind)}</span> · {agencyPlace(lang, a)}
      </p>
      <ServiceChips t={t} services={a.services} label={t("ui-agency-services")} />
      <dl class="facts agency-facts">
        <div data-field="reliability">
          <dt>{t("ui-agency-reliability")}</dt>
          <dd data-reliability={a.reliability}>{t(labelKey("reliability", a.reliability))}</dd>
        </div>
        {a.contacts.length > 0 && (
          <div data-field="contacts">
            <dt>{t("ui-agency-contacts")}</dt>
            <dd>
              <ul class="plain agency-contacts">
                {a.contacts.map((c, n) => (
                  <li key={c.id ?? n} dir="auto">
                    {contactLine(c)}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
        {a.hours && (
          <div data-field="hours">
            <dt>{t("ui-agency-hours")}</dt>
            <dd dir="auto">{a.hours}</dd>
          </div>
        )}
        {a.languages.length > 0 && (
          <div data-field="languages">
            <dt>{t("ui-agency-languages")}</dt>
            <dd dir="auto">{a.languages.join(", ")}</dd>
          </div>
        )}
        {a.notes && (
          <div data-field="notes">
            <dt>{t("ui-agency-notes")}</dt>
            <dd dir="auto">{a.notes}</dd>
          </div>
        )}
      </dl>
    </li>
  );
}

/** A contact as the form edits it: every part as typed. */
type ContactRow = { id?: string; name: string; function: string; phone: string; email: string };

const blankContact = (): ContactRow => ({ name: "", function: "", phone: "", email: "" });

/** A contact as sent: its id kept, the parts left empty left out. */
function contactOf(c: ContactRow): AgencyContact {
  const out: AgencyContact = { name: c.name.trim() };
  if (c.id) out.id = c.id;
  if (c.function.trim()) out.function = c.function.trim();
  if (c.phone.trim()) out.phone = c.phone.trim();
  if (c.email.trim()) out.email = c.email.trim();
  return out;
}

/**
 * A new entry of this node's country, or the correction of one (sent as a
 * merge patch of everything the form holds). The core's issues are shown
 * next to the field their path names.
 */
export function AgencyForm({
  t,
  lang,
  ownCountry,
  agency,
  onCancel,
  onSaved,
}: {
  t: T;
  lang: Lang;
  ownCountry: string;
  /** The entry corrected; null: a new one. */
  agency: Agency | null;
  onCancel: () => void;
  /** Saved: the entry, and what the core warned about it (in words). */
  onSaved: (a: Agency, warnings: string[]) => void;
}) {
  const [name, setName] = useState(agency?.name ?? "");
  const [kind, setKind] = useState<AgencyKind>(agency?.kind ?? "government");
  const [city, setCity] = useState(agency?.city ?? "");
  const [services, setServices] = useState<Service[]>(agency?.services ?? []);
  const [contacts, setContacts] = useState<ContactRow[]>(() =>
    agency && agency.contacts.length > 0
      ? agency.contacts.map((c) => ({ id: c.id, name: c.name, function: c.function ?? "", phone: c.phone ?? "", email: c.email ?? "" }))
      : [blankContact()],
  );
  const [hours, setHours] = useState(agency?.hours ?? "");
  const [languages, setLanguages] = useState((agency?.languages ?? []).join(", "));
  const [reliability, setReliability] = useState<SourceReliability>(agency?.reliability ?? "B");
  const [focal, setFocal] = useState(agency?.focal_point ?? false);
  const [notes, setNotes] = useState(agency?.notes ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const labels: Record<string, string> = {
    name: t("ui-agency-name"),
    kind: t("ui-agency-kind"),
    city: t("ui-agency-city"),
    services: t("ui-agency-services"),
    contacts: t("ui-agency-contacts"),
    hours: t("ui-agency-hours"),
    languages: t("ui-agency-languages"),
    reliability: t("ui-agency-reliability"),
    focal_point: t("ui-agency-focal-point"),
    notes: t("ui-agency-notes"),
  };
  const contactLabels: Record<string, string> = {
    name: t("ui-agency-contact-name"),
    function: t("ui-agency-contact-function"),
    phone: t("ui-agency-contact-phone"),
    email: t("ui-agency-contact-email"),
  };
  // `contacts[1].phone` → "Contacto 2: Teléfono"; `languages[0]` → "Idiomas".
  const label = (path: string) => {
    const c = /^contacts\[(\d+)\]\.(\w+)$/.exec(path);
    if (c) return t("ui-agency-contact-field", { n: Number(c[1]) + 1, field: contactLabels[c[2]] ?? c[2] });
    return labels[path.replace(/\[\d+\].*$/, "")] ?? path;
  };
  const { issues, setIssues, invalid, shown } = useFieldIssues(t, label);
  // The languages' issues name one of them (`languages[2]`): shown under the field.
  const languagePaths = [...new Set(issues.map((i) => i.path).filter((p) => p.startsWith("languages")))];
  const setContact = (n: number, patch: Partial<ContactRow>) => setContacts((old) => old.map((c, i) => (i === n ? { ...c, ...patch } : c)));

  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setIssues([localIssue("name", t("val-text-required", { path: labels.name }))]);
      return;
    }
    setIssues([]);
    // A contact row left wholly empty is not a contact.
    const kept = contacts.filter((c) => [c.name, c.function, c.phone, c.email].some((s) => s.trim())).map(contactOf);
    const fields = {
      name: name.trim(),
      kind,
      city: city.trim(),
      services: sortedServices(services),
      contacts: kept,
      hours: hours.trim(),
      languages: splitLanguages(languages),
      reliability,
      focal_point: focal,
      notes: notes.trim(),
    };
    const input: AgencyInput = fields;
    const patch: AgencyPatch = fields;
    setBusy(true);
    (agency ? api.agencyUpdate(agency.id, patch) : api.agencyAdd(input))
      .then((saved) =>
        onSaved(
          saved.agency,
          saved.issues.filter((i) => i.severity !== "error").map((i) => t(i.code, Object.fromEntries([...i.args, ["path", label(i.path)]]))),
        ),
      )
      .catch((err) => {
        const ipc = asIpcError(err);
        setIssues(ipc.issues);
        setError(ipc.message);
      })
      .finally(() => setBusy(false));
  };

  return (
    <form class="agency-form" id="agency-form" data-testid="agency-form" onSubmit={submit} noValidate aria-labelledby="agency-form-title">
      <h3 id="agency-form-title">{agency ? t("ui-agency-edit-title", { name: agency.name }) : t("ui-agency-add-title", { country: countryName(lang, ownCountry) })}</h3>
      <div class="two">
        <Field label={labels.name}>
          <input id="agency-name" data-testid="agency-name" dir="auto" value={name} required aria-invalid={invalid("name")} onInput={(e) => setName(e.currentTarget.value)} />
          {shown("name")}
        </Field>
        <Field label={labels.kind}>
          <select id="agency-kind" data-testid="agency-kind" value={kind} aria-invalid={invalid("kind")} onChange={(e) => setKind(e.currentTarget.value as AgencyKind)}>
            {AGENCY_KINDS.map((k) => (
              <option key={k} value={k}>
                {agencyKindLabel(t, k)}
              </option>
            ))}
          </select>
          {shown("kind")}
        </Field>
      </div>
      <div class="two">
        <Field label={labels.city}>
          <input id="agency-city" data-testid="agency-city" dir="auto" value={city} aria-invalid={invalid("city")} onInput={(e) => setCity(e.currentTarget.value)} />
          {shown("city")}
        </Field>
        <Field label={labels.reliability}>
          <select id="agency-reliability" data-testid="agency-reliability" value={reliability} aria-invalid={invalid("reliability")} onChange={(e) => setReliability(e.currentTarget.value as SourceReliability)}>
            {RELIABILITIES.map((r) => (
              <option key={r} value={r}>
                {t(labelKey("reliability", r))}
              </option>
            ))}
          </select>
          {shown("reliability")}
        </Field>
      </div>
      <fieldset class="agency-services-edit" id="agency-services" data-testid="agency-services">
        <legend>{labels.services}</legend>
        {SERVICES.map((s) => (
          <label class="check" key={s}>
            <input type="checkbox" value={s} data-testid={`agency-service-${s}`} checked={services.includes(s)} onChange={() => setServices((old) => toggle(old, s))} />
            {serviceLabel(t, s)}
          </label>
        ))}
        {shown("services")}
      </fieldset>
      <fieldset class="agency-contacts-edit" id="agency-contacts" data-testid="agency-contacts">
        <legend>{labels.contacts}</legend>
        {contacts.map((c, n) => (
          <div class="agency-contact-row" key={n} data-testid="agency-contact">
            {(["name", "function", "phone", "email"] as const).map((f) => (
              <Field key={f} label={contactLabels[f]}>
                <input
                  data-testid={`agency-contact-${f}`}
                  type={f === "email" ? "email" : f === "phone" ? "tel" : "text"}
                  dir="auto"
                  value={c[f]}
                  aria-invalid={invalid(`contacts[${n}].${f}`)}
                  onInput={(e) => setContact(n, { [f]: e.currentTarget.value })}
                />
                {shown(`contacts[${n}].${f}`)}
              </Field>
            ))}
            {contacts.length > 1 && (
              <button
                type="button"
                class="small-btn outline agency-contact-remove"
                aria-label={t("ui-agency-contact-remove", { n: n + 1 })}
                onClick={() => setContacts((old) => old.filter((_, i) => i !== n))}
              >
                ✕
              </button>
            )}
          </div>
        ))}
        <button type="button" class="small-btn outline" id="agency-contact-add" data-testid="agency-contact-add" onClick={() => setContacts((old) => [...old, blankContact()])}>
          + {t("ui-agency-contact-add")}
        </button>
      </fieldset>
      <div class="two">
        <Field label={labels.hours}>
          <input id="agency-hours" data-testid="agency-hours" dir="auto" value={hours} placeholder={t("ui-agency-hours-placeholder")} aria-invalid={invalid("hours")} onInput={(e) => setHours(e.currentTarget.value)} />
          {shown("hours")}
        </Field>
        <Field label={labels.languages}>
          <input
            id="agency-languages"
            data-testid="agency-languages"
            dir="auto"
            value={languages}
            placeholder={t("ui-agency-languages-placeholder")}
            aria-invalid={languagePaths.some(invalid)}
            onInput={(e) => setLanguages(e.currentTarget.value)}
          />
          {languagePaths.map(shown)}
        </Field>
      </div>
      <label class="check">
        <input type="checkbox" id="agency-focal" data-testid="agency-focal-point" checked={focal} onChange={(e) => setFocal(e.currentTarget.checked)} />
        {labels.focal_point}
      </label>
      <Field label={labels.notes}>
        <textarea id="agency-notes" data-testid="agency-notes" dir="auto" rows={2} value={notes} aria-invalid={invalid("notes")} onInput={(e) => setNotes(e.currentTarget.value)} />
        {shown("notes")}
      </Field>
      {error && (
        <p class="form-error" role="alert" id="agency-error" data-testid="agency-error">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="outline" id="agency-cancel" data-testid="agency-cancel" onClick={onCancel}>
          {t("ui-cancel")}
        </button>
        <button type="submit" id="agency-save" data-testid="agency-save" disabled={busy}>
          {t(agency ? "ui-agency-save" : "ui-agency-add-save")}
        </button>
      </div>
    </form>
  );
}
