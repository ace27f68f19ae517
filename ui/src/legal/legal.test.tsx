import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";

/** Calls to the shell, with the (fake) time they were made at. */
const calls: Array<[number, string, unknown[]]> = [];
let t0 = 0;
let failing: unknown = null;
vi.mock("../api", () => ({
  api: {
    updateLegalItem: (...a: unknown[]) => {
      calls.push([Date.now() - t0, "updateLegalItem", a]);
      return failing ? Promise.reject(failing) : Promise.resolve({ heads: [`after-${calls.length}`] });
    },
  },
  asIpcError: (e: unknown) => e,
}));
import { emptyItem, filterCatalogue, patchOf, statusLetter } from "./catalogue";
import { TallyBar } from "./tally-bar";
import { hasKey, translate } from "../i18n";
import { ASSESSMENT_STATUSES, CATALOGUE, EVIDENCE_KINDS, INSTRUMENTS } from "../bindings/vocabulary";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);

describe("legal checklist", () => {
  it("filters the catalogue by instrument and obligation", () => {
    expect(filterCatalogue({ instrument: "", mandatory: false }).length).toBe(45);
    const som = filterCatalogue({ instrument: "smuggling_protocol", mandatory: false });
    expect(som.map((c) => c.id)).toEqual(["SOM-39", "SOM-40", "SOM-41", "SOM-42", "SOM-43", "SOM-44", "SOM-45"]);
    const mandatory = filterCatalogue({ instrument: "", mandatory: true });
    expect(mandatory.some((c) => c.id === "TIP-15")).toBe(false);
    expect(mandatory.some((c) => c.id === "TIP-11")).toBe(true);
  });

  it("every catalogue item, status, instrument and evidence kind is labelled in both languages", () => {
    const keys = [
      ...CATALOGUE.map((c) => `legal-${c.id}`),
      ...ASSESSMENT_STATUSES.flatMap((s) => [`assessment-${s}`, `report-letter-${s}`]),
      ...INSTRUMENTS.map((i) => `instrument-${i}`),
      ...EVIDENCE_KINDS.map((k) => `evidence-${k}`),
      ...["status", "provisions", "gap", "proposal", "evidence", "assessor", "assessed_on", "choice"].map((f) => `ui-legal-field-${f}`),
      ...["create", "update", "resolve"].map((a) => `ui-legal-action-${a}`),
    ];
    for (const k of keys) {
      expect(hasKey("es", k), k).toBe(true);
      expect(hasKey("en", k), k).toBe(true);
    }
    expect(statusLetter(t, "partially_compliant")).toBe("P");
  });

  it("the autosave patch never carries the stamps and drops an empty year", () => {
    const p = patchOf({
      ...emptyItem(),
      status: "compliant",
      provisions: [{ law: "Código Penal", article: "art. 202 Ter", year: undefined }],
      assessed_on: "",
      updated_by: "x",
      updated_at: "2026-01-01T00:00:00Z",
    });
    expect(Object.keys(p).sort()).toEqual(["assessed_on", "assessor", "evidence", "gap", "proposal", "provisions", "status"]);
    expect(p.provisions?.[0]).toEqual({ law: "Código Penal", article: "art. 202 Ter" });
    expect(p.assessed_on).toBeNull();
  });

  it("the tally bar draws one segment per non-empty status and says the counts in words", () => {
    const el = document.createElement("div");
    render(<TallyBar t={t} tally={{ compliant: 20, partially_compliant: 5, not_compliant: 0, not_assessed: 20 }} />, el);
    const bar = el.querySelector(".tally-bar");
    expect(bar?.children.length).toBe(3);
    expect((bar?.children[0] as HTMLElement).style.width).toBe(`${(100 * 20) / 45}%`);
    expect(bar?.getAttribute("aria-label")).toContain("Cumple: 20");
    expect(bar?.getAttribute("aria-label")).toContain("No cumple: 0");
  });
});

describe("item editor", () => {
  it("shows concurrent values in words, the shown one first, with a choice for the owner only", async () => {
    const { ItemEditor } = await import("./item-editor");
    const entry = CATALOGUE.find((c) => c.id === "TIP-05")!;
    const view = (editable: boolean) => ({
      assessment: {
        id: "x",
        country: "GT",
        catalogue_version: 1,
        items: { "TIP-05": { ...emptyItem(), status: "compliant" as const, gap: "Falta." } },
        owner: { country: "GT", node: "n" },
        audience: { scope: "regional" as const },
        demo: false,
      },
      stored: true,
      editable,
      tally: { compliant: 1, partially_compliant: 0, not_compliant: 0, not_assessed: 44 },
      conflicts: [{ item: "TIP-05", field: "status", values: ["compliant", "partially_compliant"] }],
      issues: [],
      updated_at: null,
      heads: ["h1"],
    });
    for (const editable of [true, false]) {
      const el = document.createElement("div");
      render(
        <ItemEditor t={t} lang="es" country="GT" entry={entry} view={view(editable)} others={[]} onClose={() => {}} onSaved={() => {}} />,
        el,
      );
      const box = el.querySelector(".conflict-box");
      expect(box?.textContent).toContain("Valores concurrentes en «Estado»");
      const values = [...el.querySelectorAll(".conflict-value")].map((v) => v.textContent ?? "");
      expect(values[0]).toContain("Cumple");
      expect(values[0]).toContain("mostrado");
      expect(values[1]).toContain("Cumple parcialmente");
      expect(el.querySelectorAll(".conflict-value button").length).toBe(editable ? 2 : 0);
      expect((el.querySelector("#item-gap") as HTMLTextAreaElement).disabled).toBe(!editable);
      render(null, el);
    }
  });
});

describe("item editor autosave", () => {
  const entry = () => CATALOGUE.find((c) => c.id === "TIP-05")!;
  const view = () => ({
    assessment: {
      id: "x",
      country: "GT",
      catalogue_version: 1,
      items: { "TIP-05": { ...emptyItem(), status: "compliant" as const, gap: "Falta." } },
      owner: { country: "GT", node: "n" },
      audience: { scope: "regional" as const },
      demo: false,
    },
    stored: true,
    editable: true,
    tally: { compliant: 1, partially_compliant: 0, not_compliant: 0, not_assessed: 44 },
    conflicts: [],
    issues: [],
    updated_at: null,
    heads: ["h1"],
  });
  const pass = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
  const typeGap = (el: HTMLElement, text: string) =>
    act(() => {
      const gap = el.querySelector("#item-gap") as HTMLTextAreaElement;
      gap.value = text;
      gap.dispatchEvent(new Event("input", { bubbles: true }));
    });
  afterEach(() => {
    vi.useRealTimers();
    calls.length = 0;
    failing = null;
  });

  it("saves the item 700 ms after the last keystroke, and at once when the item is left", async () => {
    vi.useFakeTimers();
    t0 = Date.now();
    const { ItemEditor } = await import("./item-editor");
    const el = document.createElement("div");
    const onSaved = vi.fn();
    await act(() => render(<ItemEditor t={t} lang="es" country="GT" entry={entry()} view={view()} others={[]} onClose={() => {}} onSaved={onSaved} />, el));
    await typeGap(el, "Falta la");
    await pass(300);
    await typeGap(el, "Falta la ley");
    expect(el.querySelector("#item-save-state")?.textContent).toBe("Cambios sin guardar…");
    await pass(699);
    expect(calls).toEqual([]);
    await pass(1);
    expect(calls.map(([at, n, a]) => [at, n, a[0], a[1], (a[2] as { gap: string }).gap])).toEqual([[1000, "updateLegalItem", "GT", "TIP-05", "Falta la ley"]]);
    expect(el.querySelector("#item-save-state")?.textContent).toBe("✓ Guardado en este equipo");
    expect(onSaved).toHaveBeenCalledTimes(1);

    await typeGap(el, "Falta la ley de 2009");
    await pass(100);
    await act(() => render(null, el));
    expect(calls.map(([at, , a]) => [at, (a[2] as { gap: string }).gap])).toEqual([
      [1000, "Falta la ley"],
      [1100, "Falta la ley de 2009"],
    ]);
    // Each save is made on what the editor read: the assessment's heads
    // first, then the last save's.
    expect(calls.map(([, , a]) => a[3])).toEqual([["h1"], ["after-1"]]);
    await pass(2000);
    expect(calls.length).toBe(2);
  });

  it("a refused save is said, and leaving the item does not send it again", async () => {
    vi.useFakeTimers();
    t0 = Date.now();
    failing = { code: "invalid_input", message: "El año no es válido", issues: [] };
    const { ItemEditor } = await import("./item-editor");
    const el = document.createElement("div");
    await act(() => render(<ItemEditor t={t} lang="es" country="GT" entry={entry()} view={view()} others={[]} onClose={() => {}} onSaved={() => {}} />, el));
    await typeGap(el, "x");
    await pass(700);
    expect(el.querySelector("#item-error")?.textContent).toBe("El año no es válido");
    expect(el.querySelector("#item-save-state")?.textContent).toBe("");
    await act(() => render(null, el));
    await pass(2000);
    expect(calls.length).toBe(1);
  });
});
