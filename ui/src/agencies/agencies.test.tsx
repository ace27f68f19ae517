// The directory of agencies: searched as typed, filtered by country and
// service; each entry with its kind, place, services, reliability, contacts
// and the focal point's mark; this country's entries added and corrected by
// a role that may change cases, the core's issues beside their fields.
import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Agency } from "../bindings/Agency";
import type { AgencySaved } from "../bindings/AgencySaved";
import type { IpcError } from "../bindings/IpcError";
import type { Permission } from "../bindings/Permission";
import type { Session } from "../bindings/Session";
import { translate } from "../i18n";
import { SessionContext } from "../session";

const calls: Array<[string, unknown[]]> = [];
let directory: Agency[] = [];
let saved: AgencySaved | IpcError;
vi.mock("../api", () => {
  const reply =
    (name: string, result: () => unknown) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      const r = result();
      return r && typeof r === "object" && "code" in r ? Promise.reject(r) : Promise.resolve(r);
    };
  return {
    api: {
      agencies: reply("agencies", () => directory),
      agencyAdd: reply("agencyAdd", () => saved),
      agencyUpdate: reply("agencyUpdate", () => saved),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { Agencies, agencyFilter, contactLine } from "./agencies";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

const ours: Agency = {
  id: "a1",
  name: "Procuraduría General de la Nación — Unidad de Niñez (ficticia)",
  kind: "government",
  country: "GT",
  city: "Ciudad de Guatemala",
  services: ["legal_aid", "shelter"],
  contacts: [{ id: "k1", name: "Lcda. María José Núñez Ávila", function: "Punto focal", phone: "+502 2200 0000" }],
  hours: "24 horas",
  languages: ["español", "K'iche'"],
  reliability: "A",
  focal_point: true,
  notes: "",
  owner: { country: "GT", node: "K7M3Q" },
  audience: { scope: "regional" },
  demo: true,
};
const theirs: Agency = { ...ours, id: "a2", name: "Casa Refugio Ñeembucú (ficticia)", kind: "ngo", country: "HN", city: "San Pedro Sula", focal_point: false, demo: false, contacts: [], languages: [], hours: "" };

const session = (permissions: Permission[]): Session => ({ id: "o1", name: "Ana", role: "coordinator", permissions, first: false });

async function show(permissions: Permission[] = ["edit_cases"]) {
  const el = document.createElement("div");
  document.body.appendChild(el);
  await act(async () => {
    render(
      <SessionContext.Provider value={session(permissions)}>
        <Agencies t={t} lang="es" ownCountry="GT" />
      </SessionContext.Provider>,
      el,
    );
  });
  await act(async () => {
    await tick();
  });
  return el;
}
const click = async (el: Element | null | undefined) =>
  act(async () => {
    (el as HTMLElement).click();
    await tick();
  });
const pick = async (el: HTMLElement, selector: string, value: string, event = "change") =>
  act(async () => {
    const f = el.querySelector(selector) as HTMLInputElement;
    f.value = value;
    f.dispatchEvent(new Event(event, { bubbles: true }));
    await tick();
  });
const send = async (el: HTMLElement) =>
  act(async () => {
    el.querySelector("#agency-form")?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await tick();
  });

describe("the directory of agencies", () => {
  beforeEach(() => {
    calls.length = 0;
    directory = [ours, theirs];
    document.body.innerHTML = "";
  });

  it("asks only for what is chosen", () => {
    expect(agencyFilter("  ", "", "")).toEqual({});
    expect(agencyFilter(" núñez ", "HN", "shelter")).toEqual({ query: "núñez", country: "HN", service: "shelter" });
    expect(contactLine({ name: "Ana", phone: " ", email: "ana@example.org" })).toBe("Ana · ana@example.org");
  });

  it("shows each entry: kind, place, services, reliability, contacts, languages; the focal point and demonstration marked", async () => {
    const el = await show();
    expect(calls).toEqual([["agencies", [{}]]]);
    expect(el.querySelector("#agency-count")?.textContent).toContain("2");
    const rows = [...el.querySelectorAll('[data-testid="agency-row"]')] as HTMLElement[];
    expect(rows.map((r) => r.dataset.id)).toEqual(["a1", "a2"]);
    expect(rows[0].querySelector(".agency-where")?.textContent).toBe("Institución de gobierno · Ciudad de Guatemala, Guatemala");
    expect([...rows[0].querySelectorAll(".agency-services li")].map((l) => l.textContent)).toEqual(["Albergue", "Asistencia jurídica"]);
    expect(rows[0].querySelector('[data-testid="agency-focal"]')).not.toBeNull();
    expect(rows[0].querySelector('[data-testid="agency-demo"]')?.textContent).toBe("(demostración)");
    expect(rows[0].querySelector('[data-field="contacts"] li')?.textContent).toBe("Lcda. María José Núñez Ávila · Punto focal · +502 2200 0000");
    expect(rows[0].querySelector('[data-field="languages"] dd')?.textContent).toBe("español, K'iche'");
    expect(rows[0].querySelector('[data-field="reliability"] dd')?.textContent).toBe("A — Completamente confiable");
    expect(rows[1].querySelector('[data-testid="agency-focal"]')).toBeNull();
    expect(rows[1].querySelector('[data-field="contacts"]')).toBeNull();
    // Only this country's entries may be corrected here.
    expect(rows[0].querySelector('[data-testid="agency-edit"]')).not.toBeNull();
    expect(rows[1].querySelector('[data-testid="agency-edit"]')).toBeNull();
  });

  it("searches as typed and filters by country and service; says when nothing matches", async () => {
    const el = await show();
    directory = [];
    await pick(el, '[data-testid="agency-search"]', "nunez", "input");
    await pick(el, '[data-testid="agency-country"]', "HN");
    await pick(el, '[data-testid="agency-service"]', "shelter");
    expect(calls.map(([, a]) => a[0])).toEqual([{}, { query: "nunez" }, { query: "nunez", country: "HN" }, { query: "nunez", country: "HN", service: "shelter" }]);
    expect(el.querySelector("#agency-none")?.textContent).toBe("Ninguna institución del directorio coincide.");
    expect(el.querySelector('[data-testid="agency-row"]')).toBeNull();
  });

  it("adds an agency of this country: a name first, then what the core says beside the field it names", async () => {
    const el = await show();
    await click(el.querySelector('[data-testid="agency-add"]'));
    expect(el.querySelector("#agency-form-title")?.textContent).toBe("Nueva institución de Guatemala");
    await send(el);
    expect(calls.some(([n]) => n === "agencyAdd")).toBe(false);
    expect(el.querySelector('.field-error[data-path="name"]')?.textContent).toBe("Nombre: este texto es obligatorio.");

    saved = { code: "invalid", message: "La institución tiene datos que corregir.", issues: [{ path: "services", code: "val-agency-no-services", severity: "error", args: [] }] } as unknown as IpcError;
    await pick(el, '[data-testid="agency-name"]', " Albergue Casa Alba (ficticio) ", "input");
    await pick(el, '[data-testid="agency-kind"]', "ngo");
    await send(el);
    expect(el.querySelector('.field-error[data-path="services"]')?.textContent).toBe("Servicios: la institución no ofrece ningún servicio; indique cuáles ofrece.");
    expect(el.querySelector('[data-testid="agency-error"]')?.textContent).toBe("La institución tiene datos que corregir.");

    const added: Agency = { ...theirs, id: "a3", name: "Albergue Casa Alba (ficticio)", country: "GT" };
    saved = { agency: added, issues: [] };
    directory = [ours, added];
    await click(el.querySelector('[data-testid="agency-service-shelter"]'));
    await pick(el, '[data-testid="agency-languages"]', "español, , garífuna", "input");
    await pick(el, '[data-testid="agency-contact-name"]', "José Núñez Ávila", "input");
    await send(el);
    const adds = calls.filter(([n]) => n === "agencyAdd");
    expect(adds).toHaveLength(2);
    expect(adds[1][1][0]).toEqual({
      name: "Albergue Casa Alba (ficticio)",
      kind: "ngo",
      city: "",
      services: ["shelter"],
      contacts: [{ name: "José Núñez Ávila" }],
      hours: "",
      languages: ["español", "garífuna"],
      reliability: "B",
      focal_point: false,
      notes: "",
    });
    expect(el.querySelector("#agency-form")).toBeNull();
    expect(el.querySelector("#agency-done")?.textContent).toContain("Albergue Casa Alba (ficticio) se añadió al directorio");
    expect([...el.querySelectorAll('[data-testid="agency-row"]')].map((r) => (r as HTMLElement).dataset.id)).toEqual(["a1", "a3"]);
  });

  it("corrects this country's entry as a patch of the form, its contacts keeping their identity", async () => {
    saved = { agency: { ...ours, hours: "Lunes a viernes" }, issues: [] };
    const el = await show();
    await click(el.querySelector('[data-testid="agency-edit"]'));
    expect((el.querySelector('[data-testid="agency-name"]') as HTMLInputElement).value).toBe(ours.name);
    await pick(el, '[data-testid="agency-hours"]', "Lunes a viernes", "input");
    await send(el);
    const [[, [id, patch]]] = calls.filter(([n]) => n === "agencyUpdate") as Array<[string, [string, Record<string, unknown>]]>;
    expect(id).toBe("a1");
    expect(patch.hours).toBe("Lunes a viernes");
    expect(patch.contacts).toEqual([{ id: "k1", name: "Lcda. María José Núñez Ávila", function: "Punto focal", phone: "+502 2200 0000" }]);
    expect(patch.focal_point).toBe(true);
    expect(el.querySelector("#agency-done")?.textContent).toContain("Cambios de");
  });

  it("a role that may not change cases reads the directory and is offered no changes", async () => {
    const el = await show([]);
    expect(el.querySelectorAll('[data-testid="agency-row"]')).toHaveLength(2);
    expect(el.querySelector('[data-testid="agency-add"]')).toBeNull();
    expect(el.querySelector('[data-testid="agency-edit"]')).toBeNull();
  });
});
