import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { translate } from "../i18n";
import type { CaseView } from "../bindings/CaseView";

const calls: Array<[string, unknown[]]> = [];
let draft: unknown = null;
// The persons a created case reads back with, and what risk_record answers (a refusal when set).
let savedPersons: { pseudonym: string }[] = [];
let riskRefusal: unknown = null;
vi.mock("../api", () => {
  const rec =
    (name: string, result: unknown = undefined) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      return Promise.resolve(result);
    };
  return {
    api: {
      getDraft: (...args: unknown[]) => {
        calls.push(["getDraft", args]);
        return Promise.resolve(draft);
      },
      saveDraft: rec("saveDraft"),
      discardDraft: rec("discardDraft"),
      createCase: rec("createCase", { id: "new-id", reference: "GT-2026-0001", changed: [], issues: [] }),
      updateCase: rec("updateCase", { id: "x", reference: "GT-2026-0001", changed: [], issues: [], heads: ["h2"] }),
      saveIdentity: rec("saveIdentity", { id: "x", reference: "GT-2026-0001", changed: [], issues: [] }),
      getCase: (...args: unknown[]) => {
        calls.push(["getCase", args]);
        return Promise.resolve({ case: { persons: savedPersons } });
      },
      riskRecord: (...args: unknown[]) => {
        calls.push(["riskRecord", args]);
        return riskRefusal ? Promise.reject(riskRefusal) : Promise.resolve({});
      },
    },
    asIpcError: (e: unknown) => e,
  };
});

import type { Session } from "../bindings/Session";
import { SessionContext } from "../session";
import { CaseEditor } from "./case-editor";
import { casePatch, caseInput, childCase, emptyForm, nextPseudonym } from "./form";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
const tick = () => new Promise((r) => setTimeout(r, 0));

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("case editor helpers", () => {
  it("patches only the fields that changed", () => {
    const base = emptyForm("GT");
    const form = { ...base, title: "Nuevo", route: [...base.route, { country: "MX", place: "Tapachula", role: "exploitation" as const }] };
    expect(Object.keys(casePatch(base, form)).sort()).toEqual(["route", "title"]);
    expect(casePatch(base, base)).toEqual({});
  });
  it("sends a value emptied inside the standard's fields as null (a merge patch keeps what it does not name)", () => {
    const base = { ...emptyForm("GT"), standard: { means_of_control: [], trafficking_status: "actual" as const, trafficking_status_by: "OIM", smuggling: { material_benefit: true, illegal_entry: true } } };
    const form = { ...base, standard: { means_of_control: [], trafficking_status: undefined, smuggling: { material_benefit: false, illegal_entry: true } } };
    expect(casePatch(base, form)).toEqual({
      standard: { means_of_control: [], trafficking_status: null, trafficking_status_by: null, smuggling: { material_benefit: false, illegal_entry: true } },
    });
  });
  it("numbers pseudonyms per role and skips those taken", () => {
    expect(nextPseudonym([], "victim")).toBe("V1");
    expect(nextPseudonym([{ pseudonym: "V1" }, { pseudonym: "S1" }, { pseudonym: "V3" }], "victim")).toBe("V2");
    expect(nextPseudonym([{ pseudonym: "V1" }], "suspect")).toBe("S1");
  });
  it("a victim under 18 makes it a child case; a suspect does not", () => {
    const f = emptyForm("GT");
    expect(childCase(f)).toBe(false);
    expect(childCase({ ...f, persons: [{ pseudonym: "S1", role: "suspect", gender: "male", age_band: "9-17" }] })).toBe(false);
    expect(childCase({ ...f, persons: [{ pseudonym: "V1", role: "victim", gender: "female", age_band: "9-17" }] })).toBe(true);
    expect(childCase({ ...f, persons: [{ pseudonym: "V1", role: "victim", gender: "female", minor_at_exploitation: true }] })).toBe(true);
  });
  it("creates persons with their identity only when a name was typed", () => {
    const f = { ...emptyForm("GT"), persons: [{ pseudonym: "V1", role: "victim" as const, gender: "female" as const }, { pseudonym: "S1", role: "suspect" as const, gender: "male" as const }] };
    const input = caseInput(f, { V1: { given_names: "María de los Ángeles", first_surname: "Güity", aliases: [], documents: [], consent: { given: false } } }, "  ");
    expect(input.persons[0].identity?.first_surname).toBe("Güity");
    expect(input.persons[1].identity).toBeUndefined();
    expect(input.notes).toEqual([]);
  });
});

describe("case editor", () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it("explains the Art. 3 elements, refuses 31/02 with the reason and keeps it as a draft", async () => {
    const el = document.createElement("div");
    document.body.appendChild(el);
    await act(async () => {
      render(<CaseEditor t={t} lang="es" view={null} ownCountry="GT" onSaved={() => {}} onClose={() => {}} />, el);
    });
    const legends = [...el.querySelectorAll("#g-elements legend")].map((l) => l.textContent);
    expect(legends).toEqual(["Elementos del Protocolo, art. 3", t("field-acts"), t("field-means"), t("field-purposes")]);
    expect(el.querySelector("#f-acts .help")?.textContent).toContain("captarla");
    expect(el.querySelector("#f-means .help")?.textContent).toContain("consentimiento");

    const opened = el.querySelector<HTMLInputElement>("#f-opened");
    expect(opened).not.toBeNull();
    await act(async () => {
      type(opened as HTMLInputElement, "31/02/2026");
      await tick();
    });
    const err = el.querySelector('.field-error[data-path="opened"]');
    expect(err?.textContent).toContain("tiene 28 días");
    expect((opened as HTMLInputElement).getAttribute("aria-invalid")).toBe("true");
    await act(async () => {
      await new Promise((r) => setTimeout(r, 260));
    });
    const draft = calls.filter(([n]) => n === "saveDraft").pop();
    expect(draft?.[1][0]).toBe("case:new");
    expect((draft?.[1][1] as { raw: Record<string, string> }).raw.opened).toBe("31/02/2026");

    // Creating is refused while a date is not a date; nothing is sent.
    await act(async () => {
      (el.querySelector("#case-create") as HTMLButtonElement).click();
      await tick();
    });
    expect(calls.some(([n]) => n === "createCase")).toBe(false);
    expect(el.querySelector("#case-save-state")?.textContent).toContain("corrija");

    // A child victim: the child rule is shown and means are explained as optional.
    await act(async () => {
      (el.querySelector("#add-person-victim") as HTMLButtonElement).click();
      await tick();
    });
    const age = el.querySelector<HTMLSelectElement>("#f-persons-0-age");
    await act(async () => {
      if (age) {
        age.value = "9-17";
        age.dispatchEvent(new Event("change", { bubbles: true }));
      }
      await tick();
    });
    expect(el.querySelector("#child-rule")?.textContent).toContain("art. 3 c");
    expect(el.querySelector("#f-means .help")?.textContent).toContain("no hace falta");
    expect(el.querySelector<HTMLInputElement>("#f-persons-0-pseudonym")?.value).toBe("V1");

    // Fix the date; then the case is created with what was typed.
    await act(async () => {
      type(el.querySelector("#f-title") as HTMLInputElement, "José Núñez Ávila 🙂");
      type(opened as HTMLInputElement, "28/02/2026");
      await tick();
    });
    await act(async () => {
      (el.querySelector("#case-create") as HTMLButtonElement).click();
      await tick();
      await tick();
    });
    const created = calls.find(([n]) => n === "createCase");
    expect(created).toBeDefined();
    const input = created?.[1][0] as { title: string; opened: string; persons: { age_band: string }[] };
    expect(input.title).toBe("José Núñez Ávila 🙂");
    expect(input.opened).toBe("2026-02-28");
    expect(input.persons[0].age_band).toBe("9-17");
    expect(calls.some(([n, a]) => n === "discardDraft" && a[0] === "case:new")).toBe(true);
  });

  it("a request between states takes its deadline, sent with it", async () => {
    const el = document.createElement("div");
    document.body.appendChild(el);
    await act(async () => {
      render(<CaseEditor t={t} lang="es" view={null} ownCountry="GT" onSaved={() => {}} onClose={() => {}} />, el);
    });
    await act(async () => {
      (el.querySelector("#add-request") as HTMLButtonElement).click();
      await tick();
    });
    const due = el.querySelector<HTMLInputElement>("#f-requests-0-due");
    expect(due?.closest("label")?.textContent).toContain("Plazo");
    await act(async () => {
      type(el.querySelector("#f-title") as HTMLInputElement, "Solicitud a México");
      type(due as HTMLInputElement, "15/01/2027");
      await tick();
    });
    await act(async () => {
      (el.querySelector("#case-create") as HTMLButtonElement).click();
      await tick();
      await tick();
    });
    const input = calls.find(([n]) => n === "createCase")?.[1][0] as { requests: { to: string; due?: string | null }[] };
    expect(input.requests[0]).toMatchObject({ to: "MX", due: "2027-01-15" });
  });
});

describe("case editor autosave", () => {
  const view = (): CaseView => ({
    case: {
      ...emptyForm("GT"),
      id: "c1",
      request_answers: [],
      reference: "GT-2026-0001",
      title: "Caso",
      classification_history: [],
      status_history: [],
      notes: [],
      owner: { country: "GT", node: "n" },
      demo: false,
    },
    editable: true,
    issues: [],
    identities: [],
    identities_withheld: [],
    updated_at: "",
    heads: ["h1"],
    conflicts: [],
    shares_reference: [],
    linked: [],
  });
  const pass = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
  const names = () => calls.map(([n]) => n);
  beforeEach(() => {
    calls.length = 0;
    draft = null;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("saves a recovered draft on the case as it was when the edits were made", async () => {
    // The draft was typed on the case as read at heads h0 (before sync
    // brought the stop in Arriaga): its route is sent as a change on that.
    const then = { ...emptyForm("GT"), title: "Caso", route: [{ id: "1@a", country: "GT", place: "Malacatán", role: "origin" }] };
    const typed = { ...then, route: [...then.route, { id: "", country: "US", place: "Houston", role: "destination" }] };
    draft = {
      key: "case:c1",
      updated_at: "2026-12-06T07:00:00Z",
      body: { form: typed, raw: {}, identities: {}, dirty: [], note: "", base: then, heads: ["h0"] },
    };
    const el = document.createElement("div");
    await act(() => render(<CaseEditor t={t} lang="es" view={view()} ownCountry="GT" onSaved={() => {}} onClose={() => {}} />, el));
    await pass(2000);
    const sent = calls.find(([n]) => n === "updateCase");
    expect(sent?.[1]).toEqual(["c1", { route: typed.route }, ["h0"]]);
  });

  it("keeps the draft 200 ms after the last edit, saves the case 600 ms after it, then drops the draft; leaving saves at once", async () => {
    const el = document.createElement("div");
    const onSaved = vi.fn();
    await act(() => render(<CaseEditor t={t} lang="es" view={view()} ownCountry="GT" onSaved={onSaved} onClose={() => {}} />, el));
    await pass(0);
    expect(names()).toEqual(["getDraft"]);
    await act(() => type(el.querySelector("#f-title") as HTMLInputElement, "Caso uno"));
    await pass(199);
    expect(names()).toEqual(["getDraft"]);
    await pass(1);
    expect(calls[1]).toEqual(["saveDraft", ["case:c1", expect.objectContaining({ form: expect.objectContaining({ title: "Caso uno" }) })]]);
    await pass(399);
    expect(names()).toEqual(["getDraft", "saveDraft"]);
    await pass(1);
    expect(calls.slice(2)).toEqual([
      ["updateCase", ["c1", { title: "Caso uno" }, view().heads]],
      ["discardDraft", ["case:c1"]],
    ]);
    expect(el.querySelector("#case-save-state")?.textContent).toBe("✓ Guardado en este equipo");
    expect(onSaved).toHaveBeenCalledWith("c1");

    // A date that is not one: kept as a draft, nothing sent to the case.
    calls.length = 0;
    await act(() => type(el.querySelector("#f-opened") as HTMLInputElement, "31/02/2026"));
    await pass(600);
    expect(names()).toEqual(["saveDraft"]);
    expect(el.querySelector("#case-save-state")?.textContent).toContain("corrija");

    // Fixed, more typed, and the editor closed before the delay: saved at once.
    calls.length = 0;
    await act(() => type(el.querySelector("#f-opened") as HTMLInputElement, "28/02/2026"));
    await act(() => type(el.querySelector("#f-summary") as HTMLTextAreaElement, "Escrito justo antes del cierre"));
    await pass(100);
    await act(() => render(null, el));
    // Made on the case as the last save left it (its heads).
    expect(calls[0]).toEqual(["updateCase", ["c1", { summary: "Escrito justo antes del cierre", opened: "2026-02-28" }, ["h2"]]]);
    await pass(2000);
    expect(names().filter((n) => n === "updateCase")).toEqual(["updateCase"]);
  });
});

describe("the standards' fields in the editor", () => {
  const el = () => {
    const d = document.createElement("div");
    document.body.appendChild(d);
    return d;
  };
  /** The checkbox whose label reads `text`, in `root`. */
  const box = (root: Element | null, text: string) =>
    [...(root?.querySelectorAll("label.check") ?? [])].find((l) => l.textContent?.trim() === text)?.querySelector("input") ?? null;
  const click = (input: HTMLInputElement | null) =>
    act(async () => {
      expect(input).not.toBeNull();
      input?.click();
      await tick();
    });
  const pick = (sel: HTMLSelectElement | null, value: string) =>
    act(async () => {
      expect(sel).not.toBeNull();
      if (sel) {
        sel.value = value;
        sel.dispatchEvent(new Event("change", { bubbles: true }));
      }
      await tick();
    });
  const labels = (root: Element | null) => [...(root?.querySelectorAll("label.check") ?? [])].map((l) => l.textContent?.trim());

  beforeEach(() => {
    calls.length = 0;
    draft = null;
  });

  it("offers the new purposes, the types of sexual exploitation only with that purpose, the smuggling elements only for smuggling, roles only for suspects; and creates the case with them", async () => {
    const root = el();
    await act(async () => {
      render(<CaseEditor t={t} lang="es" view={null} ownCountry="GT" onSaved={() => {}} onClose={() => {}} />, root);
    });
    const purposes = root.querySelector("#f-purposes");
    expect(labels(purposes)).toEqual(expect.arrayContaining([t("purpose-forced_marriage"), t("purpose-forced_military")]));

    // Types of sexual exploitation: with the purpose, and gone without it.
    expect(root.querySelector("#f-sexual-exploitation")).toBeNull();
    await click(box(purposes, t("purpose-sexual_exploitation")));
    const sex = root.querySelector("#f-sexual-exploitation");
    expect(sex?.querySelector("legend")?.textContent).toBe("Tipo de explotación sexual");
    expect(labels(sex)).toEqual(["Prostitución", "Pornografía", "Servicios sexuales interactivos a distancia (en línea)", "Servicios sexuales privados"]);
    await click(box(purposes, t("purpose-sexual_exploitation")));
    expect(root.querySelector("#f-sexual-exploitation")).toBeNull();
    await click(box(purposes, t("purpose-sexual_exploitation")));
    await click(box(root.querySelector("#f-sexual-exploitation"), "Pornografía"));

    // The smuggling elements: for smuggling and both, not for trafficking or under assessment.
    const classification = root.querySelector<HTMLSelectElement>("#f-classification");
    expect(root.querySelector("#f-smuggling")).toBeNull();
    await pick(classification, "trafficking");
    expect(root.querySelector("#f-smuggling")).toBeNull();
    await pick(classification, "smuggling");
    expect(root.querySelector("#f-smuggling legend")?.textContent).toBe("Elementos del tráfico ilícito de migrantes");
    expect(root.querySelector("#f-smuggling .help")?.textContent).toContain("art. 3");
    await pick(classification, "both");
    expect(labels(root.querySelector("#f-smuggling"))).toEqual(["Beneficio económico o material", "Entrada ilegal"]);
    await click(root.querySelector<HTMLInputElement>("#f-smuggling-benefit"));

    // The victim status and who decided it.
    const status = root.querySelector<HTMLSelectElement>("#f-trafficking-status");
    expect([...(status?.options ?? [])].map((o) => o.textContent)).toEqual(["—", "Posible víctima", "Víctima identificada", "No es víctima"]);
    expect(status?.closest("label")?.textContent).toContain("Condición de víctima (HTCDS)");
    await pick(status, "actual");
    await act(async () => {
      type(root.querySelector("#f-trafficking-status-by") as HTMLInputElement, "OIM Guatemala");
      await tick();
    });
    expect(root.querySelector("#f-trafficking-status-by")?.closest("label")?.textContent).toContain("Decidida por (organización)");

    // Roles in the process: a suspect has them, a victim does not.
    await act(async () => {
      (root.querySelector("#add-person-suspect") as HTMLButtonElement).click();
      (root.querySelector("#add-person-victim") as HTMLButtonElement).click();
      await tick();
    });
    const roles = root.querySelector("#f-persons-0-process-roles");
    expect(roles?.querySelector("legend")?.textContent).toBe("Papel en el proceso");
    expect(labels(roles)).toHaveLength(8);
    expect(root.querySelector("#f-persons-1-process-roles")).toBeNull();
    await click(box(roles, "Captador"));
    await click(box(root.querySelector("#f-persons-0-process-roles"), "Transportista"));

    await act(async () => {
      type(root.querySelector("#f-title") as HTMLInputElement, "Caso con los campos del estándar");
      await tick();
    });
    await act(async () => {
      (root.querySelector("#case-create") as HTMLButtonElement).click();
      await tick();
      await tick();
    });
    const input = calls.find(([n]) => n === "createCase")?.[1][0] as ReturnType<typeof caseInput>;
    expect(input.purposes).toEqual(["sexual_exploitation"]);
    expect(input.standard).toEqual({
      means_of_control: [],
      sexual_exploitation: ["pornography"],
      smuggling: { material_benefit: true, illegal_entry: false },
      trafficking_status: "actual",
      trafficking_status_by: "OIM Guatemala",
    });
    expect(input.persons.map((p) => [p.pseudonym, p.process_roles])).toEqual([
      ["S1", ["recruiter", "transporter"]],
      ["V1", undefined],
    ]);
  });

  it("a suspect who becomes a witness loses the roles in the process", async () => {
    const root = el();
    await act(async () => {
      render(<CaseEditor t={t} lang="es" view={null} ownCountry="GT" onSaved={() => {}} onClose={() => {}} />, root);
    });
    await act(async () => {
      (root.querySelector("#add-person-suspect") as HTMLButtonElement).click();
      await tick();
    });
    await click(box(root.querySelector("#f-persons-0-process-roles"), "Explotador"));
    await pick(root.querySelector<HTMLSelectElement>("#f-persons-0-role"), "witness");
    expect(root.querySelector("#f-persons-0-process-roles")).toBeNull();
    await act(async () => {
      (root.querySelector("#case-create") as HTMLButtonElement).click();
      await tick();
    });
    const input = calls.find(([n]) => n === "createCase")?.[1][0] as ReturnType<typeof caseInput>;
    expect(input.persons[0].role).toBe("witness");
    expect(input.persons[0].process_roles).toBeUndefined();
  });

  it("shows the issues at the new fields' paths next to them", async () => {
    const issue = (path: string, code: string, severity: "error" | "warning") => ({ path, code, severity, args: [] as [string, string][] });
    const v: CaseView = {
      case: {
        ...emptyForm("GT"),
        id: "c1",
        reference: "GT-2026-0001",
        title: "Caso",
        classification: "smuggling",
        purposes: ["forced_labour"],
        standard: { means_of_control: [], sexual_exploitation: ["prostitution"], trafficking_status_by: "OIM Guatemala" },
        persons: [{ pseudonym: "W1", role: "witness", gender: "female", process_roles: ["recruiter"] }],
        classification_history: [],
        status_history: [],
        notes: [],
        request_answers: [],
        owner: { country: "GT", node: "n" },
        demo: false,
      },
      editable: true,
      issues: [
        issue("standard.sexual_exploitation", "val-sex-exploitation-purpose", "warning"),
        issue("standard.trafficking_status", "val-trafficking-status-missing", "error"),
        issue("standard.smuggling", "val-smuggling-elements", "warning"),
        issue("persons[0].process_roles", "val-process-roles-suspect", "error"),
      ],
      identities: [],
      identities_withheld: [],
      updated_at: "",
      heads: ["h1"],
      conflicts: [],
      shares_reference: [],
      linked: [],
    };
    const root = el();
    await act(async () => {
      render(<CaseEditor t={t} lang="es" view={v} ownCountry="GT" onSaved={() => {}} onClose={() => {}} />, root);
    });
    // Recorded without their purpose or role, they stay in sight to be mended.
    expect(root.querySelector('#f-sexual-exploitation .field-warning[data-path="standard.sexual_exploitation"]')?.textContent).toContain("sin el fin «explotación sexual»");
    expect(root.querySelector('#f-persons-0-process-roles .field-error[data-path="persons[0].process_roles"]')?.textContent).toContain("solo una persona investigada");
    expect(root.querySelector('#f-smuggling .field-warning[data-path="standard.smuggling"]')?.textContent).toContain("beneficio económico o material");
    const statusMsg = root.querySelector('.field-error[data-path="standard.trafficking_status"]');
    expect(statusMsg?.closest("label")?.querySelector("#f-trafficking-status")).not.toBeNull();
  });
});

describe("the standards' fields saved", () => {
  const view = (): CaseView => ({
    case: {
      ...emptyForm("GT"),
      id: "c1",
      reference: "GT-2026-0001",
      title: "Caso",
      classification: "both",
      persons: [{ id: "p1@a", pseudonym: "S1", role: "suspect", gender: "male" }],
      standard: { means_of_control: ["debt_bondage"], trafficking_status: "possible", trafficking_status_by: "Fiscalía" },
      classification_history: [],
      status_history: [],
      notes: [],
      request_answers: [],
      owner: { country: "GT", node: "n" },
      demo: false,
    },
    editable: true,
    issues: [],
    identities: [],
    identities_withheld: [],
    updated_at: "",
    heads: ["h1"],
    conflicts: [],
    shares_reference: [],
    linked: [],
  });
  const pass = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
  beforeEach(() => {
    calls.length = 0;
    draft = null;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("drafts and sends the new fields in the case patch; a status set back to none is sent as null", async () => {
    const el = document.createElement("div");
    document.body.appendChild(el);
    await act(() => render(<CaseEditor t={t} lang="es" view={view()} ownCountry="GT" onSaved={() => {}} onClose={() => {}} />, el));
    await pass(0);
    const change = (sel: string, value: string) =>
      act(() => {
        const s = el.querySelector(sel) as HTMLSelectElement;
        s.value = value;
        s.dispatchEvent(new Event("change", { bubbles: true }));
      });
    await change("#f-trafficking-status", "actual");
    await act(() => (el.querySelector("#f-smuggling-entry") as HTMLInputElement).click());
    const captador = [...el.querySelectorAll("#f-persons-0-process-roles label.check")].find((l) => l.textContent === "Captador");
    await act(() => captador?.querySelector("input")?.click());
    await pass(200);
    const drafted = calls.find(([n]) => n === "saveDraft")?.[1][1] as { form: { standard: unknown; persons: { process_roles?: string[] }[] } };
    expect(drafted.form.standard).toEqual(expect.objectContaining({ trafficking_status: "actual", smuggling: { material_benefit: false, illegal_entry: true } }));
    expect(drafted.form.persons[0].process_roles).toEqual(["recruiter"]);
    await pass(400);
    expect(calls.find(([n]) => n === "updateCase")?.[1]).toEqual([
      "c1",
      {
        persons: [{ id: "p1@a", pseudonym: "S1", role: "suspect", gender: "male", process_roles: ["recruiter"] }],
        standard: {
          means_of_control: ["debt_bondage"],
          trafficking_status: "actual",
          trafficking_status_by: "Fiscalía",
          smuggling: { material_benefit: false, illegal_entry: true },
        },
      },
      ["h1"],
    ]);

    // None, and nobody: removed from the case (a merge patch keeps what it does not name).
    calls.length = 0;
    await change("#f-trafficking-status", "");
    await act(() => type(el.querySelector("#f-trafficking-status-by") as HTMLInputElement, ""));
    await pass(600);
    expect(calls.find(([n]) => n === "updateCase")?.[1][1]).toEqual({
      standard: { means_of_control: ["debt_bondage"], smuggling: { material_benefit: false, illegal_entry: true }, trafficking_status: null, trafficking_status_by: null },
    });
  });
});

describe("a new case's victims' first risk assessments", () => {
  const el = () => {
    const d = document.createElement("div");
    document.body.appendChild(d);
    return d;
  };
  const act0 = (f: () => void) =>
    act(async () => {
      f();
      await tick();
    });
  const pick = (root: Element, sel: string, value: string) =>
    act0(() => {
      const s = root.querySelector(sel) as HTMLSelectElement;
      s.value = value;
      s.dispatchEvent(new Event("change", { bubbles: true }));
    });
  const write = (root: Element, sel: string, value: string) => act0(() => type(root.querySelector(sel) as HTMLInputElement, value));
  const click = (root: Element, sel: string) => act0(() => (root.querySelector(sel) as HTMLElement).click());
  const threat = (root: Element, block: string, wire: string) => act0(() => (root.querySelector(`${block} input[value="${wire}"]`) as HTMLInputElement).click());
  const closed: Array<[string | undefined, string | undefined]> = [];
  async function open(session: Session | null = null) {
    const root = el();
    await act(async () => {
      render(
        <SessionContext.Provider value={session}>
          <CaseEditor t={t} lang="es" view={null} ownCountry="GT" onSaved={() => {}} onClose={(id, failed) => closed.push([id, failed])} />
        </SessionContext.Provider>,
        root,
      );
    });
    return root;
  }
  // Two victims and a suspect, the first victim's risk assessed.
  async function twoVictims(root: Element) {
    await write(root, "#f-title", "Captación en Malacatán");
    await click(root, "#add-person-victim");
    await click(root, "#add-person-suspect");
    await click(root, "#add-person-victim");
  }
  const create = async (root: Element) => {
    await click(root, "#case-create");
    await act(async () => {
      await tick();
      await tick();
    });
  };

  beforeEach(() => {
    calls.length = 0;
    closed.length = 0;
    draft = null;
    riskRefusal = null;
    savedPersons = [{ pseudonym: "V1" }, { pseudonym: "S1" }, { pseudonym: "V2" }];
  });

  it("offers one for each victim only, and records those filled once the case is saved, under the pseudonyms saved", async () => {
    const root = await open();
    await twoVictims(root);
    expect(root.querySelector("#f-persons-0-risk summary")?.textContent).toBe("Primera evaluación de riesgo (opcional)");
    expect(root.querySelector("#f-persons-1-risk")).toBeNull();
    expect(root.querySelector("#f-persons-2-risk")).not.toBeNull();
    expect((root.querySelector("#f-persons-0-risk") as HTMLDetailsElement).open).toBe(false);
    expect([...(root.querySelector("#f-persons-0-risk-level") as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(["Elija…", "Bajo", "Medio", "Alto", "Crítico"]);

    await pick(root, "#f-persons-0-risk-level", "critical");
    expect((root.querySelector("#f-persons-0-risk") as HTMLDetailsElement).open).toBe(true);
    // The pseudonym an assessment is kept under no longer changes.
    expect((root.querySelector("#f-persons-0-pseudonym") as HTMLInputElement).readOnly).toBe(true);
    await write(root, "#f-persons-0-risk-assessor", " Inspectora Núñez (PNC) ");
    await threat(root, "#f-persons-0-risk", "traffickers_know_location");
    await threat(root, "#f-persons-0-risk", "to_victim");
    await write(root, "#f-persons-0-risk-measures-taken", "Albergue de alta seguridad");
    await pass0();
    // Kept in the draft with the rest of the form.
    const drafted = calls.filter(([n]) => n === "saveDraft").pop()?.[1][1] as { risks: Record<string, { level: string }> };
    expect(drafted.risks.V1.level).toBe("critical");
    // Were the case to save the first victim under another pseudonym, the assessment follows it.
    savedPersons = [{ pseudonym: "V7" }, { pseudonym: "S1" }, { pseudonym: "V2" }];
    await create(root);
    const order = calls.map(([n]) => n).filter((n) => ["createCase", "discardDraft", "getCase", "riskRecord"].includes(n));
    expect(order).toEqual(["createCase", "discardDraft", "getCase", "riskRecord"]);
    expect(calls.find(([n]) => n === "getCase")?.[1]).toEqual(["new-id"]);
    expect(calls.find(([n]) => n === "riskRecord")?.[1]).toEqual([
      "new-id",
      {
        pseudonym: "V7",
        assessor: "Inspectora Núñez (PNC)",
        level: "critical",
        threats: ["to_victim", "traffickers_know_location"],
        measures_taken: "Albergue de alta seguridad",
        measures_needed: "",
        next_review: null,
      },
      false,
    ]);
    expect(closed).toEqual([["new-id", undefined]]);
  });

  it("a case whose victims have none records none", async () => {
    const root = await open();
    await twoVictims(root);
    await create(root);
    expect(calls.some(([n]) => n === "createCase")).toBe(true);
    expect(calls.some(([n]) => n === "getCase" || n === "riskRecord")).toBe(false);
    expect(closed).toEqual([["new-id", undefined]]);
  });

  it("one begun without its level or assessor keeps the case from being created, and says what is missing", async () => {
    const root = await open();
    await twoVictims(root);
    await threat(root, "#f-persons-2-risk", "minor");
    await create(root);
    expect(calls.some(([n]) => n === "createCase")).toBe(false);
    expect(root.querySelector("#case-error")?.textContent).toContain("Una evaluación de riesgo empezada necesita el nivel y quién la hizo");
    const errors = [...root.querySelectorAll("#f-persons-2-risk .field-error")].map((e) => e.textContent);
    expect(errors).toEqual(["Elija el nivel de riesgo.", "Evaluado por (nombre y función): este texto es obligatorio."]);
    expect(closed).toEqual([]);
    // Emptied, it is no longer recorded, and the case is created.
    await click(root, "#f-persons-2-risk-clear");
    await create(root);
    expect(calls.some(([n]) => n === "createCase")).toBe(true);
    expect(calls.some(([n]) => n === "riskRecord")).toBe(false);
  });

  it("if recording it fails, the case stays saved and the failure is said with it", async () => {
    const root = await open();
    await twoVictims(root);
    await pick(root, "#f-persons-2-risk-level", "low");
    await write(root, "#f-persons-2-risk-assessor", "Trabajadora social");
    riskRefusal = { code: "forbidden", message: "Su función no permite modificar casos.", issues: [], candidates: [] };
    await create(root);
    expect(calls.find(([n]) => n === "riskRecord")?.[1][1]).toMatchObject({ pseudonym: "V2", level: "low" });
    expect(calls.some(([n, a]) => n === "discardDraft" && a[0] === "case:new")).toBe(true);
    expect(closed).toEqual([
      ["new-id", "El caso GT-2026-0001 se guardó, pero la primera evaluación de riesgo de V2 no: Su función no permite modificar casos. Regístrela en «Riesgo de las víctimas»."],
    ]);
  });

  it("is not offered to a role that may not see risk assessments", async () => {
    const clerk: Session = { id: "o5", name: "Ana", role: "border_officer", permissions: ["edit_cases"], first: false };
    const root = await open(clerk);
    await twoVictims(root);
    expect(root.querySelector("#f-persons-0-risk")).toBeNull();
  });
});

/** Lets the draft's delay pass (real timers). */
const pass0 = () => act(async () => void (await new Promise((r) => setTimeout(r, 260))));
