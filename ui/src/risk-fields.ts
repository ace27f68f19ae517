// Victims' risk assessments in words and dates: the levels and threat
// factors (closed enumerations from Rust), where a review stands, and the
// review day that applies when none is given — shared by the case view,
// the case editor and the reviews due.
import type { ReviewState } from "./bindings/ReviewState";
import type { RiskLevel } from "./bindings/RiskLevel";
import type { ThreatFactor } from "./bindings/ThreatFactor";
import { labelKey, type T } from "./i18n";

// Every level, gravest last as the form offers them, with the days to its
// review when none is given (RiskLevel::review_days in Rust); a level added
// in Rust (bindings/RiskLevel.ts) fails the typecheck here until it is listed.
export const REVIEW_DAYS: Record<RiskLevel, number> = { low: 90, medium: 30, high: 14, critical: 7 };
export const RISK_LEVELS = Object.keys(REVIEW_DAYS) as RiskLevel[];

// Every threat factor, in the order offered.
const EVERY_THREAT: Record<ThreatFactor, true> = {
  to_victim: true,
  to_family: true,
  to_supporters: true,
  traffickers_know_location: true,
  victim_is_witness: true,
  minor: true,
  trafficker_is_relative: true,
  debt_claimed: true,
  trafficked_before: true,
  no_safe_accommodation: true,
  health_needs: true,
};
export const THREATS = Object.keys(EVERY_THREAT) as ThreatFactor[];

/** Where a review stands, gravest first (the order of the reviews due). */
const REVIEW_KEYS: Record<ReviewState, string> = {
  overdue: "risk-review-overdue",
  due_today: "risk-review-due-today",
  due_soon: "risk-review-due-soon",
  scheduled: "risk-review-scheduled",
};
export const REVIEW_STATES = Object.keys(REVIEW_KEYS) as ReviewState[];

/** A level in words (`risk-level-<wire>` in the Fluent files). */
export function riskLevelLabel(t: T, level: RiskLevel): string {
  return t(labelKey("risk-level", level));
}

/** A threat factor in words (`threat-<wire>`). */
export function threatLabel(t: T, f: ThreatFactor): string {
  return t(labelKey("threat", f));
}

/** Where a review stands, in words (`risk-review-…`, as `ReviewState::label_key` in Rust). */
export function reviewLabel(t: T, s: ReviewState): string {
  return t(REVIEW_KEYS[s]);
}

/** Levels gravest first. */
export function byGravity(levels: RiskLevel[]): RiskLevel[] {
  return [...levels].sort((a, b) => RISK_LEVELS.indexOf(b) - RISK_LEVELS.indexOf(a));
}

/** Today on this computer, as an ISO date. */
export function todayIso(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** An ISO date `days` later. */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (ISO dates); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const day = (iso: string) => {
    const [y, m, d] = iso.split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((day(to) - day(from)) / 86_400_000);
}

/** The review that applies when none is given: by level, from the day assessed. */
export function defaultReview(level: RiskLevel, assessedOn: string): string {
  return addDays(assessedOn, REVIEW_DAYS[level]);
}

/** Threat factors in the catalogue's order, each once. */
export function sortedThreats(threats: ThreatFactor[]): ThreatFactor[] {
  return THREATS.filter((f) => threats.includes(f));
}
