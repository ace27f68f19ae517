// Who is logged in, for every screen: the session the shell gave at
// unlock (the official's name, role and permissions). Screens hide or
// disable what the role may not do; the core refuses it anyway.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Permission } from "./bindings/Permission";
import type { Role } from "./bindings/Role";
import type { Session } from "./bindings/Session";
import { labelKey, type T } from "./i18n";

/**
 * The logged-in official. The app always provides it once unlocked;
 * without a provider (a screen tested on its own) everything is offered,
 * as before officials existed, and the core decides.
 */
export const SessionContext = createContext<Session | null>(null);

/** Whether `session` may do `p` (no session known: offered, the core decides). */
export function can(session: Session | null, p: Permission): boolean {
  return session === null || session.permissions.includes(p);
}

/** The logged-in official, if the app provided one. */
export function useSession(): Session | null {
  return useContext(SessionContext);
}

/** Whether the logged-in official's role allows `p`. */
export function useCan(p: Permission): boolean {
  return can(useContext(SessionContext), p);
}

// Every role, in the permission matrix's order; a role added in Rust
// (bindings/Role.ts) fails the typecheck here until it is listed.
const EVERY_ROLE: Record<Role, true> = {
  border_officer: true,
  police_investigator: true,
  prosecutor: true,
  ngo_case_worker: true,
  coordinator: true,
  analyst: true,
  administrator: true,
};
export const ROLES = Object.keys(EVERY_ROLE) as Role[];

/** A role in words (`role-<wire>` in the Fluent files). */
export function roleLabel(t: T, role: Role): string {
  return t(labelKey("role", role));
}
