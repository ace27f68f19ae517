import { render } from "preact";
import { describe, expect, it } from "vitest";
import { ChangeList, plainValue } from "./changes";
import { caseFieldLabel, caseValue } from "./case-fields";
import { translate } from "./i18n";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);

describe("history with old and new values", () => {
  it("says values in words", () => {
    expect(plainValue(t, null)).toBe("—");
    expect(plainValue(t, [])).toBe("—");
    expect(plainValue(t, [{ a: 1 }, { a: 2 }])).toBe("2 elementos");
    expect(plainValue(t, { es: "Taller", en: "Workshop" })).toBe("Taller");
    expect(caseValue(t, "es", "classification", "trafficking")).toBe("Trata de personas");
    expect(caseValue(t, "es", "route", [{ country: "HN" }, { country: "GT" }])).toBe("Honduras → Guatemala");
    expect(caseFieldLabel(t, "status_history")).toBe("Estado");
    expect(caseFieldLabel(t, "title")).toBe("Título");
  });

  it("lists each change with who, the field, and old → new", () => {
    const el = document.createElement("div");
    render(
      <ChangeList
        t={t}
        id="x"
        label={(f) => caseFieldLabel(t, f)}
        show={(f, v) => caseValue(t, "es", f, v)}
        changes={[
          {
            hash: "h1",
            by: "Paso Tecún Umán/ana",
            time: "2026-11-27T10:00:00Z",
            action: "update",
            changes: [{ field: "classification", before: "under_assessment", after: "trafficking" }],
          },
        ]}
      />,
      el,
    );
    const text = el.textContent ?? "";
    expect(text).toContain("Paso Tecún Umán/ana");
    expect(text).toContain("modificación");
    expect(el.querySelector("del")?.textContent).toBe("En evaluación");
    expect(el.querySelector("ins")?.textContent).toBe("Trata de personas");
  });
});

describe("a creation entry reads as what was recorded", () => {
  it("hides internal fields and fields that stayed empty, and says booleans and audiences in words", () => {
    expect(plainValue(t, true)).toBe("Sí");
    expect(plainValue(t, {})).toBe("—");
    expect(caseValue(t, "es", "audience", { scope: "bilateral", countries: ["HN"] })).toBe(`${t("audience-bilateral")} (Honduras)`);
    expect(caseValue(t, "es", "persons", [{ pseudonym: "V1" }, { pseudonym: "S1" }])).toBe("V1, S1");
    const el = document.createElement("div");
    render(
      <ChangeList
        t={t}
        id="h"
        label={(f) => f}
        hide={(f) => f === "id"}
        changes={[
          {
            hash: "a",
            time: "2026-11-27T10:00:00Z",
            by: "Fiscalía",
            action: "create",
            changes: [
              { field: "id", before: null, after: "x" },
              { field: "links", before: null, after: [] },
              { field: "title", before: null, after: "Caso" },
            ],
          },
        ] as never}
      />,
      el,
    );
    const fields = [...el.querySelectorAll(".field")].map((f) => f.textContent);
    expect(fields).toEqual(["title"]);
  });
});
