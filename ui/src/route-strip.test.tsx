import { render } from "preact";
import { describe, expect, it } from "vitest";
import { RouteStrip } from "./route-strip";
import { translate } from "./i18n";

describe("RouteStrip", () => {
  it("draws the stops in order with their roles, countries and dates", () => {
    const el = document.createElement("div");
    const t = (k: string, a?: Record<string, string | number>) => translate("es", k, a);
    render(
      <RouteStrip
        t={t}
        lang="es"
        stops={[
          { country: "HN", role: "origin", place: "San Pedro Sula", from: "2026-01-03", to: "2026-01-05" },
          { country: "GT", role: "transit", place: "Tecún Umán" },
          { country: "MX", role: "exploitation", place: "Tapachula", from: "2026-01-09" },
        ]}
      />,
      el,
    );
    const stops = [...el.querySelectorAll("li.stop")];
    expect(stops.map((s) => s.querySelector(".stop-role")?.textContent)).toEqual(["Origen", "Tránsito", "Explotación"]);
    expect(stops.map((s) => s.querySelector(".stop-country")?.textContent)).toEqual(["Honduras", "Guatemala", "México"]);
    expect(stops[0].querySelector(".stop-dates")?.textContent).toBe("2026-01-03 – 2026-01-05");
    expect(stops[1].className).toContain("role-transit");
    expect(el.querySelector("ol")?.getAttribute("aria-label")).toBe("Ruta");
  });
});
