// Referrals of a case's victims in the case view: each with its agency,
// services, status (overdue marked) and consent; the status changed with a
// note; the form of a new referral (consent by default, the written reason
// without it); the letter's dialog (the identity offered only to a role that
// may print identities). The core refuses what the role may not do anyway.
import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Agency } from "../bindings/Agency";
import type { IpcError } from "../bindings/IpcError";
import type { Permission } from "../bindings/Permission";
import type { ReferralView } from "../bindings/ReferralView";
import type { Session } from "../bindings/Session";
import { translate } from "../i18n";
import { SessionContext } from "../session";

const calls: Array<[string, unknown[]]> = [];
// What each command answers next (a value, or a refusal).
let listed: ReferralView[] | IpcError = [];
let directory: Agency[] = [];
let added: ReferralView | IpcError;
let updated: ReferralView | IpcError;
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
      referrals: reply("referrals", () => listed),
      agencies: reply("agencies", () => directory),
      referralAdd: reply("referralAdd", () => added),
      referralUpdate: reply("referralUpdate", () => updated),
      exportReferralLetter: reply("exportReferralLetter", () => ({ path: "/home/ana/Enlace/exports/carta-de-referencia-GT-K7M3Q-2026-0002-V1.pdf", bytes: 21000 })),
      openExport: reply("openExport", () => undefined),
    },
    asIpcError: (e: unknown) => e,
  };
});

import { ReferralsSection } from "./referrals";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

const shelter: Agency = {
  id: "a1",
  name: "Albergue Casa Alba (ficticio)",
  kind: "ngo",
  country: "GT",
  city: "Quetzaltenango",
  services: ["psychological", "shelter"],
  contacts: [],
  hours: "",
  languages: ["español"],
  reliability: "B",
  focal_point: false,
  notes: "",
  owner: { country: "GT", node: "K7M3Q" },
  audience: { scope: "regional" },
  demo: false,
};
const lawyers: Agency = { ...shelter, id: "a2", name: "Bufete Popular Ñandutí (ficticio)", services: ["legal_aid"], city: "Ciudad de Guatemala" };

const referral = (over: Partial<ReferralView["referral"]>, view: Partial<ReferralView> = {}): ReferralView => ({
  case_id: "c2",
  reference: "GT-K7M3Q-2026-0002",
  pseudonym: "V1",
  agency: shelter,
  overdue: false,
  ...view,
  referral: {
    id: "r1",
    agency: "a1",
    agency_name: "Albergue Casa Alba (ficticio)",
    services: ["shelter", "psychological"],
    reason: "Necesita un lugar seguro",
    consent: true,
    status: "in_progress",
    due: "2026-12-01",
    by: "GT-K7M3Q/José Núñez Ávila",
    at: "2026-11-25T10:00:00Z",
    notes: "",
    ...over,
  },
});

function session(permissions: Permission[]): Session {
  return { id: "o1", name: "José Núñez Ávila", role: "border_officer", permissions, first: false };
}

async function show(permissions: Permission[] = ["edit_cases", "export"], editable = true) {
  const el = document.createElement("div");
  document.body.appendChild(el);
  await act(async () => {
    render(
      <SessionContext.Provider value={session(permissions)}>
        <ReferralsSection t={t} lang="es" caseId="c2" victims={["V1", "V2"]} editable={editable} version={0} />
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
const send = async (el: HTMLElement, selector: string) =>
  act(async () => {
    el.querySelector(selector)?.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
    await tick();
  });

describe("referrals of a case's victims", () => {
  beforeEach(() => {
    calls.length = 0;
    listed = [];
    directory = [shelter, lawyers];
    document.body.innerHTML = "";
  });

  it("lists each referral with its agency, services, consent or the reason without it, and marks an overdue one", async () => {
    listed = [
      referral({}, { overdue: true }),
      referral({ id: "r2", status: "accepted", consent: false, consent_override: "Es menor de edad y corre peligro inminente", due: null }, { pseudonym: "V2", agency: undefined }),
    ];
    const el = await show();
    expect(calls[0]).toEqual(["referrals", ["c2"]]);
    expect(el.querySelector("#referrals-title")?.textContent).toBe("Referencias a servicios");
    const rows = [...el.querySelectorAll('[data-testid="referral-row"]')] as HTMLElement[];
    expect(rows.map((r) => [r.dataset.id, r.dataset.status, r.dataset.pseudonym])).toEqual([
      ["r1", "in_progress", "V1"],
      ["r2", "accepted", "V2"],
    ]);
    expect(rows[0].querySelector(".referral-agency")?.textContent).toBe("Albergue Casa Alba (ficticio)");
    expect(rows[0].textContent).toContain("Quetzaltenango, Guatemala");
    // Services in the catalogue's order, whatever order they were stored in.
    expect([...rows[0].querySelectorAll(".agency-services li")].map((l) => l.textContent)).toEqual(["Albergue", "Atención psicológica"]);
    expect(rows[0].querySelector('[data-testid="referral-overdue"]')?.textContent).toBe("⚠ Vencida: la respuesta se esperaba antes del 01/12/2026");
    expect(rows[0].querySelector('[data-testid="referral-consent-line"]')?.textContent).toBe("Con consentimiento");
    // The directory entry not held: the name as it was when referred.
    expect(rows[1].querySelector(".referral-agency")?.textContent).toBe("Albergue Casa Alba (ficticio)");
    expect(rows[1].querySelector('[data-testid="referral-overdue"]')).toBeNull();
    expect(rows[1].querySelector('[data-testid="referral-consent-line"]')?.textContent).toBe("Sin consentimiento: Es menor de edad y corre peligro inminente");
    expect(rows[1].querySelector('[data-field="due"] dd')?.textContent).toBe("—");
  });

  it("changes where a referral stands, with the note written before", async () => {
    listed = [referral({})];
    updated = referral({ status: "accepted", notes: "Cupo confirmado por teléfono" });
    const el = await show();
    await pick(el, '[data-testid="referral-note"]', "Cupo confirmado por teléfono", "input");
    await pick(el, '[data-testid="referral-status"]', "accepted");
    expect(calls.filter(([n]) => n === "referralUpdate")).toEqual([["referralUpdate", ["c2", "r1", "accepted", "Cupo confirmado por teléfono"]]]);
    const row = el.querySelector('[data-testid="referral-row"]') as HTMLElement;
    expect(row.dataset.status).toBe("accepted");
    expect(row.querySelector('[data-field="notes"] dd')?.textContent).toBe("Cupo confirmado por teléfono");
    expect(el.querySelector("#referral-done")?.textContent).toBe("Referencia a Albergue Casa Alba (ficticio): Aceptada.");
    expect((el.querySelector('[data-testid="referral-note"]') as HTMLInputElement).value).toBe("");
  });

  it("refers a victim with her consent: the agency from the directory, its services proposed, the due day", async () => {
    added = referral({ id: "r9" });
    const el = await show();
    expect(el.querySelector("#referrals-none")?.textContent).toBe("Ninguna víctima de este caso ha sido referida a un servicio.");
    await click(el.querySelector('[data-testid="referral-new"]'));
    expect(calls.some(([n, a]) => n === "agencies" && JSON.stringify(a) === "[{}]")).toBe(true);
    // Nothing chosen: said beside the agency, nothing sent.
    await send(el, "#referral-form");
    expect(calls.some(([n]) => n === "referralAdd")).toBe(false);
    expect(el.querySelector('.field-error[data-path="agency"]')?.textContent).toBe("Elija la institución a la que se refiere a la víctima.");
    // Narrowed by a service: only the lawyers offer legal aid.
    await pick(el, '[data-testid="referral-agency-service"]', "legal_aid");
    const offered = [...(el.querySelector('[data-testid="referral-agency"]') as HTMLSelectElement).options].map((o) => o.value);
    expect(offered).toEqual(["", "a2"]);
    await pick(el, '[data-testid="referral-agency-service"]', "");
    await pick(el, '[data-testid="referral-agency"]', "a1");
    expect((el.querySelector('[data-testid="referral-service-shelter"]') as HTMLInputElement).checked).toBe(true);
    expect((el.querySelector('[data-testid="referral-service-legal_aid"]') as HTMLInputElement).checked).toBe(false);
    expect((el.querySelector('[data-testid="referral-consent"]') as HTMLInputElement).checked).toBe(true);
    expect(el.querySelector('[data-testid="referral-override"]')).toBeNull();
    await pick(el, '[data-testid="referral-victim"]', "V2");
    await pick(el, '[data-testid="referral-reason"]', "  Necesita un lugar seguro  ", "input");
    await pick(el, '[data-testid="referral-due"]', "2026-12-20", "input");
    await send(el, "#referral-form");
    expect(calls.filter(([n]) => n === "referralAdd")).toEqual([
      ["referralAdd", ["c2", { pseudonym: "V2", agency: "a1", services: ["shelter", "psychological"], reason: "Necesita un lugar seguro", consent: true, due: "2026-12-20" }]],
    ]);
    expect(el.querySelector("#referral-form")).toBeNull();
    expect(el.querySelector("#referral-done")?.textContent).toBe("Referencia registrada: V1 a Albergue Casa Alba (ficticio).");
    expect([...el.querySelectorAll('[data-testid="referral-row"]')].map((r) => (r as HTMLElement).dataset.id)).toEqual(["r9"]);
  });

  it("without consent asks why, and shows the refusal to a role that may not decide it beside the reason", async () => {
    added = { code: "forbidden", message: "Su función no puede referir a una víctima sin su consentimiento.", issues: [] } as unknown as IpcError;
    const el = await show();
    await click(el.querySelector('[data-testid="referral-new"]'));
    await pick(el, '[data-testid="referral-agency"]', "a1");
    await pick(el, '[data-testid="referral-reason"]', "Necesita un lugar seguro", "input");
    await click(el.querySelector('[data-testid="referral-consent"]'));
    const override = el.querySelector('[data-testid="referral-override"]') as HTMLTextAreaElement;
    expect(override.getAttribute("aria-required")).toBe("true");
    expect(el.querySelector("#referral-override-note")?.textContent).toContain("Solo coordinadores y administradores");
    await pick(el, '[data-testid="referral-override"]', "Es menor de edad", "input");
    await send(el, "#referral-form");
    const sent = calls.find(([n]) => n === "referralAdd")?.[1][1] as Record<string, unknown>;
    expect(sent.consent).toBe(false);
    expect(sent.consent_override).toBe("Es menor de edad");
    expect(el.querySelector('.field-error[data-path="consent_override"]')?.textContent).toBe("Su función no puede referir a una víctima sin su consentimiento.");
    // Kept: the form and what was typed.
    expect((el.querySelector('[data-testid="referral-override"]') as HTMLTextAreaElement).value).toBe("Es menor de edad");
  });

  it("prints the letter by pseudonym; the identity is offered only to a role that may print identities", async () => {
    listed = [referral({})];
    let el = await show(["edit_cases", "export"]);
    await click(el.querySelector('[data-testid="referral-letter"]'));
    expect(el.querySelector('[data-testid="referral-letter-identity"]')).toBeNull();
    await pick(el, '[data-testid="referral-letter-lang"]', "en");
    await send(el, '[data-testid="referral-letter-form"]');
    expect(calls.filter(([n]) => n === "exportReferralLetter")).toEqual([["exportReferralLetter", ["c2", "r1", false, false, "en"]]]);
    expect(el.querySelector('[data-testid="referral-letter-done"]')?.textContent).toContain("carta-de-referencia-GT-K7M3Q-2026-0002-V1.pdf");

    calls.length = 0;
    document.body.innerHTML = "";
    el = await show(["edit_cases", "export", "see_identities", "print_identities"]);
    await click(el.querySelector('[data-testid="referral-letter"]'));
    await click(el.querySelector('[data-testid="referral-letter-identity"]'));
    expect(el.querySelector('[data-testid="referral-letter-identity-warning"]')?.getAttribute("role")).toBe("note");
    await pick(el, '[data-testid="referral-letter-paper"]', "letter");
    await send(el, '[data-testid="referral-letter-form"]');
    expect(calls.filter(([n]) => n === "exportReferralLetter")).toEqual([["exportReferralLetter", ["c2", "r1", true, true, "es"]]]);
  });

  it("offers no letter to a role that may not export, no changes on a case this node may not edit, and nothing to a role refused the list", async () => {
    listed = [referral({})];
    let el = await show(["edit_cases"], false);
    expect(el.querySelector('[data-testid="referral-row"]')).not.toBeNull();
    expect(el.querySelector('[data-testid="referral-letter"]')).toBeNull();
    expect(el.querySelector('[data-testid="referral-status"]')).toBeNull();
    expect(el.querySelector('[data-testid="referral-new"]')).toBeNull();

    document.body.innerHTML = "";
    listed = { code: "forbidden", message: "No puede ver las evaluaciones de riesgo.", issues: [] } as unknown as IpcError;
    el = await show(["edit_cases"]);
    expect(el.querySelector('[data-testid="referrals"]')).toBeNull();
  });
});
