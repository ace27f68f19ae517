// An agency's (or a referral's) services as chips, in the catalogue's order.
import type { Service } from "../bindings/Service";
import type { T } from "../i18n";
import { serviceLabel, sortedServices } from "./agency-fields";

/** The services as chips (nothing when there are none); `label` names the list. */
export function ServiceChips({ t, services, label }: { t: T; services: readonly Service[]; label: string }) {
  if (services.length === 0) return null;
  return (
    <ul class="agency-services" aria-label={label}>
      {sortedServices(services).map((s) => (
        <li key={s} class="chip on" data-service={s}>
          {serviceLabel(t, s)}
        </li>
      ))}
    </ul>
  );
}
