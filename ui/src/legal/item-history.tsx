// One item's history: who changed what, from what to what.
import type { ItemChange } from "../bindings/ItemChange";
import type { Provision } from "../bindings/Provision";
import { labelKey, type T } from "../i18n";
import { ChangeList, plainValue } from "../changes";
import { provisionText } from "./catalogue";

export function ItemHistory({ t, history }: { t: T; history: ItemChange[] }) {
  return (
    <section class="item-history" id="item-history" aria-label={t("ui-history")}>
      <h4>{t("ui-history")}</h4>
      <ChangeList
        t={t}
        id="item-changes"
        changes={history}
        label={(f) => t(`ui-legal-field-${f}`)}
        show={(f, v) =>
          f === "status" && typeof v === "string"
            ? t(labelKey("assessment", v))
            : Array.isArray(v) && v.length > 0 && typeof v[0] === "object" && v[0] && "law" in v[0]
              ? (v as Provision[]).map(provisionText).join("; ")
              : plainValue(t, v)
        }
      />
    </section>
  );
}
