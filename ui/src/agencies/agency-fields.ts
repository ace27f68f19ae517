// The directory's closed vocabularies (kinds of agency, services, where a
// referral stands) in the order offered, and their words. The lists are
// written out here: a value added in Rust (bindings/AgencyKind.ts,
// Service.ts, ReferralStatus.ts) fails the typecheck until it is listed.
import type { AgencyKind } from "../bindings/AgencyKind";
import type { ReferralStatus } from "../bindings/ReferralStatus";
import type { Service } from "../bindings/Service";
import type { Agency } from "../bindings/Agency";
import type { Lang } from "../bindings/Lang";
import { countryName, labelKey, type T } from "../i18n";

const EVERY_AGENCY_KIND: Record<AgencyKind, true> = {
  government: true,
  ngo: true,
  international_org: true,
  regional_org: true,
  research: true,
};
export const AGENCY_KINDS = Object.keys(EVERY_AGENCY_KIND) as AgencyKind[];

const EVERY_SERVICE: Record<Service, true> = {
  shelter: true,
  legal_aid: true,
  medical: true,
  psychological: true,
  repatriation: true,
  hotline: true,
  interpretation: true,
  education: true,
  employment: true,
  family_tracing: true,
};
export const SERVICES = Object.keys(EVERY_SERVICE) as Service[];

const EVERY_REFERRAL_STATUS: Record<ReferralStatus, true> = {
  in_progress: true,
  accepted: true,
  rejected: true,
  done: true,
};
export const REFERRAL_STATUSES = Object.keys(EVERY_REFERRAL_STATUS) as ReferralStatus[];

/** A kind of agency in words (`agency-kind-<wire>`). */
export function agencyKindLabel(t: T, k: AgencyKind): string {
  return t(labelKey("agency-kind", k));
}

/** A service in words (`service-<wire>`). */
export function serviceLabel(t: T, s: Service): string {
  return t(labelKey("service", s));
}

/** Where a referral stands, in words (`referral-status-<wire>`). */
export function referralStatusLabel(t: T, s: ReferralStatus): string {
  return t(labelKey("referral-status", s));
}

/** Services in the order offered (the catalogue's), without repeats. */
export function sortedServices(services: readonly Service[]): Service[] {
  return SERVICES.filter((s) => services.includes(s));
}

/** Comma-separated languages as typed → the list (blank ones dropped). */
export function splitLanguages(text: string): string[] {
  return text
    .split(",")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** Where an agency works, in words: its city and its country. */
export function agencyPlace(lang: Lang, a: Pick<Agency, "city" | "country">): string {
  return [a.city, countryName(lang, a.country)].filter(Boolean).join(", ");
}
