// The filters shared by the checklist and the matrix.
import type { Instrument } from "../bindings/Instrument";
import { INSTRUMENTS } from "../bindings/vocabulary";
import type { T } from "../i18n";
import { EnumFilter } from "../controls";
import type { ItemFilter } from "./catalogue";

export function Filters({ t, filter, setFilter, children }: { t: T; filter: ItemFilter; setFilter: (f: ItemFilter) => void; children?: preact.ComponentChildren }) {
  return (
    <div class="legal-filters">
      <EnumFilter
        t={t}
        id="legal-filter-protocol"
        label={t("ui-legal-protocol")}
        value={filter.instrument}
        values={INSTRUMENTS}
        prefix="instrument"
        onPick={(v) => setFilter({ ...filter, instrument: v as Instrument | "" })}
      />
      <label class="check">
        <input
          type="checkbox"
          id="legal-filter-mandatory"
          checked={filter.mandatory}
          onChange={(e) => setFilter({ ...filter, mandatory: e.currentTarget.checked })}
        />
        <span>{t("ui-legal-mandatory-only")}</span>
      </label>
      {children}
    </div>
  );
}
