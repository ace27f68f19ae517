// Grants across borders: an identity of this country may reach another
// country's hubs and offices for a stated purpose until a date. On a case
// of this node's country they are listed, given and revoked; on another
// country's case, an identity received under one says so.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { CasePerson } from "../bindings/CasePerson";
import type { GrantInput } from "../bindings/GrantInput";
import type { GrantPurpose } from "../bindings/GrantPurpose";
import type { GrantView } from "../bindings/GrantView";
import type { Issue } from "../bindings/Issue";
import type { Lang } from "../bindings/Lang";
import { COUNTRIES, Dialog, DialogFooter, Lock } from "../controls";
import { shortTime, showDate } from "../format";
import { countryName, labelKey, type T } from "../i18n";

// Every purpose, in the order offered; a purpose added in Rust
// (bindings/GrantPurpose.ts) fails the typecheck here until it is listed.
const EVERY_GRANT_PURPOSE: Record<GrantPurpose, true> = {
  repatriation: true,
  joint_investigation: true,
  victim_assistance: true,
};
export const GRANT_PURPOSES = Object.keys(EVERY_GRANT_PURPOSE) as GrantPurpose[];

/** A purpose in words (`grant-purpose-<wire>` in the Fluent files). */
export function grantPurposeLabel(t: T, p: GrantPurpose): string {
  return t(labelKey("grant-purpose", p));
}

/** Where a grant stands: it lets the identity travel today, its date passed, or it was revoked. */
export type GrantState = "standing" | "lapsed" | "revoked";
export function grantState(g: GrantView): GrantState {
  if (g.revoked_at) return "revoked";
  return g.standing ? "standing" : "lapsed";
}

/** The case's persons with an identity document, by that document's id (their pseudonym). */
export function personsByRef(persons: CasePerson[]): Map<string, string> {
  return new Map(persons.flatMap((p) => (p.person_ref ? [[p.person_ref, p.pseudonym] as [string, string]] : [])));
}

/** The grants on a case's identities held here, read again when sync brought documents (nothing when it fails). */
function useGrants(caseId: string, version: number, onError?: (message: string) => void) {
  const [grants, setGrants] = useState<GrantView[] | null>(null);
  useEffect(() => {
    let live = true;
    api
      .grantList(caseId)
      .then((g) => live && setGrants(g))
      .catch((e) => live && onError?.(asIpcError(e).message));
    return () => {
      live = false;
    };}, [caseId, version]);
  return [grants, setGrants] as const;
}

/**
 * A case of this node's country: the grants of its identities to other
 * countries, each revocable while it stands, and a form to give one.
 * `held`: the pseudonyms whose identity this node holds.
 */
export function GrantsSection({
  t,
  lang,
  persons,
  held,
  caseId,
  ownCountry,
  version,
}: {
  t: T;
  lang: Lang;
  persons: CasePerson[];
  held: string[];
  caseId: string;
  ownCountry: string;
  /** Bumped when sync brought documents. */
  version: number;
}) {
  const [error, setError] = useState<string | null>(null);
  const [grants, setGrants] = useGrants(caseId, version, setError);
  const [done, setDone] = useState<string | null>(null);
  const [giving, setGiving] = useState(false);
  const [revoking, setRevoking] = useState<GrantView | null>(null);
  const refs = personsByRef(persons);
  const country = (code: string) => countryName(lang, code);
  const mine = (grants ?? []).filter((g) => refs.has(g.person_id) && g.owner_country === ownCountry);
  const pseudonymOf = (g: GrantView) => refs.get(g.person_id) ?? g.pseudonym ?? "—";
  return (
    <section class="grants" id="grants">
      <h3>{t("ui-grants-title")}</h3>
      <p class="muted small">{t("ui-grants-intro")}</p>
      {grants &&
        (mine.length === 0 ? (
          <p class="muted" id="grants-none">
            {t("ui-grants-none")}
          </p>
        ) : (
          <ul class="plain grants-list" id="grants-list">
            {mine.map((g) => {
              const state = grantState(g);
              return (
                <li key={g.id} data-id={g.id} data-state={state}>
                  <div class="grant-head">
                    <strong class="mono">{pseudonymOf(g)}</strong> → <strong>{country(g.country)}</strong> · {grantPurposeLabel(t, g.purpose)} · {t("ui-grant-until", { date: showDate(g.until) })}{" "}
                    <span class={`badge grant-${state}`}>{t(`ui-grant-state-${state}`)}</span>
                    {state === "standing" && (
                      <button
                        type="button"
                        class="link danger grant-revoke"
                        aria-label={t("ui-grant-revoke-label", { pseudonym: pseudonymOf(g), country: country(g.country) })}
                        onClick={() => setRevoking(g)}
                      >
                        {t("ui-grant-revoke")}
                      </button>
                    )}
                  </div>
                  <div class="grant-reason" dir="auto">
                    {g.reason}
                  </div>
                  <div class="muted small">
                    {t("ui-grant-given", { by: g.by, at: shortTime(g.at) })}
                    {g.revoked_at && <> · {t("ui-grant-revoked-by", { by: g.revoked_by ?? "—", at: shortTime(g.revoked_at) })}</>}
                  </div>
                </li>
              );
            })}
          </ul>
        ))}
      {held.length > 0 && (
        <button type="button" class="small-btn" id="grant-new" onClick={() => setGiving(true)}>
          {t("ui-grant-new")}
        </button>
      )}
      {done && (
        <p class="export-done" role="status" id="grants-done">
          {done}
        </p>
      )}
      {error && (
        <p class="form-error" role="alert" id="grants-error">
          {error}
        </p>
      )}
      {giving && (
        <GrantDialog
          t={t}
          lang={lang}
          caseId={caseId}
          held={held}
          ownCountry={ownCountry}
          onClose={() => setGiving(false)}
          onDone={(made, to) => {
            setGiving(false);
            setError(null);
            setGrants((old) => [...made, ...(old ?? []).filter((g) => !made.some((m) => m.id === g.id))]);
            setDone(t("ui-grant-added", { count: made.length, country: country(to) }));
          }}
        />
      )}
      {revoking && (
        <RevokeDialog
          t={t}
          grant={revoking}
          pseudonym={pseudonymOf(revoking)}
          country={country(revoking.country)}
          onClose={() => setRevoking(null)}
          onDone={(g) => {
            setRevoking(null);
            setError(null);
            setGrants((old) => (old ?? []).map((o) => (o.id === g.id ? g : o)));
            setDone(t("ui-grant-revoked-done", { country: country(g.country) }));
          }}
        />
      )}
    </section>
  );
}

/** The form of a grant, once it is said where the identity goes and that copies stay there. */
function GrantDialog({
  t,
  lang,
  caseId,
  held,
  ownCountry,
  onClose,
  onDone,
}: {
  t: T;
  lang: Lang;
  caseId: string;
  held: string[];
  ownCountry: string;
  onClose: () => void;
  onDone: (made: GrantView[], country: string) => void;
}) {
  const [pseudonym, setPseudonym] = useState("");
  const [country, setCountry] = useState("");
  const [purpose, setPurpose] = useState<GrantPurpose | "">("");
  const [until, setUntil] = useState("");
  const [reason, setReason] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const labels: Record<string, string> = {
    "grant.country": t("ui-grant-country"),
    "grant.purpose": t("ui-grant-purpose"),
    "grant.until": t("ui-grant-until-label"),
    "grant.reason": t("ui-grant-reason"),
  };
  const local = (path: string, text: string): Issue => ({ path, code: "", severity: "error", args: [["text", text]] });
  // What a field's issues say: the core's (a Fluent key) or this form's own.
  const msgs = (path: string) =>
    issues
      .filter((i) => i.path === path)
      .map((i) => (i.code ? t(i.code, Object.fromEntries([...i.args, ["path", labels[path] ?? path]])) : (i.args[0]?.[1] ?? "")));
  const shown = (path: string) =>
    msgs(path).map((m, n) => (
      <span key={n} class="field-error" role="alert" data-path={path}>
        {m}
      </span>
    ));
  const submit = (e: Event) => {
    e.preventDefault();
    setError(null);
    const missing: Issue[] = [];
    if (!country) missing.push(local("grant.country", t("ui-grant-country-missing")));
    if (!purpose) missing.push(local("grant.purpose", t("ui-grant-purpose-missing")));
    if (!until) missing.push(local("grant.until", t("ui-grant-until-missing")));
    if (!reason.trim()) missing.push(local("grant.reason", t("val-text-required", { path: t("ui-grant-reason") })));
    setIssues(missing);
    if (missing.length > 0 || !purpose) return;
    const input: GrantInput = { target: caseId, country, purpose, until, reason: reason.trim() };
    if (pseudonym) input.pseudonym = pseudonym;
    setBusy(true);
    api
      .grantAdd(input)
      .then((made) => onDone(made, country))
      .catch((err) => {
        const ipc = asIpcError(err);
        setIssues(ipc.issues);
        setError(ipc.message);
      })
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="grant-dialog" title={t("ui-grant-new")} onClose={onClose}>
      <form class="dialog-form grant-form" id="grant-form" onSubmit={submit} noValidate>
        <label for="grant-person">{t("ui-grant-person")}</label>
        <select id="grant-person" value={pseudonym} onChange={(e) => setPseudonym(e.currentTarget.value)}>
          <option value="">{t("ui-grant-person-all", { count: held.length })}</option>
          {held.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <label for="grant-country">{t("ui-grant-country")}</label>
        <select id="grant-country" value={country} aria-invalid={msgs("grant.country").length > 0} onChange={(e) => setCountry(e.currentTarget.value)}>
          <option value="">{t("ui-grant-choose")}</option>
          {COUNTRIES.filter((c) => c !== ownCountry).map((c) => (
            <option key={c} value={c}>
              {countryName(lang, c)}
            </option>
          ))}
        </select>
        {shown("grant.country")}
        <label for="grant-purpose">{t("ui-grant-purpose")}</label>
        <select id="grant-purpose" value={purpose} aria-invalid={msgs("grant.purpose").length > 0} onChange={(e) => setPurpose(e.currentTarget.value as GrantPurpose | "")}>
          <option value="">{t("ui-grant-choose")}</option>
          {GRANT_PURPOSES.map((p) => (
            <option key={p} value={p}>
              {grantPurposeLabel(t, p)}
            </option>
          ))}
        </select>
        {shown("grant.purpose")}
        <label for="grant-until">{t("ui-grant-until-label")}</label>
        <input id="grant-until" type="date" value={until} aria-invalid={msgs("grant.until").length > 0} onInput={(e) => setUntil(e.currentTarget.value)} />
        {shown("grant.until")}
        <label for="grant-reason">{t("ui-grant-reason")}</label>
        <textarea id="grant-reason" dir="auto" rows={3} value={reason} aria-invalid={msgs("grant.reason").length > 0} onInput={(e) => setReason(e.currentTarget.value)} required />
        {shown("grant.reason")}
        <p class="notice" id="grant-warning" role="note">
          {t("ui-grant-warning")}
        </p>
        <DialogFooter t={t} error={error} errorId="grant-error" actionId="grant-submit" label={t("ui-grant-submit")} busy={busy} onClose={onClose} />
      </form>
    </Dialog>
  );
}

/** Revoking, once it is said that later changes stop and what was received stays. */
function RevokeDialog({
  t,
  grant,
  pseudonym,
  country,
  onClose,
  onDone,
}: {
  t: T;
  grant: GrantView;
  pseudonym: string;
  country: string;
  onClose: () => void;
  onDone: (g: GrantView) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = () => {
    setError(null);
    setBusy(true);
    api
      .grantRevoke(grant.id)
      .then(onDone)
      .catch((e) => setError(asIpcError(e).message))
      .finally(() => setBusy(false));
  };
  return (
    <Dialog id="grant-revoke-dialog" title={t("ui-grant-revoke-title", { pseudonym, country })} onClose={onClose}>
      <p id="grant-revoke-text">{t("ui-grant-revoke-text", { country })}</p>
      <DialogFooter t={t} error={error} errorId="grant-revoke-error" actionId="grant-revoke-confirm" label={t("ui-grant-revoke-confirm")} busy={busy} danger onClick={revoke} onClose={onClose} />
    </Dialog>
  );
}

/**
 * Another country's case: for each identity this node holds under a grant
 * given to its country, where it came from, for what and until when.
 */
export function ReceivedGrants({
  t,
  lang,
  caseId,
  persons,
  ownCountry,
  version,
}: {
  t: T;
  lang: Lang;
  caseId: string;
  persons: CasePerson[];
  ownCountry: string;
  version: number;
}) {
  const [grants] = useGrants(caseId, version);
  const refs = personsByRef(persons);
  const received = (grants ?? []).filter((g) => refs.has(g.person_id) && g.owner_country !== ownCountry && g.country === ownCountry);
  if (received.length === 0) return null;
  return (
    <ul class="plain identity-granted" id="identity-granted" role="note">
      {received.map((g) => {
        const state = grantState(g);
        return (
          <li key={g.id} data-pseudonym={refs.get(g.person_id)} data-state={state}>
            <Lock /> <strong class="mono">{refs.get(g.person_id)}</strong>:{" "}
            {t("ui-grant-received", { country: countryName(lang, g.owner_country), purpose: grantPurposeLabel(t, g.purpose), date: showDate(g.until) })}
            {state !== "standing" && <span class={`badge grant-${state}`}>{t(`ui-grant-state-${state}`)}</span>}
          </li>
        );
      })}
    </ul>
  );
}
