import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "../i18n";

const calls: Array<[string, unknown[]]> = [];
vi.mock("../api", () => ({
  api: {
    unlock: (...args: unknown[]) => (calls.push(["unlock", args]), Promise.resolve({})),
    createDatabase: (...args: unknown[]) => (calls.push(["createDatabase", args]), Promise.resolve({})),
    onProgress: () => Promise.resolve(() => undefined),
  },
  asIpcError: (e: unknown) => e,
}));

import { Setup } from "./setup";
import { Unlock } from "./unlock";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));
async function type(el: Element | null, value: string) {
  await act(async () => {
    const input = el as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
async function submit(form: Element | null) {
  await act(async () => {
    form?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await tick();
  });
}

describe("starting as an official", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("unlock offers the last official and sends their name with the passphrase", async () => {
    const el = document.createElement("div");
    await act(async () => render(<Unlock t={t} official="José Núñez Ávila" onDone={() => calls.push(["done", []])} />, el));
    expect((el.querySelector("#unlock-official") as HTMLInputElement).value).toBe("José Núñez Ávila");
    expect(el.querySelector("label[for=unlock-official]")?.textContent).toBe("Funcionario");
    await type(el.querySelector("#unlock-pass"), "una frase larga");
    await submit(el.querySelector("#unlock-form"));
    expect(calls[0]).toEqual(["unlock", ["una frase larga", "José Núñez Ávila"]]);
    expect(calls.some(([n]) => n === "done")).toBe(true);
  });

  it("the first start names the administrator, admin unless changed", async () => {
    const el = document.createElement("div");
    await act(async () => render(<Setup t={t} lang="es" onDone={() => undefined} />, el));
    expect((el.querySelector("#setup-admin") as HTMLInputElement).value).toBe("admin");
    await type(el.querySelector("#setup-node-name"), "Tecún Umán");
    await type(el.querySelector("#setup-admin"), "Ana Núñez");
    await type(el.querySelector("#setup-pass"), "una frase larga");
    await type(el.querySelector("#setup-pass2"), "una frase larga");
    await submit(el.querySelector("#setup-form"));
    const request = calls.find(([n]) => n === "createDatabase")?.[1][0] as Record<string, unknown>;
    expect(request).toMatchObject({ node_name: "Tecún Umán", admin_name: "Ana Núñez", passphrase: "una frase larga" });
    // An office unless chosen otherwise.
    expect(request.node_role).toBe("office");
  });

  it("the first start sets the node's place in its country, with what a border post receives", async () => {
    const el = document.createElement("div");
    await act(async () => render(<Setup t={t} lang="es" onDone={() => undefined} />, el));
    expect(el.querySelector("label[for=setup-node-role]")?.textContent).toBe("Lugar de este nodo en el país");
    expect(el.querySelector("#setup-node-role-hint")?.textContent).toContain("Un puesto fronterizo o una ONG recibe solo las identidades que registra o que se comparten con él");
    const role = el.querySelector("#setup-node-role") as HTMLSelectElement;
    expect(role.value).toBe("office");
    await act(async () => {
      role.value = "border_post";
      role.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await type(el.querySelector("#setup-node-name"), "Puesto Tecún Umán");
    await type(el.querySelector("#setup-pass"), "una frase larga");
    await type(el.querySelector("#setup-pass2"), "una frase larga");
    await submit(el.querySelector("#setup-form"));
    const request = calls.find(([n]) => n === "createDatabase")?.[1][0] as Record<string, unknown>;
    expect(request).toMatchObject({ node_name: "Puesto Tecún Umán", node_role: "border_post" });
  });
});
