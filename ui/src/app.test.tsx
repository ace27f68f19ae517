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
  },
  asIpcError: (e: unknown) => e,
}));
// The screens themselves are tested on their own: here, a case on screen.
vi.mock("./case-list/case-list", async () => {
  const { h } = await import("preact");
  return { Cases: () => h("p", { id: "case-content" }, "V1: José Núñez Ávila") };
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
