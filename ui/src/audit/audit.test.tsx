import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { hasKey, translate } from "../i18n";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { AuditVerified } from "../bindings/AuditVerified";

const calls: Array<[string, unknown[]]> = [];
let verified: AuditVerified;
let entries: AuditEntry[] = [];

vi.mock("../api", () => {
  const rec =
    (name: string, result: () => unknown = () => undefined) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      return Promise.resolve(result());
    };
  return {
    api: {
      auditVerify: rec("auditVerify", () => verified),
      auditList: rec("auditList", () => entries),
      exportAuditLog: rec("exportAuditLog", () => ({ path: "/home/ana/enlace-exports/audit-20260301.jsonl", bytes: 900 })),
      openExport: rec("openExport"),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { ACTION_PREFIXES, Audit, actionLabelKey } from "./audit";
import { AuditStatus } from "./audit-status";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Lets effects run and their answers render. */
const settle = async () => {
  for (let i = 0; i < 2; i++) {
    await act(async () => {
      await tick();
    });
  }
};
const DIR = "/home/ana/.local/share/enlace";

function status(v: AuditVerified | null) {
  const el = document.createElement("div");
  render(<AuditStatus t={t} verified={v} dataDir={DIR} />, el);
  return el.querySelector("#audit-status") as HTMLElement;
}

describe("the audit log's verification", () => {
  it("a whole chain: green, with the number of entries", () => {
    const s = status({ entries: 1234, head: "ab12", peers: [] });
    expect(s.dataset.state).toBe("ok");
    expect(s.className).toContain("audit-ok");
    expect(s.getAttribute("role")).toBe("status");
    expect(s.textContent).toContain("Registro íntegro: 1234 entradas");
  });

  it("a broken chain: an alert naming the entry and saying what to do", () => {
    const s = status({ entries: 1234, broken_at: 57, head: "ab12", peers: [] });
    expect(s.dataset.state).toBe("broken");
    expect(s.getAttribute("role")).toBe("alert");
    expect(s.className).toContain("audit-broken");
    expect(s.textContent).toContain("entrada 57");
    expect(s.textContent).toContain("coordinador");
    expect(s.textContent).toContain(DIR);
    expect(s.textContent).not.toContain("íntegro");
  });

  it("the first entry broken is still named (0 is not 'whole')", () => {
    const s = status({ entries: 3, broken_at: 0, head: "", peers: [] });
    expect(s.dataset.state).toBe("broken");
    expect(s.textContent).toContain("entrada 0");
  });

  it("names a peer whose own log was found cut or rewritten, also when this one is whole", () => {
    const el = document.createElement("div");
    const v: AuditVerified = {
      entries: 10,
      head: "ab12",
      peers: [
        { peer: "NTF Guatemala", alarm: { at: "2026-03-01T10:00:00Z", kind: "rewritten", seq: 41 } },
        { peer: "Aduana Corinto", alarm: { at: "2026-03-02T10:00:00Z", kind: "cut", seq: 7 } },
      ],
    };
    render(<AuditStatus t={t} verified={v} dataDir={DIR} />, el);
    expect(el.querySelector("#audit-status")?.getAttribute("data-state")).toBe("ok");
    const items = [...el.querySelectorAll("#audit-peers li")];
    expect(items.map((i) => i.getAttribute("data-peer"))).toEqual(["NTF Guatemala", "Aduana Corinto"]);
    expect(items[0].textContent).toContain("reescrito");
    expect(items[0].textContent).toContain("41");
    expect(items[1].textContent).toContain("recortado");
  });

  it("says it is checking until the answer comes", () => {
    expect(status(null).dataset.state).toBe("checking");
  });

  it("every kind of action has its words in both languages", () => {
    for (const p of ACTION_PREFIXES) {
      expect(hasKey("es", actionLabelKey(p)), p).toBe(true);
      expect(hasKey("en", actionLabelKey(p)), p).toBe(true);
    }
    expect(actionLabelKey("official.")).toBe("ui-audit-action-official");
  });
});

describe("the audit tab", () => {
  beforeEach(() => {
    calls.length = 0;
    verified = { entries: 2, head: "ff", peers: [] };
    entries = [
      { seq: 2, at: "2026-03-01T10:15:00.000Z", actor: "Tecún Umán/José Núñez Ávila", action: "person.view", subject: "GT-2026-0001 V1", detail: "", prev: "aa", hash: "ff" },
      { seq: 1, at: "2026-03-01T10:00:00.000Z", actor: "Tecún Umán/José Núñez Ávila", action: "login", subject: "José Núñez Ávila", detail: "police_investigator", prev: "", hash: "aa" },
    ];
  });

  it("verifies, lists newest first, and filters by kind of action", async () => {
    const el = document.createElement("div");
    await act(async () => {
      render(<Audit t={t} dataDir={DIR} visible={true} />, el);
    });
    await settle();
    expect(el.querySelector("#audit-status")?.textContent).toContain("Registro íntegro: 2 entradas");
    const rows = [...el.querySelectorAll(".audit-row")];
    expect(rows.map((r) => r.getAttribute("data-seq"))).toEqual(["2", "1"]);
    expect(rows[0].textContent).toContain("José Núñez Ávila");
    expect(rows[0].textContent).toContain("person.view");
    const select = el.querySelector("#audit-action") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["", ...ACTION_PREFIXES]);
    await act(async () => {
      select.value = "official.";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await settle();
    const last = calls.filter(([n]) => n === "auditList").pop();
    expect(last?.[1][0]).toEqual({ action: "official.", actor: undefined, limit: 200 });
  });

  it("exports the log as JSON Lines and says where", async () => {
    const el = document.createElement("div");
    await act(async () => {
      render(<Audit t={t} dataDir={DIR} visible={true} />, el);
    });
    await settle();
    await act(async () => {
      (el.querySelector("#audit-export") as HTMLButtonElement).click();
      await tick();
    });
    expect(calls.some(([n]) => n === "exportAuditLog")).toBe(true);
    expect(el.querySelector("#audit-export-done")?.textContent).toContain("audit-20260301.jsonl");
  });
});
