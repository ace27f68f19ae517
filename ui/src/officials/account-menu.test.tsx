import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "../i18n";
import type { Session } from "../bindings/Session";

const calls: Array<[string, unknown[]]> = [];
let wrongCurrent = false;

vi.mock("../api", () => ({
  api: {
    changePassphrase: (...args: unknown[]) => {
      calls.push(["changePassphrase", args]);
      return wrongCurrent ? Promise.reject({ code: "wrong_passphrase", message: "La frase de acceso no es correcta.", issues: [] }) : Promise.resolve();
    },
    setIdleMinutes: (...args: unknown[]) => (calls.push(["setIdleMinutes", args]), Promise.resolve(args[0])),
  },
  asIpcError: (e: unknown) => e,
}));

import { AccountMenu, idleMinutes } from "./account-menu";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));
const session: Session = { id: "o2", name: "José Núñez Ávila", role: "prosecutor", permissions: ["edit_cases"], first: false };

async function type(el: Element | null, value: string, event = "input") {
  await act(async () => {
    const input = el as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event(event, { bubbles: true }));
  });
}
async function show() {
  const el = document.body.appendChild(document.createElement("div"));
  await act(async () => render(<AccountMenu t={t} session={session} idleSeconds={600} onIdleChanged={() => calls.push(["idleChanged", []])} />, el));
  return el;
}
async function changeWith(el: HTMLElement, current: string, next: string, again: string) {
  await type(el.querySelector("#passphrase-current"), current);
  await type(el.querySelector("#passphrase-new"), next);
  await type(el.querySelector("#passphrase-new2"), again);
  await act(async () => {
    el.querySelector("#passphrase-form")?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await tick();
  });
}

describe("the account menu", () => {
  beforeEach(() => {
    calls.length = 0;
    wrongCurrent = false;
    document.body.innerHTML = "";
  });

  it("names the official and their role", async () => {
    const el = await show();
    const who = el.querySelector("#session-official");
    expect(who?.textContent).toContain("José Núñez Ávila");
    expect(who?.textContent).toContain("Fiscal");
    expect(el.querySelector("#idle-minutes-value")?.textContent).toBe("Se bloquea tras 10 min sin actividad.");
  });

  it("changes the passphrase: the new one twice the same, and what the core refuses is said", async () => {
    const el = await show();
    await act(async () => (el.querySelector("#change-passphrase") as HTMLButtonElement).click());
    expect(el.querySelector("#passphrase-dialog")).not.toBeNull();
    await changeWith(el, "la vieja frase", "una frase nueva", "una frase nuev");
    expect(el.querySelector("#passphrase-error")?.textContent).toBe("Las dos frases de acceso no coinciden.");
    expect(calls.some(([n]) => n === "changePassphrase")).toBe(false);
    wrongCurrent = true;
    await changeWith(el, "otra", "una frase nueva", "una frase nueva");
    expect(el.querySelector("#passphrase-error")?.textContent).toBe("La frase de acceso no es correcta.");
    wrongCurrent = false;
    await changeWith(el, "la vieja frase", "una frase nueva", "una frase nueva");
    expect(calls.filter(([n]) => n === "changePassphrase").pop()?.[1]).toEqual(["la vieja frase", "una frase nueva"]);
    expect(el.querySelector("#passphrase-done")).not.toBeNull();
  });

  it("the idle delay is sent in minutes, once", async () => {
    const el = await show();
    const input = el.querySelector("#idle-minutes") as HTMLInputElement;
    expect(input.value).toBe("10");
    await type(input, "15");
    await act(async () => {
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      await tick();
    });
    expect(calls.filter(([n]) => n === "setIdleMinutes")).toEqual([["setIdleMinutes", [15]]]);
    expect(calls.some(([n]) => n === "idleChanged")).toBe(true);
    expect(idleMinutes(5)).toBe(1);
    expect(idleMinutes(1800)).toBe(30);
  });
});
