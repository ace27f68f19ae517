import { describe, expect, it } from "vitest";
import { SOURCES, countryName, hasKey, keysOf, labelKey, translate } from "./i18n";
import { ACTS, AGE_BANDS, CLASSIFICATIONS, MEANS, PARTICIPATING, PURPOSES, RELIABILITIES, STATUSES } from "./bindings/vocabulary";
import { PERPETRATOR_ROLES, SEXUAL_EXPLOITATION_TYPES, TRAFFICKING_STATUSES } from "./case-fields";
import { REVIEW_STATES, RISK_LEVELS, THREATS, reviewLabel } from "./risk-fields";
import { REQUEST_ACTIONS } from "./case-view/requests";
import { AGENCY_KINDS, REFERRAL_STATUSES, SERVICES } from "./agencies/agency-fields";

describe("translations", () => {
  it("Spanish and English have the same keys", () => {
    const es = new Set(keysOf(SOURCES.es));
    const en = new Set(keysOf(SOURCES.en));
    expect([...es].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !es.has(k))).toEqual([]);
    expect(es.size).toBeGreaterThan(200);
  });

  it("every key the UI uses exists in both languages", async () => {
    const files = import.meta.glob(["./**/*.ts", "./**/*.tsx", "!./bindings/**"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    const used = new Set<string>();
    for (const src of Object.values(files)) {
      for (const m of src.matchAll(/\bt\("([a-z][a-z0-9-]*)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(30);
    const missing = [...used].filter((k) => !hasKey("es", k) || !hasKey("en", k));
    expect(missing).toEqual([]);
  });

  it("every vocabulary value has labels", () => {
    const groups: Array<[string, readonly string[]]> = [
      ["classification", CLASSIFICATIONS],
      ["status", STATUSES],
      ["act", ACTS],
      ["means", MEANS],
      ["purpose", PURPOSES],
      ["age", AGE_BANDS],
      ["sex-exploitation", SEXUAL_EXPLOITATION_TYPES],
      ["trafficking-status", TRAFFICKING_STATUSES],
      ["perpetrator-role", PERPETRATOR_ROLES],
      ["risk-level", RISK_LEVELS],
      ["threat", THREATS],
      // A request's answers: their label, the button, the text's label and its hint.
      ["request-action", REQUEST_ACTIONS],
      ["ui-request-do", REQUEST_ACTIONS],
      ["ui-request-text", REQUEST_ACTIONS],
      ["ui-request-hint", REQUEST_ACTIONS],
      ["ui-request-side", ["from_us", "to_us", "other"]],
      // The directory and referrals.
      ["agency-kind", AGENCY_KINDS],
      ["service", SERVICES],
      ["referral-status", REFERRAL_STATUSES],
      ["reliability", RELIABILITIES],
    ];
    for (const [prefix, values] of groups) {
      for (const v of values) {
        expect(hasKey("es", labelKey(prefix, v)), `${prefix} ${v}`).toBe(true);
        expect(hasKey("en", labelKey(prefix, v)), `${prefix} ${v}`).toBe(true);
      }
    }
    expect(labelKey("age", "48+")).toBe("age-48plus");
    // Where a review stands: its own keys (ReviewState::label_key in Rust).
    for (const lang of ["es", "en"] as const) {
      const words = REVIEW_STATES.map((s) => reviewLabel((k) => translate(lang, k), s));
      expect(words.filter((w) => w.startsWith("risk-review-"))).toEqual([]);
    }
  });

  it("formats arguments and uses the region's vocabulary", () => {
    expect(translate("es", "classification-trafficking")).toBe("Trata de personas");
    expect(translate("en", "classification-smuggling")).toBe("Smuggling of migrants");
    expect(translate("es", "ui-cases-count", { shown: 3, total: 42 })).toBe("3 de 42 casos");
    expect(translate("en", "ui-cases-count", { shown: 3, total: 42 })).toBe("3 of 42 cases");
    expect(countryName("es", "PA")).toBe("Panamá");
    expect(countryName("en", "ZZ")).toBe("ZZ");
    for (const c of PARTICIPATING) expect(countryName("es", c)).not.toBe(c);
  });
});
