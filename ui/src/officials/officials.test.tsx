import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { hasKey, translate } from "../i18n";
import type { OfficialView } from "../bindings/OfficialView";
import type { Session } from "../bindings/Session";
import { SessionContext } from "../session";

const calls: Array<[string, unknown[]]> = [];
let list: OfficialView[] = [];
let failAdd: { code: string; message: string; issues: [] } | null = null;

vi.mock("../api", () => {
  const rec =
    (name: string, result: () => unknown = () => undefined) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      return Promise.resolve(result());
    };
  return {
    api: {
      officials: rec("officials", () => list),
      addOfficial: (...args: unknown[]) => {
        calls.push(["addOfficial", args]);
        if (failAdd) return Promise.reject(failAdd);
        const [name, role] = args as [string, OfficialView["role"]];
        return Promise.resolve({ id: "o9", name, role, created_at: "2026-03-01T10:00:00Z", created_by: "Tecún Umán/admin", can_log_in: true, first: false });
      },
      setOfficialRole: rec("setOfficialRole"),
      removeOfficial: rec("removeOfficial"),
      resetPassphrase: rec("resetPassphrase"),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { AddOfficial, addFormError } from "./add-official";
import { Officials } from "./officials";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));
const settle = async () => {
  for (let i = 0; i < 2; i++) {
    await act(async () => {
      await tick();
    });
  }
};
async function type(el: Element | null, value: string) {
  await act(async () => {
    const input = el as HTMLInputElement | HTMLSelectElement;
    input.value = value;
    input.dispatchEvent(new Event(input.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
  });
}
async function submit(form: Element | null) {
  await act(async () => {
    form?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  });
  await settle();
}

const admin: Session = { id: "o1", name: "admin", role: "administrator", permissions: ["manage_officials"], first: true };

describe("adding an official", () => {
  beforeEach(() => {
    calls.length = 0;
    failAdd = null;
  });

  it("checks the form before sending: a name, a role, the passphrase twice the same", () => {
    const ok = { name: "José Núñez Ávila", role: "prosecutor" as const, pass: "una frase larga", pass2: "una frase larga" };
    expect(addFormError(ok)).toBeNull();
    expect(addFormError({ ...ok, name: "  " })).toBe("ui-official-name-needed");
    expect(addFormError({ ...ok, role: "" })).toBe("ui-official-role-needed");
    expect(addFormError({ ...ok, pass2: "una frase larg" })).toBe("err-passphrase-mismatch");
    for (const k of ["ui-official-name-needed", "ui-official-role-needed", "err-passphrase-mismatch"]) {
      expect(hasKey("es", k) && hasKey("en", k), k).toBe(true);
    }
  });

  it("passphrases that differ are refused on screen; nothing is sent", async () => {
    const el = document.createElement("div");
    await act(async () => render(<AddOfficial t={t} onAdded={() => calls.push(["added", []])} />, el));
    await type(el.querySelector("#official-add-name"), "José Núñez Ávila");
    await type(el.querySelector("#official-add-role"), "prosecutor");
    await type(el.querySelector("#official-add-pass"), "una frase larga");
    await type(el.querySelector("#official-add-pass2"), "una frase larga.");
    await submit(el.querySelector("#official-add-form"));
    expect(el.querySelector("#official-add-error")?.textContent).toBe("Las dos frases de acceso no coinciden.");
    expect(calls.some(([n]) => n === "addOfficial")).toBe(false);
  });

  it("matching passphrases: the official is added with the name as typed (accents kept) and the role chosen", async () => {
    const el = document.createElement("div");
    await act(async () => render(<AddOfficial t={t} onAdded={() => calls.push(["added", []])} />, el));
    const roles = [...(el.querySelector("#official-add-role") as HTMLSelectElement).options].map((o) => o.value);
    expect(roles).toEqual(["", "border_officer", "police_investigator", "prosecutor", "ngo_case_worker", "coordinator", "analyst", "administrator"]);
    await type(el.querySelector("#official-add-name"), " José Núñez Ávila ");
    await type(el.querySelector("#official-add-role"), "prosecutor");
    await type(el.querySelector("#official-add-pass"), "una frase larga");
    await type(el.querySelector("#official-add-pass2"), "una frase larga");
    await submit(el.querySelector("#official-add-form"));
    expect(calls.find(([n]) => n === "addOfficial")?.[1]).toEqual(["José Núñez Ávila", "prosecutor", "una frase larga"]);
    expect(calls.some(([n]) => n === "added")).toBe(true);
    expect(el.querySelector("#official-add-done")?.textContent).toBe("José Núñez Ávila dado de alta como Fiscal.");
    expect((el.querySelector("#official-add-pass") as HTMLInputElement).value).toBe("");
  });

  it("what the core refuses (a short passphrase) is shown as it says", async () => {
    failAdd = { code: "invalid_input", message: "La frase de acceso debe tener al menos 8 caracteres.", issues: [] };
    const el = document.createElement("div");
    await act(async () => render(<AddOfficial t={t} onAdded={() => undefined} />, el));
    await type(el.querySelector("#official-add-name"), "Ana");
    await type(el.querySelector("#official-add-role"), "analyst");
    await type(el.querySelector("#official-add-pass"), "corta");
    await type(el.querySelector("#official-add-pass2"), "corta");
    await submit(el.querySelector("#official-add-form"));
    expect(el.querySelector("#official-add-error")?.textContent).toBe("La frase de acceso debe tener al menos 8 caracteres.");
  });
});

describe("the officials list", () => {
  beforeEach(() => {
    calls.length = 0;
    list = [
      { id: "o1", name: "admin", role: "administrator", created_at: "2026-01-01T09:00:00Z", created_by: "init", can_log_in: true, first: true },
      { id: "o2", name: "José Núñez Ávila", role: "police_investigator", created_at: "2026-01-02T09:00:00Z", created_by: "Tecún Umán/admin", can_log_in: true, first: false },
      { id: "o3", name: "Beatriz", role: "analyst", created_at: "2026-01-03T09:00:00Z", created_by: "Tecún Umán/admin", removed_at: "2026-02-01T09:00:00Z", can_log_in: false, first: false },
    ];
  });

  async function show() {
    const el = document.createElement("div");
    await act(async () =>
      render(
        <SessionContext.Provider value={admin}>
          <Officials t={t} visible={true} />
        </SessionContext.Provider>,
        el,
      ),
    );
    await settle();
    return el;
  }
  const row = (el: Element, name: string) => el.querySelector(`.official-row[data-name="${name}"]`) as HTMLElement;

  it("shows each official's role in words and state; the first administrator and oneself keep their role", async () => {
    const el = await show();
    expect(row(el, "admin").textContent).toContain("Primer administrador");
    expect(row(el, "admin").textContent).toContain("(usted)");
    expect(row(el, "admin").querySelector("select")).toBeNull();
    expect(row(el, "admin").querySelector(".official-remove")).toBeNull();
    expect(row(el, "Beatriz").textContent).toContain("Dado de baja");
    expect(row(el, "Beatriz").querySelector(".official-reset")).toBeNull();
    const select = row(el, "José Núñez Ávila").querySelector("select") as HTMLSelectElement;
    expect(select.value).toBe("police_investigator");
    await type(select, "prosecutor");
    await settle();
    expect(calls.find(([n]) => n === "setOfficialRole")?.[1]).toEqual(["José Núñez Ávila", "prosecutor"]);
  });

  it("removal asks first, saying their passphrase stops working and what they did stays", async () => {
    const el = await show();
    await act(async () => (row(el, "José Núñez Ávila").querySelector(".official-remove") as HTMLButtonElement).click());
    const text = el.querySelector("#official-remove-text")?.textContent ?? "";
    expect(text).toContain("ya no abrirá la base de datos");
    expect(text).toContain("sigue registrado a su nombre");
    expect(calls.some(([n]) => n === "removeOfficial")).toBe(false);
    await act(async () => (el.querySelector("#official-remove-confirm") as HTMLButtonElement).click());
    await settle();
    expect(calls.find(([n]) => n === "removeOfficial")?.[1]).toEqual(["José Núñez Ávila"]);
    expect(calls.filter(([n]) => n === "officials").length).toBe(2);
  });

  it("a new passphrase for a forgotten one: typed twice, the same", async () => {
    const el = await show();
    await act(async () => (row(el, "José Núñez Ávila").querySelector(".official-reset") as HTMLButtonElement).click());
    await type(el.querySelector("#official-reset-pass"), "otra frase larga");
    await type(el.querySelector("#official-reset-pass2"), "otra frase");
    await submit(el.querySelector("#official-reset-dialog form"));
    expect(el.querySelector("#official-reset-error")?.textContent).toBe("Las dos frases de acceso no coinciden.");
    await type(el.querySelector("#official-reset-pass2"), "otra frase larga");
    await submit(el.querySelector("#official-reset-dialog form"));
    expect(calls.find(([n]) => n === "resetPassphrase")?.[1]).toEqual(["José Núñez Ávila", "otra frase larga"]);
    expect(el.querySelector("#official-reset-dialog")).toBeNull();
    expect(row(el, "José Núñez Ávila").textContent).toContain("tiene una frase de acceso nueva");
  });
});
