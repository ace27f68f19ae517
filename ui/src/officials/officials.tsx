// The node's officials, for its administrator: who may open the database,
// with which role; adding one, changing a role, a new passphrase for a
// forgotten one, removing one. Every change is in the audit log.
import { useEffect, useState } from "preact/hooks";
import { api, asIpcError } from "../api";
import type { OfficialView } from "../bindings/OfficialView";
import type { T } from "../i18n";
import { useSession } from "../session";
import { AddOfficial } from "./add-official";
import { OfficialRow } from "./official-row";

export function Officials({ t, visible }: { t: T; /** Read again each time the tab is shown. */ visible: boolean }) {
  const session = useSession();
  const [list, setList] = useState<OfficialView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api
      .officials()
      .then((l) => {
        setList(l);
        setError(null);
      })
      .catch((e) => setError(asIpcError(e).message));
  useEffect(() => {
    if (visible) load();
  }, [visible]);
  // Those who can log in first, then the removed ones; each by name.
  const sorted = [...(list ?? [])].sort((a, b) => Number(!!a.removed_at) - Number(!!b.removed_at) || a.name.localeCompare(b.name));
  return (
    <main class="sync-main officials" id="officials">
      <section class="card">
        <h2>{t("ui-officials-title")}</h2>
        <p class="muted">{t("ui-officials-intro")}</p>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        {list === null && !error && <p>{t("ui-loading")}</p>}
        {list !== null && (
          <table class="peers officials-table" id="officials-table">
            <thead>
              <tr>
                <th>{t("ui-official-name")}</th>
                <th>{t("ui-official-role")}</th>
                <th>{t("ui-officials-col-created")}</th>
                <th>{t("ui-officials-col-state")}</th>
                <th>
                  <span class="visually-hidden">{t("ui-sync-col-actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((o) => (
                <OfficialRow key={o.id} t={t} o={o} self={session?.id === o.id} onChanged={load} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <AddOfficial t={t} onAdded={load} />
    </main>
  );
}
