// The app shell with the screens stubbed: the idle lock (the case on
// screen leaves the DOM, the node is locked, the unlock screen offers the
// same official), the manual lock, and the tabs a role opens.
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Session } from "./bindings/Session";
import type { StartupState } from "./bindings/StartupState";

const calls: string[] = [];
let unlocked = true;
// What risks_due answers: the reviews due, or a refusal.
let due: unknown[] | { code: string; message: string } = [];
let session: Session;
const IDLE = 60;

const startup = (): StartupState => ({
  initialised: true,
  unlocked,
  data_dir: "/home/ana/.local/share/enlace",
  lang: "es",
  idle_seconds: IDLE,
  last_official: session.name,
  ...(unlocked ? { node: { name: "Tecún Umán", country: "GT", node_id: "n1", public_key: "ab" } as never, session } : {}),
});

vi.mock("./api", () => ({
  api: {
    startupState: () => Promise.resolve(startup()),
    lock: () => {
      calls.push("lock");
      unlocked = false;
      return Promise.resolve();
    },
    setLanguage: () => Promise.resolve(),
    syncPanel: () => new Promise(() => undefined),
    onSyncFinished: () => Promise.resolve(() => undefined),
    onSyncProgress: () => Promise.resolve(() => undefined),
    risksDue: () => (Array.isArray(due) ? Promise.resolve(due) : Promise.reject(due)),
    requests: () => Promise.resolve([]),
  },
  asIpcError: (e: unknown) => e,
}));
// The screens themselves are tested on their own: here, a case on screen
// (and the one another tab asked to open).
vi.mock("./case-list/case-list", async () => {
  const { h } = await import("preact");
  return { Cases: ({ open }: { open?: { id: string } | null }) => h("p", { id: "case-content", "data-open": open?.id ?? "" }, "V1: José Núñez Ávila") };
});

import { App } from "./app";

let root: HTMLElement;
async function pass(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}
async function start() {
  await act(async () => {
    render(<App />, root);
  });
  await pass(0);
}

const admin: Session = {
  id: "o1",
  name: "admin",
  role: "administrator",
  permissions: ["see_identities", "see_risk_assessments", "edit_cases", "edit_tasks", "edit_assessments", "export", "print_identities", "manage_peers", "grant", "manage_officials", "view_audit", "exact_statistics"],
  first: true,
};
const officer: Session = { id: "o2", name: "José Núñez Ávila", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };

describe("the idle lock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    calls.length = 0;
    unlocked = true;
    session = officer;
    root = document.createElement("div");
    document.body.appendChild(root);
  });
  afterEach(async () => {
    await act(async () => render(null, root));
    root.remove();
    vi.useRealTimers();
  });

  it("locks after the delay without input: the case leaves the DOM and the unlock screen offers the same official", async () => {
    await start();
    expect(root.querySelector("#case-content")).not.toBeNull();
    expect(root.querySelector("#session-official")?.textContent).toContain("José Núñez Ávila");
    expect(root.querySelector("#session-official")?.textContent).toContain("Oficial de frontera o migración");
    await pass((IDLE - 1) * 1000);
    expect(calls).toEqual([]);
    // The screens leave first, the node locks right after.
    await pass(1000);
    await pass(10);
    expect(calls).toEqual(["lock"]);
    expect(root.querySelector("#case-content")).toBeNull();
    expect(root.innerHTML).not.toContain("V1: José");
    expect(root.querySelector("#unlock-form")).not.toBeNull();
    expect((root.querySelector("#unlock-official") as HTMLInputElement).value).toBe("José Núñez Ávila");
    expect(root.querySelector("#unlock-notice")?.textContent).toContain("1 min");
  });

  it("input resets the delay: keys, mouse, wheel and touch", async () => {
    await start();
    for (const kind of ["keydown", "mousedown", "mousemove", "wheel", "touchstart"]) {
      await pass((IDLE - 10) * 1000);
      window.dispatchEvent(new Event(kind));
    }
    await pass((IDLE - 10) * 1000);
    expect(calls).toEqual([]);
    expect(root.querySelector("#case-content")).not.toBeNull();
    await pass(10 * 1000);
    await pass(10);
    expect(calls).toEqual(["lock"]);
    expect(root.querySelector("#case-content")).toBeNull();
  });

  it("the lock button locks at once, and no timer runs while locked", async () => {
    await start();
    await act(async () => (root.querySelector("#lock") as HTMLButtonElement).click());
    expect(root.querySelector("#case-content")).toBeNull();
    await pass(10);
    expect(calls).toEqual(["lock"]);
    expect(root.querySelector("#unlock-notice")).toBeNull();
    await pass(10 * IDLE * 1000);
    expect(calls).toEqual(["lock"]);
  });
});

describe("the tabs a role opens", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    unlocked = true;
    root = document.createElement("div");
    document.body.appendChild(root);
  });
  afterEach(async () => {
    await act(async () => render(null, root));
    root.remove();
    vi.useRealTimers();
  });

  it("officials and audit only for the roles that may", async () => {
    session = officer;
    await start();
    expect(root.querySelector("#officials-tab")).toBeNull();
    expect(root.querySelector("#audit-tab")).toBeNull();
    await act(async () => render(null, root));
    session = admin;
    await start();
    expect(root.querySelector("#officials-tab")?.textContent).toBe("Funcionarios");
    expect(root.querySelector("#audit-tab")?.textContent).toBe("Auditoría");
  });
});

describe("the reviews due", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    unlocked = true;
    due = [
      { case_id: "c7", reference: "GT-K7M3Q-2026-0007", pseudonym: "V1", levels: ["critical"], next_review: "2026-11-27", review: "overdue", concurrent: false, days_overdue: 9 },
    ];
    root = document.createElement("div");
    document.body.appendChild(root);
  });
  afterEach(async () => {
    await act(async () => render(null, root));
    root.remove();
    vi.useRealTimers();
  });
  const analyst: Session = { id: "o3", name: "Ana Analista", role: "analyst", permissions: ["export", "exact_statistics"], first: false };

  it("are a tab for roles that may see risk assessments, and a row opens its case in the cases tab", async () => {
    session = analyst;
    await start();
    expect(root.querySelector("#reviews-tab")).toBeNull();
    await act(async () => render(null, root));
    session = officer;
    await start();
    const tab = root.querySelector("#reviews-tab") as HTMLButtonElement;
    expect(tab.textContent).toBe("Revisiones pendientes");
    await act(async () => tab.click());
    await pass(0);
    expect(tab.getAttribute("aria-selected")).toBe("true");
    const row = root.querySelector('[data-testid="review-row"]') as HTMLElement;
    expect(row.textContent).toContain("GT-K7M3Q-2026-0007");
    await act(async () => row.click());
    expect((root.querySelector("#tab-cases") as HTMLElement).getAttribute("aria-selected")).toBe("true");
    expect(root.querySelector("#case-content")?.getAttribute("data-open")).toBe("c7");
    expect((root.querySelector("#reviews") as HTMLElement).closest(".section")?.hasAttribute("hidden")).toBe(true);
  });

  it("the tab is withdrawn when the core refuses the reviews to the official", async () => {
    session = officer;
    due = { code: "forbidden", message: "Su función no permite ver evaluaciones de riesgo." };
    await start();
    await act(async () => (root.querySelector("#reviews-tab") as HTMLButtonElement).click());
    await pass(0);
    expect(root.querySelector("#reviews-tab")).toBeNull();
    expect(root.querySelector("#reviews")).toBeNull();
    expect((root.querySelector("#tab-cases") as HTMLElement).getAttribute("aria-selected")).toBe("true");
  });
});
