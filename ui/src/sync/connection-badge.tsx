// The connection state, as a dot and words (the sync panel and the header).
import type { Connection } from "../bindings/Connection";
import type { T } from "../i18n";

/** The connection state, as a dot and words (used in the header too). */
export function ConnectionBadge({ t, connection, running, id }: { t: T; connection: Connection; running: boolean; id: string }) {
  const state = running ? "running" : connection;
  return (
    <span class={`conn conn-${state}`} id={id} role="status" data-state={state}>
      <span class="dot" aria-hidden="true" />
      {t(`ui-sync-conn-${state}`)}
    </span>
  );
}
