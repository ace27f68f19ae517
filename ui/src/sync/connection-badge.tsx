// The connection state, as a dot and words (the sync panel and the header).
import type { Connection } from "../bindings/Connection";
import type { T } from "../i18n";

/**
 * The connection state, as a dot and words (used in the header too); while
 * a round runs, how many changes it is sending (`pending`, when known).
 */
export function ConnectionBadge({
  t,
  connection,
  running,
  id,
  pending = 0,
}: {
  t: T;
  connection: Connection;
  running: boolean;
  id: string;
  pending?: number;
}) {
  const state = running ? "running" : connection;
  return (
    <span class={`conn conn-${state}`} id={id} role="status" data-state={state}>
      <span class="dot" aria-hidden="true" />
      {running && pending > 0 ? t("ui-sync-conn-sending", { count: pending }) : t(`ui-sync-conn-${state}`)}
    </span>
  );
}
