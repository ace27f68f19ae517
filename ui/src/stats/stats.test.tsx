import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DatasetView } from "../bindings/DatasetView";
import type { StatsCell } from "../bindings/StatsCell";
import type { StatsRequest } from "../bindings/StatsRequest";
import type { StatsTable } from "../bindings/StatsTable";
import type { Session } from "../bindings/Session";
import { SessionContext } from "../session";

/** What the fake shell answers, and the requests it was sent. */
const requests: StatsRequest[] = [];
let datasets: DatasetView[] = [];
let answer: (r: StatsRequest) => StatsTable | Promise<never> = () => table(["year"], []);
vi.mock("../api", () => ({
  api: {
    datasets: () => Promise.resolve(datasets),
    stats: (r: StatsRequest) => {
      requests.push(r);
      return Promise.resolve().then(() => answer(r));
    },
    exportStatsCsv: () => Promise.resolve({ path: "/x.csv", bytes: 1 }),
    exportStatisticsReport: () => Promise.resolve({ path: "/x.pdf", bytes: 1 }),
    openExport: () => Promise.resolve(),
  },
  asIpcError: (e: unknown) => e,
}));
import { SOURCES, countryName, hasKey, keysOf, translate } from "../i18n";
import { BarChart, TimeSeries } from "./charts";
import { HeatTable } from "./heat-table";
import { fieldLabel, sortValues, valueLabel } from "./labels";
import { curve, RouteMap, splitFlows } from "./route-map";
import { buildRequest, DEFAULT_SETTINGS, datasetsParam, Statistics } from "./stats";

const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);

function cell(values: Record<string, string>, count: number | null, reason?: string): StatsCell {
  return reason ? { values, count: null, suppressed: true, reason } : { values, count, suppressed: false };
}

function table(by: string[], cells: StatsCell[], exact = false): StatsTable {
  const suppressed: Record<string, number> = {};
  for (const c of cells) if (c.reason) suppressed[c.reason] = (suppressed[c.reason] ?? 0) + 1;
  return { by, k: exact ? 1 : 11, resolution: exact ? 1 : 11, exact, cells, total: 99, sources: ["cases", "dataset:1"], suppressed, published: false };
}

const dataset = (id: number, name: string): DatasetView => ({
  id,
  name,
  shape: "ctdc_global",
  file_name: `${name}.csv`,
  sha256: "0",
  encoding: "utf-8",
  imported_at: "2026-01-01T00:00:00Z",
  rows: 1234,
  skipped: 0,
});

/** Lets the fake shell answer and the section render (a few rounds: datasets, then the tables). */
async function flush() {
  for (let i = 0; i < 4; i++) await act(async () => void (await new Promise((r) => setTimeout(r, 0))));
}

describe("statistics labels", () => {
  it("names fields and values as the Rust side does", () => {
    expect(fieldLabel(t, "exploitation_country")).toBe("País de explotación");
    expect(valueLabel("es", "citizenship", "unknown")).toBe("Desconocido");
    expect(valueLabel("en", "purpose", "unknown")).toBe("Unknown");
    expect(valueLabel("es", "citizenship", "HN")).toBe("Honduras");
    expect(valueLabel("es", "purpose", "forced_marriage")).toBe("Matrimonio forzado");
    expect(valueLabel("en", "means", "survival")).toBe("Control of survival needs");
    expect(valueLabel("es", "exploitation_country", "PA")).toBe("Panamá");
    expect(valueLabel("es", "citizenship", "ZZ")).toBe("ZZ");
    expect(valueLabel("es", "purpose", "forced_labour")).toBe("Trabajos o servicios forzados");
    expect(valueLabel("en", "purpose", "forced_labour")).not.toBe("forced labour");
    expect(valueLabel("es", "means", "debt_bondage")).toBe("Servidumbre por deudas");
    expect(valueLabel("es", "means", "deception")).toBe("Engaño");
    expect(valueLabel("es", "source", "case_management")).toBe("Gestión de casos");
    expect(valueLabel("es", "source", "enlace")).toBe("Casos de Enlace");
    // A dataset's own source with no label: the code with spaces.
    expect(valueLabel("es", "source", "ngo_shelter_survey")).toBe("ngo shelter survey");
    expect(valueLabel("es", "majority", "minor")).toBe("Menor de edad");
    expect(valueLabel("es", "year", "2019")).toBe("2019");
    expect(valueLabel("es", "age", "48+")).toBe("48+");
  });

  it("sorts values as the server does: years and age bands in order, unknown last", () => {
    expect(sortValues("year", ["2020", "unknown", "2009", "2019"])).toEqual(["2009", "2019", "2020", "unknown"]);
    expect(sortValues("age", ["48+", "unknown", "9-17", "0-8"])).toEqual(["0-8", "9-17", "48+", "unknown"]);
    expect(sortValues("citizenship", ["unknown", "MX", "GT"])).toEqual(["GT", "MX", "unknown"]);
  });
});

describe("charts", () => {
  it("draws a hidden cell as a hatched bar with the words of its reason, never a number", () => {
    const el = document.createElement("div");
    const cells = [cell({ gender: "female" }, 132), cell({ gender: "male" }, null, "below_k"), cell({ gender: "unknown" }, null, "complementary")];
    render(<BarChart t={t} lang="es" field="gender" cells={cells} />, el);
    const svg = el.querySelector("svg#stats-chart");
    expect(svg?.getAttribute("role")).toBe("img");
    expect(svg?.getAttribute("aria-label")).toBe("Víctimas por Sexo");
    expect(svg?.querySelector("pattern#stats-hatch-bar")).not.toBeNull();
    const hidden = [...el.querySelectorAll(".stats-hidden")];
    expect(hidden.length).toBe(2);
    const male = el.querySelector('[data-value="male"]')!;
    expect(male.classList.contains("stats-hidden")).toBe(true);
    expect(male.querySelector("rect")?.getAttribute("fill")).toBe("url(#stats-hatch-bar)");
    expect(male.textContent).toContain("Hombre");
    expect(male.textContent).toContain("oculto (<k)");
    expect(male.textContent).not.toMatch(/\d/);
    expect(el.querySelector('[data-value="unknown"]')?.textContent).toContain("oculto (complementario)");
    expect(el.querySelector('[data-value="unknown"]')?.textContent).not.toMatch(/\d/);
    const female = el.querySelector('[data-value="female"]')!;
    expect(female.classList.contains("stats-hidden")).toBe(false);
    expect(female.querySelector(".bar-count")?.textContent).toBe("132");
  });

  it("the time series breaks its line at a hidden year and hatches it", () => {
    const el = document.createElement("div");
    const cells = ["2018", "2019", "2020", "2021", "2022"].map((y) => (y === "2020" ? cell({ year: y }, null, "difference") : cell({ year: y }, 22)));
    render(<TimeSeries t={t} lang="es" cells={[...cells, cell({ year: "unknown" }, 11)]} />, el);
    expect(el.querySelector("svg#stats-timeseries")?.getAttribute("role")).toBe("img");
    expect(el.querySelectorAll("polyline").length).toBe(2);
    expect(el.querySelectorAll(".ts-dot").length).toBe(4);
    const y2020 = el.querySelector('[data-value="2020"]')!;
    expect(y2020.classList.contains("stats-hidden")).toBe(true);
    expect(y2020.querySelector("rect")?.getAttribute("fill")).toBe("url(#stats-hatch-ts)");
    expect(y2020.querySelector("title")?.textContent).toBe("2020: oculto (diferencia)");
  });

  it("the heat table shades by count and marks hidden cells with their reason", () => {
    const el = document.createElement("div");
    const by = ["gender", "citizenship"];
    const cells = [
      cell({ gender: "female", citizenship: "GT" }, 55),
      cell({ gender: "female", citizenship: "HN" }, null, "below_k"),
      cell({ gender: "male", citizenship: "GT" }, null, "complementary"),
      cell({ gender: "male", citizenship: "HN" }, 11),
    ];
    render(<HeatTable t={t} lang="es" by={by} cells={cells} />, el);
    const heat = el.querySelector("table#stats-heat")!;
    expect([...heat.querySelectorAll("thead th")].map((h) => h.textContent)).toEqual(["Sexo \\ Nacionalidad", "Guatemala", "Honduras"]);
    const hidden = [...heat.querySelectorAll("td.stats-hidden")];
    expect(hidden.length).toBe(2);
    expect(hidden[0].getAttribute("title")).toBe("Mujer · Honduras: oculto (<k)");
    expect(hidden[0].textContent).not.toMatch(/\d/);
    expect(hidden[1].getAttribute("title")).toContain("oculto (complementario)");
    const shown = [...heat.querySelectorAll("td:not(.stats-hidden)")];
    expect(shown.map((td) => td.textContent)).toEqual(["55", "11"]);
    expect(shown[0].className).toBe("heat-5");
    expect(shown[1].className).toBe("heat-1");
    expect(el.querySelector(".stats-legend")?.textContent).toContain("oculto (diferencia)");
  });
});

describe("route map", () => {
  const flows = [
    cell({ citizenship: "HN", exploitation_country: "MX" }, 44),
    cell({ citizenship: "GT", exploitation_country: "MX" }, null, "below_k"),
    cell({ citizenship: "MX", exploitation_country: "MX" }, 22),
    cell({ citizenship: "PH", exploitation_country: "JP" }, 11),
    cell({ citizenship: "unknown", exploitation_country: "US" }, null, "complementary"),
  ];

  it("splits flows into those on the map and the rest", () => {
    const { inside, outside } = splitFlows(flows, new Set(["HN", "GT", "MX", "US"]));
    expect(inside.map((f) => `${f.from}-${f.to}`)).toEqual(["HN-MX", "GT-MX", "MX-MX"]);
    expect(outside.map((f) => `${f.from}-${f.to}`)).toEqual(["PH-JP", "unknown-US"]);
    expect(curve([0, 0], [100, 0], 0)).toBe("M0.0,0.0 Q50.0,-22.0 100.0,0.0");
  });

  it("draws an arrow for a shown flow, a dashed one without a number for a hidden flow, and lists the flows off the map", () => {
    const el = document.createElement("div");
    render(<RouteMap t={t} lang="es" cells={flows} />, el);
    const map = el.querySelector("svg#stats-map")!;
    expect(map.getAttribute("role")).toBe("img");
    expect(map.getAttribute("aria-label")).toBeTruthy();
    expect(map.querySelectorAll("path.map-land.focus").length).toBe(8);
    expect(map.querySelector('[data-country="US"]')?.classList.contains("focus")).toBe(false);
    expect([...map.querySelectorAll(".map-label")].map((l) => l.textContent)).toContain("Honduras");

    const hn = map.querySelector('path[data-flow="HN-MX"]')!;
    expect(hn.classList.contains("stats-hidden")).toBe(false);
    expect(hn.getAttribute("marker-end")).toBe("url(#stats-map-head)");
    expect(hn.getAttribute("d")).toMatch(/^M[\d.]+,[\d.]+ Q/);
    expect(Number(hn.getAttribute("stroke-width"))).toBe(9);
    expect(hn.querySelector("title")?.textContent).toBe("Honduras → México: 44 víctimas");

    const gt = map.querySelector('path[data-flow="GT-MX"]')!;
    expect(gt.classList.contains("stats-hidden")).toBe(true);
    expect(gt.getAttribute("marker-end")).toBe("url(#stats-map-head-hidden)");
    expect(gt.getAttribute("stroke-width")).toBeNull();
    expect(gt.querySelector("title")?.textContent).toBe("Guatemala → México: oculto (<k)");

    const own = map.querySelector('circle[data-flow="MX-MX"]')!;
    expect(Number(own.getAttribute("r"))).toBeGreaterThan(4);

    expect(map.querySelector('[data-flow="PH-JP"]')).toBeNull();
    const outside = el.querySelector("#stats-outside")!;
    const ph = outside.querySelector('tr[data-flow="PH-JP"]')!;
    expect(ph.textContent).toBe(`${countryName("es", "PH")}${countryName("es", "JP")}11`);
    expect(ph.classList.contains("stats-hidden")).toBe(false);
    const unknown = outside.querySelector('tr[data-flow="unknown-US"]')!;
    expect(unknown.classList.contains("stats-hidden")).toBe(true);
    expect(unknown.textContent).toBe("DesconocidoEstados Unidosoculto (complementario)");
  });
});

describe("statistics section", () => {
  afterEach(() => {
    requests.length = 0;
    datasets = [];
    answer = () => table(["year"], []);
  });

  it("builds requests with the API's conventions", () => {
    const all = [dataset(1, "CTDC"), dataset(2, "Otro")];
    expect(datasetsParam(all, [])).toEqual([]);
    expect(datasetsParam(all, [1])).toEqual([2]);
    expect(datasetsParam(all, [1, 2])).toBeNull();
    expect(datasetsParam([], [])).toBeNull();
    expect(buildRequest(DEFAULT_SETTINGS, all, ["year"])).toEqual({ by: ["year"], filter: {}, cases: true, datasets: [], exact: false, k: 11, resolution: 11 });
    expect(buildRequest({ ...DEFAULT_SETTINGS, k: "20" }, all, ["year"])?.resolution).toBe(20);
    expect(buildRequest({ ...DEFAULT_SETTINGS, k: "20", resolution: "25" }, all, ["year"])?.resolution).toBe(25);
    // Rounding to less than k is refused before asking.
    expect(buildRequest({ ...DEFAULT_SETTINGS, k: "20", resolution: "5" }, all, ["year"])).toBeNull();
    expect(buildRequest({ ...DEFAULT_SETTINGS, k: "5" }, all, ["year"])).toBeNull();
    expect(buildRequest({ ...DEFAULT_SETTINGS, k: "5", exact: true }, all, ["year"])?.exact).toBe(true);
    expect(buildRequest({ ...DEFAULT_SETTINGS, cases: false, excluded: [1, 2] }, all, ["year"])).toBeNull();
    expect(buildRequest({ ...DEFAULT_SETTINGS, filterField: "gender", filterValues: ["female"] }, all, ["year"])?.filter).toEqual({ gender: ["female"] });
  });

  it("asks for the table and the flows, shows them with the note, and sends exact: true when the box is ticked", async () => {
    datasets = [dataset(1, "CTDC 2024")];
    answer = (r) =>
      r.by[0] === "year"
        ? table(r.by, [cell({ year: "2019" }, 33), cell({ year: "2020" }, null, "below_k"), cell({ year: "2021" }, 22)], r.exact)
        : table(r.by, [cell({ citizenship: "HN", exploitation_country: "MX" }, 44)], r.exact);
    // Attached: a checkbox's click fires change only in a document.
    const el = document.body.appendChild(document.createElement("div"));
    await act(() => render(<Statistics t={t} lang="es" version={0} />, el));
    await flush();
    expect(requests.map((r) => r.by)).toEqual([["year"], ["citizenship", "exploitation_country"]]);
    expect(requests.every((r) => r.exact === false && r.k === 11 && r.resolution === 11 && r.cases && r.datasets?.length === 0)).toBe(true);
    expect(el.querySelector("#stats-section")).not.toBeNull();
    expect((el.querySelector("#stats-by-1") as HTMLSelectElement).value).toBe("year");
    expect((el.querySelector("#stats-by-2") as HTMLSelectElement).value).toBe("");
    expect(el.querySelector('[data-dataset="1"]')?.parentElement?.textContent).toBe("CTDC 2024 (1234 registros)");
    expect(el.querySelector("#stats-chart")).not.toBeNull();
    expect(el.querySelector("#stats-timeseries")).not.toBeNull();
    expect(el.querySelector("#stats-map")).not.toBeNull();
    expect(el.querySelectorAll("#stats-table tbody tr.stats-hidden").length).toBe(1);
    expect(el.querySelector("#stats-total")?.textContent).toBe("Total: 99");
    const note = el.querySelector("#stats-note")?.textContent ?? "";
    expect(note).toContain("Celdas de menos de 11 ocultas");
    expect(note).toContain("Casos de Enlace, CTDC 2024");
    expect(el.querySelector("#stats-exact-warning")).toBeNull();

    requests.length = 0;
    await act(() => (el.querySelector("#stats-exact") as HTMLInputElement).click());
    await flush();
    expect(requests.length).toBe(2);
    expect(requests.every((r) => r.exact)).toBe(true);
    expect(el.querySelector("#stats-exact-warning")?.textContent).toContain("registro de auditoría");
    expect(el.querySelector("#stats-note")?.textContent).toContain(t("stats-note-exact"));
    expect((el.querySelector("#stats-k") as HTMLInputElement).disabled).toBe(true);

    requests.length = 0;
    await act(() => {
      const by2 = el.querySelector("#stats-by-2") as HTMLSelectElement;
      by2.value = "gender";
      by2.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await flush();
    expect(requests[0].by).toEqual(["year", "gender"]);
    expect(el.querySelector("#stats-heat")).not.toBeNull();
    expect(el.querySelector("#stats-chart")).toBeNull();
    render(null, el);
    el.remove();
  });

  it("filters on the values of a one-way preview, shown as removable chips", async () => {
    answer = (r) =>
      r.by[0] === "gender" ? table(r.by, [cell({ gender: "female" }, 44), cell({ gender: "male" }, null, "below_k")]) : table(r.by, [cell({ year: "2020" }, 33)]);
    const el = document.body.appendChild(document.createElement("div"));
    await act(() => render(<Statistics t={t} lang="es" version={0} />, el));
    await flush();
    requests.length = 0;
    await act(() => {
      const field = el.querySelector("#stats-filter-field") as HTMLSelectElement;
      field.value = "gender";
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await flush();
    // The preview is never exact (so it is not audited) and not filtered.
    expect(requests).toEqual([{ by: ["gender"], filter: {}, cases: true, datasets: null, exact: false, k: 11, resolution: 11 }]);
    const boxes = [...el.querySelectorAll<HTMLInputElement>("#stats-filter-values input")];
    expect(boxes.map((b) => b.parentElement?.textContent)).toEqual(["Mujer", "Hombre"]);
    requests.length = 0;
    await act(() => boxes[0].click());
    await flush();
    expect(requests.map((r) => r.filter)).toEqual([{ gender: ["female"] }, { gender: ["female"] }]);
    expect(el.querySelector(".stats-chip")?.textContent).toContain("Mujer");
    requests.length = 0;
    await act(() => (el.querySelector(".chip-remove") as HTMLButtonElement).click());
    await flush();
    expect(requests.map((r) => r.filter)).toEqual([{}, {}]);
    expect(el.querySelector(".stats-chip")).toBeNull();
    render(null, el);
    el.remove();
  });

  it("explains how to import a dataset when there is nothing to count", async () => {
    const el = document.createElement("div");
    await act(() => render(<Statistics t={t} lang="es" version={0} />, el));
    await flush();
    const empty = el.querySelector("#stats-empty")?.textContent ?? "";
    expect(empty).toContain("enlace dataset import");
    expect(el.querySelector("#stats-chart")).toBeNull();
    render(null, el);
  });

  it("says what the shell refused in an alert", async () => {
    answer = () => Promise.reject({ code: "invalid_input", message: "Una tabla publicada oculta las celdas de menos de 11", issues: [], candidates: [] });
    const el = document.createElement("div");
    await act(() => render(<Statistics t={t} lang="es" version={0} />, el));
    await flush();
    expect(el.querySelector('[role="alert"]')?.textContent).toBe("Una tabla publicada oculta las celdas de menos de 11");
    render(null, el);
  });
});

describe("statistics translations", () => {
  it("every ui-stats- key the section uses exists in both languages, and both languages have the same ones", () => {
    const files = import.meta.glob(["./*.ts", "./*.tsx", "!./*.test.tsx"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;
    const used = new Set<string>();
    for (const src of Object.values(files)) for (const m of src.matchAll(/"(ui-stats-[a-z0-9-]+)"/g)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((k) => !hasKey("es", k) || !hasKey("en", k))).toEqual([]);
    const es = keysOf(SOURCES.es).filter((k) => k.startsWith("ui-stats-"));
    const en = keysOf(SOURCES.en).filter((k) => k.startsWith("ui-stats-"));
    expect(es).toEqual(en);
    expect(es.length).toBeGreaterThanOrEqual(used.size);
  });
});

describe("statistics for a role without exact counts or exports", () => {
  it("offers neither the exact-counts box nor the exports", async () => {
    datasets = [];
    answer = (r) => table(r.by, [cell({ year: "2020" }, 33)]);
    const officer: Session = { id: "o2", name: "José", role: "border_officer", permissions: ["see_identities", "see_risk_assessments", "edit_cases"], first: false };
    const el = document.body.appendChild(document.createElement("div"));
    await act(() =>
      render(
        <SessionContext.Provider value={officer}>
          <Statistics t={t} lang="es" version={0} />
        </SessionContext.Provider>,
        el,
      ),
    );
    await flush();
    expect(el.querySelector("#stats-k")).not.toBeNull();
    expect(el.querySelector("#stats-exact")).toBeNull();
    expect(el.querySelector("#stats-report")).toBeNull();
    expect(el.querySelector("#stats-export-csv")).toBeNull();
    expect(el.querySelector("#stats-export-htcds")).toBeNull();
    render(null, el);
    el.remove();
  });
});
