// Referrals of a case's victims to the directory's services, in the case
// view: each with the agency, the services asked for, where it stands (an
// overdue one marked), the victim's consent or why she is referred without
// it, who referred her and when, and the notes; where it stands changed by
// officials who may change the case; the referral letter (PDF, by
// pseudonym unless the official may print identities and chooses to;
// audited); and the form of a new referral. Not shown to a role that may
// not see risk assessments (the referrals are kept with them).
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { Agency } from "../bindings/Agency";
import type { ExportedFile } from "../bindings/ExportedFile";
import type { Lang } from "../bindings/Lang";
import type { ReferralInput } from "../bindings/ReferralInput";
import type { ReferralStatus } from "../bindings/ReferralStatus";
import type { ReferralView } from "../bindings/ReferralView";
import type { Service } from "../bindings/Service";
import { Dialog, Field } from "../controls";
import { localIssue, useFieldIssues } from "../field-issues";
import { shortTime, showDate } from "../format";
import type { T } from "../i18n";
import { useCan } from "../session";
import { toggle } from "../case-editor/form";
import { REFERRAL_STATUSES, SERVICES, agencyPlace, referralStatusLabel, serviceLabel, sortedServices } from "../agencies/agency-fields";
import { ServiceChips } from "../agencies/service-chips";
import type { Paper } from "./case-file";

/**
 * The referrals of a case's victims. `editable`: this node's country owns
 * the case and the role may change it (refer, change where one stands).
 */
export function ReferralsSection({
  t,
  lang,
  caseId,
  victims,
  editable,
  version,
}: {
  t: T;
  lang: Lang;
  caseId: string;
  /** The case's victims' pseudonyms (whom a referral may be for). */
  victims: string[];
  editable: boolean;
  /** Bumped when sync brought documents. */
  version: number;
}) {
  const [rows, setRows] = useState<ReferralView[] | null>(null);
  const [hidden, setHidden] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [printing, setPrinting] = useState<ReferralView | null>(null);
  const [busy, setBusy] = useState(false);
  // The letter is an export (the core refuses it otherwise).
  const mayExport = useCan("export");
  const load = () => {
    let live = true;
    api
      .referrals(caseId)
      .then((r) => {
        if (!live) return;
        setRows(r);
        setError(null);
      })
      .catch((e) => {
        if (!live) return;
        const err = asIpcError(e);
        // A role that may not see risk assessments: no section at all.
        if (err.code === "forbidden") setHidden(true);
        else setError(err.message);
      });
    return () => {
      live = false;
    };
  };
  useEffect(load, [caseId, version]);

  const replace = (v: ReferralView) => setRows((old) => (old ?? []).map((o) => (o.referral.id === v.referral.id ? v : o)));
  const setStatus = (v: ReferralView, status: ReferralStatus, note: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .referralUpdate(caseId, v.referral.id, status, note)
      .then((now) => {
        replace(now);
        setDone(t("ui-referral-status-done", { agency: agencyName(now), status: referralStatusLabel(t, now.referral.status) }));
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };

  const mayRefer = editable && victims.length > 0;
  if (hidden || (rows !== null && rows.length === 0 && !mayRefer && !error)) return null;
  return (
    <section class="referrals" id="referrals" data-testid="referrals" aria-labelledby="referrals-title">
      <h3 id="referrals-title">{t("ui-referral-title")}</h3>
      {error && (
        <p class="form-error" role="alert" id="referrals-error">
          {error}
        </p>
      )}
      {done && (
        <p class="export-done" role="status" id="referral-done">
          {done}
        </p>
      )}
      {rows && rows.length === 0 && (
        <p class="muted" id="referrals-none">
          {t("ui-referral-none")}
        </p>
      )}
      {rows && rows.length > 0 && (
        <ul class="plain referral-list">
          {rows.map((v) => (
            <ReferralItem
              key={`${v.pseudonym} ${v.referral.id}`}
              t={t}
              lang={lang}
              v={v}
              editable={editable}
              busy={busy}
              onStatus={(s, note) => setStatus(v, s, note)}
              onLetter={mayExport ? () => setPrinting(v) : undefined}
            />
          ))}
        </ul>
      )}
      {mayRefer &&
        (adding ? (
          <ReferralForm
            t={t}
            lang={lang}
            caseId={caseId}
            victims={victims}
            onCancel={() => setAdding(false)}
            onSaved={(v) => {
              setAdding(false);
              setError(null);
              setRows((old) => [v, ...(old ?? []).filter((o) => o.referral.id !== v.referral.id)]);
              setDone(t("ui-referral-saved", { pseudonym: v.pseudonym, agency: agencyName(v) }));
            }}
          />
        ) : (
          <button
            type="button"
            class="small-btn referral-new"
            id="referral-new"
            data-testid="referral-new"
            onClick={() => {
              setDone(null);
              setAdding(true);
            }}
          >
            + {t("ui-referral-new")}
          </button>
        ))}
      {printing && <ReferralLetterDialog t={t} lang={lang} caseId={caseId} v={printing} onClose={() => setPrinting(null)} />}
    </section>
  );
}

/** The agency's name: the directory's entry when held, else as it was when referred. */
function agencyName(v: ReferralView): string {
  return v.agency?.name ?? v.referral.agency_name;
}

/** One referral: what it asks of whom, where it stands, the consent, who and when, the notes, and what may be done. */
function ReferralItem({
  t,
  lang,
  v,
  editable,
  busy,
  onStatus,
  onLetter,
}: {
  t: T;
  lang: Lang;
  v: ReferralView;
  editable: boolean;
  busy: boolean;
  onStatus: (s: ReferralStatus, note: string) => void;
  /** Opens the letter's dialog (a role that may export). */
  onLetter?: () => void;
}) {
  const r = v.referral;
  const [note, setNote] = useState("");
  const where = v.agency ? agencyPlace(lang, v.agency) : "";
  return (
    <li class={`referral${v.overdue ? " is-overdue" : ""}`} data-testid="referral-row" data-id={r.id} data-status={r.status} data-pseudonym={v.pseudonym}>
      <div class="referral-head">
        <strong dir="auto" class="referral-agency">
          {agencyName(v)}
        </strong>
        {where && <span class="muted small">{where}</span>}
        <span class="mono">{v.pseudonym}</span>
        <span class={`badge referral-status-${r.status}`} data-testid="referral-status-label">
          {referralStatusLabel(t, r.status)}
        </span>
        {v.overdue && (
          <span class="referral-overdue" data-testid="referral-overdue" role="note">
            <span aria-hidden="true">⚠ </span>
            {t("ui-referral-overdue", { date: showDate(r.due) })}
          </span>
        )}
      </div>
      <ServiceChips t={t} services={r.services} label={t("ui-referral-services")} />
      <dl class="facts referral-facts">
        <div data-field="reason">
          <dt>{t("ui-referral-reason")}</dt>
          <dd dir="auto">{r.reason || "—"}</dd>
        </div>
        <div data-field="consent">
          <dt>{t("ui-referral-consent-title")}</dt>
          <dd class={r.consent ? "referral-consent" : "referral-consent referral-no-consent"} data-testid="referral-consent-line" dir="auto">
            {r.consent ? t("ui-referral-consent-given") : t("ui-referral-consent-overridden", { reason: r.consent_override ?? "—" })}
          </dd>
        </div>
        <div data-field="due">
          <dt>{t("ui-referral-due")}</dt>
          <dd>{showDate(r.due) || "—"}</dd>
        </div>
        {r.notes && (
          <div data-field="notes">
            <dt>{t("ui-referral-notes")}</dt>
            <dd dir="auto">{r.notes}</dd>
          </div>
        )}
      </dl>
      <div class="muted small">{t("ui-referral-by", { by: r.by || "—", at: r.at ? shortTime(r.at) : "—" })}</div>
      {(editable || onLetter) && (
        <div class="referral-actions">
          {editable && (
            <>
              <label class="referral-status-edit">
                <span>{t("ui-referral-status")}</span>
                <select
                  data-testid="referral-status"
                  value={r.status}
                  disabled={busy}
                  onChange={(e) => {
                    const s = e.currentTarget.value as ReferralStatus;
                    if (s === r.status) return;
                    onStatus(s, note.trim());
                    setNote("");
                  }}
                >
                  {REFERRAL_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {referralStatusLabel(t, s)}
                    </option>
                  ))}
                </select>
              </label>
              <label class="referral-note-edit">
                <span>{t("ui-referral-status-note")}</span>
                <input data-testid="referral-note" dir="auto" value={note} placeholder={t("ui-referral-status-note-hint")} onInput={(e) => setNote(e.currentTarget.value)} />
              </label>
            </>
          )}
          {onLetter && (
            <button type="button" class="outline small-btn" data-testid="referral-letter" onClick={onLetter}>
              {t("ui-referral-letter")}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The referral letter, asked for: its language and paper and, for a role
 * that may print identities, whether it names the victim; then the PDF in
 * the exports folder, opened and said where (as the case file is).
 */
export function ReferralLetterDialog({ t, lang, caseId, v, onClose }: { t: T; lang: Lang; caseId: string; v: ReferralView; onClose: () => void }) {
  const mayPrintIdentities = useCan("print_identities");
  const [fileLang, setFileLang] = useState<Lang>(lang);
  const [paper, setPaper] = useState<Paper>("a4");
  const [identity, setIdentity] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportedFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = (f: ExportedFile) => api.openExport(f.path).catch((e) => setError(asIpcError(e).message));
  const generate = (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .exportReferralLetter(caseId, v.referral.id, mayPrintIdentities && identity, paper === "letter", fileLang)
      .then((f) => {
        setDone(f);
        return open(f);
      })
      .catch((err) => setError(asIpcError(err).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="referral-letter-dialog" title={t("ui-referral-letter-title", { agency: agencyName(v), pseudonym: v.pseudonym })} onClose={onClose}>
      <form class="dialog-form referral-letter-form" data-testid="referral-letter-form" onSubmit={generate} noValidate>
        <p class="help">{t("ui-referral-letter-intro")}</p>
        <label for="referral-letter-lang">{t("ui-referral-letter-lang")}</label>
        <select id="referral-letter-lang" data-testid="referral-letter-lang" value={fileLang} onChange={(e) => setFileLang(e.currentTarget.value as Lang)}>
          <option value="es">{t("ui-case-file-lang-es")}</option>
          <option value="en">{t("ui-case-file-lang-en")}</option>
        </select>
        <label for="referral-letter-paper">{t("ui-case-file-paper")}</label>
        <select id="referral-letter-paper" data-testid="referral-letter-paper" value={paper} onChange={(e) => setPaper(e.currentTarget.value as Paper)}>
          <option value="a4">{t("ui-case-file-paper-a4")}</option>
          <option value="letter">{t("ui-case-file-paper-letter")}</option>
        </select>
        {mayPrintIdentities && (
          <>
            <label class="check referral-letter-identity">
              <input type="checkbox" id="referral-letter-identity" data-testid="referral-letter-identity" checked={identity} onChange={(e) => setIdentity(e.currentTarget.checked)} />
              {t("ui-referral-letter-identity")}
            </label>
            <p class={identity ? "referral-letter-warning" : "help"} data-testid="referral-letter-identity-warning" role={identity ? "note" : undefined}>
              {t("ui-referral-letter-identity-warning")}
            </p>
          </>
        )}
        {busy && <p class="muted">{t("ui-legal-exporting")}</p>}
        {done && (
          <p class="export-done" id="referral-letter-done" data-testid="referral-letter-done" role="status">
            {t("ui-legal-exported", { path: done.path })}{" "}
            <button type="button" class="link" onClick={() => open(done)}>
              {t("ui-legal-open")}
            </button>
          </p>
        )}
        {error && (
          <p class="form-error" role="alert" id="referral-letter-error">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="outline" onClick={onClose}>
            {t("ui-close")}
          </button>
          <button type="submit" id="referral-letter-generate" data-testid="referral-letter-generate" disabled={busy}>
            {t("ui-case-file-generate")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** An agency as the referral form offers it: its name, city and country. */
function agencyOption(lang: Lang, a: Agency): string {
  return `${a.name} — ${agencyPlace(lang, a)}`;
}

/**
 * A new referral of one of the case's victims: the agency chosen from the
 * directory (narrowed by a service), the services asked for (the agency's
 * by default), why, the victim's consent or — unchecked — why she is
 * referred without it (only coordinators and administrators may), and the
 * day an answer is due. The core's issues are shown next to their fields.
 */
export function ReferralForm({
  t,
  lang,
  caseId,
  victims,
  onCancel,
  onSaved,
}: {
  t: T;
  lang: Lang;
  caseId: string;
  victims: string[];
  onCancel: () => void;
  onSaved: (v: ReferralView) => void;
}) {
  const [agencies, setAgencies] = useState<Agency[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pseudonym, setPseudonym] = useState(victims[0] ?? "");
  const [serviceFilter, setServiceFilter] = useState<Service | "">("");
  const [agency, setAgency] = useState("");
  const [services, setServices] = useState<Service[]>([]);
  const [reason, setReason] = useState("");
  const [consent, setConsent] = useState(true);
  const [override, setOverride] = useState("");
  const [due, setDue] = useState("");
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .agencies({})
      .then(setAgencies)
      .catch((e) => setLoadError(asIpcError(e).message));
  }, []);
  const labels: Record<string, string> = {
    pseudonym: t("ui-referral-victim"),
    agency: t("ui-referral-agency"),
    services: t("ui-referral-services"),
    reason: t("ui-referral-reason"),
    consent: t("ui-referral-consent"),
    consent_override: t("ui-referral-override"),
    due: t("ui-referral-due"),
    notes: t("ui-referral-notes"),
  };
  const { setIssues, invalid, shown } = useFieldIssues(t, (p) => labels[p] ?? p);
  const offered = (agencies ?? []).filter((a) => !serviceFilter || a.services.includes(serviceFilter) || a.id === agency);
  const chooseAgency = (id: string) => {
    setAgency(id);
    const a = (agencies ?? []).find((x) => x.id === id);
    setServices(a ? sortedServices(a.services) : []);
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    if (!agency) {
      setIssues([localIssue("agency", t("ui-referral-agency-missing"))]);
      return;
    }
    setIssues([]);
    const input: ReferralInput = {
      pseudonym,
      agency,
      services: sortedServices(services),
      reason: reason.trim(),
      consent,
      ...(consent ? {} : { consent_override: override.trim() }),
      due: due || null,
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    };
    setBusy(true);
    api
      .referralAdd(caseId, input)
      .then(onSaved)
      .catch((err) => {
        const ipc = asIpcError(err);
        // Referring without consent is refused to this role: said where the reason is written.
        if (ipc.code === "forbidden" && !consent) {
          setIssues([localIssue("consent_override", ipc.message)]);
          return;
        }
        setIssues(ipc.issues);
        setError(ipc.message);
      })
      .finally(() => setBusy(false));
  };

  return (
    <form class="referral-form" id="referral-form" data-testid="referral-form" onSubmit={submit} noValidate aria-labelledby="referral-form-title">
      <h4 id="referral-form-title">{t("ui-referral-new")}</h4>
      {loadError && (
        <p class="form-error" role="alert">
          {loadError}
        </p>
      )}
      <div class="two">
        <Field label={labels.pseudonym}>
          <select id="referral-victim" data-testid="referral-victim" value={pseudonym} aria-invalid={invalid("pseudonym")} onChange={(e) => setPseudonym(e.currentTarget.value)}>
            {victims.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          {shown("pseudonym")}
        </Field>
        <Field label={t("ui-referral-agency-service")}>
          <select id="referral-agency-service" data-testid="referral-agency-service" value={serviceFilter} onChange={(e) => setServiceFilter(e.currentTarget.value as Service | "")}>
            <option value="">{t("ui-agency-service-all")}</option>
            {SERVICES.map((s) => (
              <option key={s} value={s}>
                {serviceLabel(t, s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label={labels.agency}>
        <select id="referral-agency" data-testid="referral-agency" value={agency} required aria-invalid={invalid("agency")} onChange={(e) => chooseAgency(e.currentTarget.value)}>
          <option value="">{agencies === null ? t("ui-loading") : t("ui-referral-agency-choose")}</option>
          {offered.map((a) => (
            <option key={a.id} value={a.id}>
              {agencyOption(lang, a)}
            </option>
          ))}
        </select>
        {shown("agency")}
      </Field>
      {agencies !== null && agencies.length === 0 && <p class="help">{t("ui-referral-agency-empty")}</p>}
      <fieldset class="agency-services-edit" id="referral-services" data-testid="referral-services">
        <legend>{labels.services}</legend>
        {SERVICES.map((s) => (
          <label class="check" key={s}>
            <input type="checkbox" value={s} data-testid={`referral-service-${s}`} checked={services.includes(s)} onChange={() => setServices((old) => toggle(old, s))} />
            {serviceLabel(t, s)}
          </label>
        ))}
        {shown("services")}
      </fieldset>
      <Field label={labels.reason}>
        <textarea id="referral-reason" data-testid="referral-reason" dir="auto" rows={2} value={reason} required aria-invalid={invalid("reason")} onInput={(e) => setReason(e.currentTarget.value)} />
        {shown("reason")}
      </Field>
      <label class="check">
        <input type="checkbox" id="referral-consent" data-testid="referral-consent" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />
        {labels.consent}
      </label>
      {shown("consent")}
      {!consent && (
        <Field label={labels.consent_override}>
          <textarea
            id="referral-override"
            data-testid="referral-override"
            dir="auto"
            rows={2}
            value={override}
            required
            aria-required="true"
            aria-invalid={invalid("consent_override")}
            aria-describedby="referral-override-note"
            onInput={(e) => setOverride(e.currentTarget.value)}
          />
          {shown("consent_override")}
        </Field>
      )}
      {!consent && (
        <p class="help referral-override-note" id="referral-override-note">
          {t("ui-referral-override-note")}
        </p>
      )}
      {consent && shown("consent_override")}
      <div class="two">
        <Field label={labels.due}>
          <input id="referral-due" data-testid="referral-due" type="date" value={due} aria-invalid={invalid("due")} onInput={(e) => setDue(e.currentTarget.value)} />
          {shown("due")}
        </Field>
        <Field label={labels.notes}>
          <input id="referral-notes" data-testid="referral-notes" dir="auto" value={notes} aria-invalid={invalid("notes")} onInput={(e) => setNotes(e.currentTarget.value)} />
          {shown("notes")}
        </Field>
      </div>
      {error && (
        <p class="form-error" role="alert" id="referral-error" data-testid="referral-error">
          {error}
        </p>
      )}
      <div class="dialog-actions">
        <button type="button" class="outline" id="referral-cancel" data-testid="referral-cancel" onClick={onCancel}>
          {t("ui-cancel")}
        </button>
        <button type="submit" id="referral-save" data-testid="referral-save" disabled={busy}>
          {t("ui-referral-save")}
        </button>
      </div>
    </form>
  );
}
