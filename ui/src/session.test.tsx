import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it, vi } from "vitest";
import type { Session } from "./bindings/Session";
import { hasKey, labelKey, translate } from "./i18n";

vi.mock("./api", () => ({ api: { openExport: () => Promise.resolve() }, asIpcError: (e: unknown) => e }));

import { ExportButtons } from "./exports";
import { ROLES, SessionContext, can, roleLabel } from "./session";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const analyst: Session = { id: "o2", name: "Ana", role: "analyst", permissions: ["export", "exact_statistics"], first: false };
const officer: Session = { id: "o3", name: "José", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };

describe("the session's permissions", () => {
  it("a role may what its permissions list; no session known leaves it to the core", () => {
    expect(can(analyst, "export")).toBe(true);
    expect(can(analyst, "edit_cases")).toBe(false);
    expect(can(officer, "export")).toBe(false);
    expect(can(null, "manage_officials")).toBe(true);
  });

  it("every role has its words in both languages", () => {
    expect(ROLES.length).toBe(7);
    for (const r of ROLES) for (const l of ["es", "en"] as const) expect(hasKey(l, labelKey("role", r)), `${l} ${r}`).toBe(true);
    expect(roleLabel(t, "prosecutor")).toBe("Fiscal");
  });

  it("export buttons are not offered to a role that may not export", async () => {
    const el = document.createElement("div");
    const show = (s: Session) =>
      act(async () =>
        render(
          <SessionContext.Provider value={s}>
            <ExportButtons t={t} doneId="x-done" actions={[{ id: "x-export", label: "Exportar", open: false, run: () => Promise.resolve({ path: "/tmp/x", bytes: 1 }) }]} />
          </SessionContext.Provider>,
          el,
        ),
      );
    await show(officer);
    expect(el.querySelector("#x-export")).toBeNull();
    await show(analyst);
    expect(el.querySelector("#x-export")).not.toBeNull();
  });
});
