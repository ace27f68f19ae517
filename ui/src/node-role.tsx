// A node's place in its country (need-to-know inside a country): a hub and
// an office receive every identity of the country at sync; a border post
// and an NGO only those they recorded or that were shared with them.
import type { NodeRole } from "./bindings/NodeRole";
import { labelKey, type T } from "./i18n";

// Every place, widest first; a role added in Rust (bindings/NodeRole.ts)
// fails the typecheck here until it is listed.
const EVERY_NODE_ROLE: Record<NodeRole, true> = {
  hub: true,
  office: true,
  border_post: true,
  ngo: true,
};
export const NODE_ROLES = Object.keys(EVERY_NODE_ROLE) as NodeRole[];

/** A place in words (`node-role-<wire>` in the Fluent files). */
export function nodeRoleLabel(t: T, role: NodeRole): string {
  return t(labelKey("node-role", role));
}

/** A border post or an NGO: it holds only the identities it works with. */
export function needToKnow(role: NodeRole): boolean {
  return role === "border_post" || role === "ngo";
}

/** The `<option>`s of a choice of place, each in words. */
export function NodeRoleOptions({ t }: { t: T }) {
  return (
    <>
      {NODE_ROLES.map((r) => (
        <option key={r} value={r}>
          {nodeRoleLabel(t, r)}
        </option>
      ))}
    </>
  );
}
