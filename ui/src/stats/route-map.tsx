// The route map: Mexico and Central America (the bundled offline outline,
// crates/enlace-report/geo/region.json, shared with the PDF report) with
// the flows of a table by citizenship and country of exploitation: a curved
// arrow from the victims' country to where they were exploited, its width
// by the count; a circle where they were exploited in their own country; a
// hidden flow as a thin dashed grey arrow without a number. Flows with a
// country off the map are listed in a small table under it.
import type { Lang } from "../bindings/Lang";
import type { StatsCell } from "../bindings/StatsCell";
import { countryName, type T } from "../i18n";
import region from "../../../crates/enlace-report/geo/region.json";
import { num } from "./charts";
import { reasonLabel, UNKNOWN, valueLabel } from "./labels";

export interface RegionCountry {
  code: string;
  name: string;
  focus: boolean;
  /** A point inside the largest polygon: the label and the flows' end. */
  label: number[];
  /** Outer rings, [lon, lat] points, open. */
  polygons: number[][][];
}

export interface Region {
  source: string;
  /** lonMin, latMin, lonMax, latMax: the view (every point lies inside). */
  bbox: number[];
  countries: RegionCountry[];
}

export const REGION: Region = region as Region;

const ORIGIN = "citizenship";
const DESTINATION = "exploitation_country";

/** Equirectangular, x scaled by cos(19°) (the region's middle latitude), `width` pixels wide. */
export function projection(bbox: number[], width: number) {
  const [x0, y0, x1, y1] = bbox;
  const kx = Math.cos((19 * Math.PI) / 180);
  const s = width / ((x1 - x0) * kx);
  return {
    width,
    height: Math.round((y1 - y0) * s),
    at: ([lon, lat]: number[]): [number, number] => [(lon - x0) * kx * s, (y1 - lat) * s],
  };
}

export interface Flow {
  from: string;
  to: string;
  cell: StatsCell;
}

/** The flows of a table by citizenship × country of exploitation: those drawn on the map and the rest. */
export function splitFlows(cells: StatsCell[], onMap: Set<string>): { inside: Flow[]; outside: Flow[] } {
  const inside: Flow[] = [];
  const outside: Flow[] = [];
  for (const cell of cells) {
    const from = cell.values[ORIGIN] ?? UNKNOWN;
    const to = cell.values[DESTINATION] ?? UNKNOWN;
    (onMap.has(from) && onMap.has(to) ? inside : outside).push({ from, to, cell });
  }
  return { inside, outside };
}

const hidden = (c: StatsCell) => c.suppressed || c.count === null;

/** A quadratic curve from `p` to `q`, bent to the left of its direction (so A→B and B→A do not overlap). */
export function curve(p: [number, number], q: [number, number], endGap = 6): string {
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const len = Math.hypot(dx, dy) || 1;
  const bend = 0.22 * len;
  const c: [number, number] = [(p[0] + q[0]) / 2 + (dy / len) * bend, (p[1] + q[1]) / 2 - (dx / len) * bend];
  // Stop short of the end, along the end's tangent (c → q), so the head does not hide the point.
  const ex = q[0] - c[0];
  const ey = q[1] - c[1];
  const el = Math.hypot(ex, ey) || 1;
  const end: [number, number] = [q[0] - (ex / el) * endGap, q[1] - (ey / el) * endGap];
  const f = (v: number) => v.toFixed(1);
  return `M${f(p[0])},${f(p[1])} Q${f(c[0])},${f(c[1])} ${f(end[0])},${f(end[1])}`;
}

const MAX_W = 9;
const MIN_W = 1.5;
const MAX_R = 20;
/** From this width on, an arrow's head is sized in stroke widths. */
const THICK = 3.75;
const MIN_R = 4;

/** An arrow's width for `n` victims when the largest flow has `max` (area-like: square root). */
export function flowWidth(n: number, max: number): number {
  return Math.max(MIN_W, MAX_W * Math.sqrt(n / Math.max(1, max)));
}

function circleRadius(n: number, max: number): number {
  return Math.max(MIN_R, MAX_R * Math.sqrt(n / Math.max(1, max)));
}

const WIDTH = 820;

export function RouteMap({ t, lang, cells }: { t: T; lang: Lang; cells: StatsCell[] }) {
  const proj = projection(REGION.bbox, WIDTH);
  const byCode = new Map(REGION.countries.map((c) => [c.code, c]));
  const { inside, outside } = splitFlows(cells, new Set(byCode.keys()));
  const point = (code: string) => proj.at(byCode.get(code)?.label ?? [0, 0]);
  const name = (code: string) => valueLabel(lang, ORIGIN, code);
  const max = Math.max(1, ...inside.filter((f) => !hidden(f.cell)).map((f) => f.cell.count ?? 0));
  const ring = (r: number[][]) => `M${r.map((p) => proj.at(p).map((v) => v.toFixed(1)).join(",")).join("L")}Z`;
  const arrows = inside.filter((f) => f.from !== f.to);
  const own = inside.filter((f) => f.from === f.to);
  // Thick flows first, so thin ones stay visible on top.
  const shownArrows = arrows.filter((f) => !hidden(f.cell) && (f.cell.count ?? 0) > 0).sort((a, b) => (b.cell.count ?? 0) - (a.cell.count ?? 0));
  const hiddenArrows = arrows.filter((f) => hidden(f.cell));
  // The legend's widths are counts the map shows (the largest, the
  // smallest, one between): never a made-up small number.
  const shownCounts = [...new Set(inside.filter((f) => !hidden(f.cell)).map((f) => f.cell.count ?? 0))].filter((n) => n > 0).sort((a, b) => b - a);
  const samples = [...new Set([shownCounts[0], shownCounts[Math.floor(shownCounts.length / 2)], shownCounts[shownCounts.length - 1]].filter((n): n is number => n !== undefined))];
  const ends = new Set([...shownArrows, ...hiddenArrows].flatMap((f) => [f.from, f.to]));
  return (
    <figure class="stats-map-figure">
      <svg
        id="stats-map"
        class="stats-map"
        viewBox={`0 0 ${proj.width} ${proj.height}`}
        width={proj.width}
        height={proj.height}
        role="img"
        aria-label={t("ui-stats-map-label")}
      >
        <defs>
          <clipPath id="stats-map-clip">
            <rect x="0" y="0" width={proj.width} height={proj.height} />
          </clipPath>
          {/* Heads grow with thick arrows (in stroke widths) and keep a readable size on thin ones. */}
          <marker id="stats-map-head" viewBox="0 0 10 10" refX="7" refY="5" markerWidth="2.4" markerHeight="2.4" orient="auto" markerUnits="strokeWidth">
            <path d="M0,0 L10,5 L0,10 z" class="map-head" />
          </marker>
          <marker id="stats-map-head-thin" viewBox="0 0 10 10" refX="7" refY="5" markerWidth="9" markerHeight="9" orient="auto" markerUnits="userSpaceOnUse">
            <path d="M0,0 L10,5 L0,10 z" class="map-head" />
          </marker>
          <marker id="stats-map-head-hidden" viewBox="0 0 10 10" refX="7" refY="5" markerWidth="7" markerHeight="7" orient="auto" markerUnits="userSpaceOnUse">
            <path d="M0,0 L10,5 L0,10 z" class="map-head-hidden" />
          </marker>
        </defs>
        <g clip-path="url(#stats-map-clip)">
          <rect x="0" y="0" width={proj.width} height={proj.height} class="map-sea" />
          {[...REGION.countries]
            .sort((a, b) => Number(a.focus) - Number(b.focus))
            .map((c) => (
              <path key={c.code} d={c.polygons.map(ring).join("")} class={c.focus ? "map-land focus" : "map-land"} data-country={c.code}>
                <title>{countryName(lang, c.code)}</title>
              </path>
            ))}
          {own.map((f) => {
            const [cx, cy] = point(f.from);
            if (hidden(f.cell)) {
              const why = reasonLabel(t, f.cell.reason);
              return (
                <circle key={`own-${f.from}`} cx={cx} cy={cy} r={MIN_R + 4} class="map-own stats-hidden" data-flow={`${f.from}-${f.to}`}>
                  <title>{t("ui-stats-flow-own-hidden", { country: name(f.from), reason: why })}</title>
                </circle>
              );
            }
            const n = f.cell.count ?? 0;
            if (n <= 0) return null;
            return (
              <circle key={`own-${f.from}`} cx={cx} cy={cy} r={circleRadius(n, max)} class="map-own" data-flow={`${f.from}-${f.to}`}>
                <title>{t("ui-stats-flow-own", { country: name(f.from), count: num(lang, n) })}</title>
              </circle>
            );
          })}
          {hiddenArrows.map((f) => (
            <path
              key={`${f.from}-${f.to}`}
              d={curve(point(f.from), point(f.to), 5)}
              class="map-flow stats-hidden"
              data-flow={`${f.from}-${f.to}`}
              marker-end="url(#stats-map-head-hidden)"
            >
              <title>{t("ui-stats-flow-hidden", { from: name(f.from), to: name(f.to), reason: reasonLabel(t, f.cell.reason) })}</title>
            </path>
          ))}
          {shownArrows.map((f) => {
            const n = f.cell.count ?? 0;
            const w = flowWidth(n, max);
            return (
              <path
                key={`${f.from}-${f.to}`}
                d={curve(point(f.from), point(f.to), 4 + w)}
                class="map-flow"
                data-flow={`${f.from}-${f.to}`}
                stroke-width={w.toFixed(1)}
                marker-end={w >= THICK ? "url(#stats-map-head)" : "url(#stats-map-head-thin)"}
              >
                <title>{t("ui-stats-flow", { from: name(f.from), to: name(f.to), count: num(lang, n) })}</title>
              </path>
            );
          })}
          {[...ends].map((code) => {
            const [x, y] = point(code);
            return <circle key={`dot-${code}`} cx={x} cy={y} r={2.5} class="map-dot" />;
          })}
          {REGION.countries
            .filter((c) => c.focus)
            .map((c) => {
              const [x, y] = proj.at(c.label);
              return (
                <text key={`label-${c.code}`} x={x} y={y + 14} text-anchor="middle" class="map-label">
                  {countryName(lang, c.code)}
                </text>
              );
            })}
        </g>
        <rect x="0.5" y="0.5" width={proj.width - 1} height={proj.height - 1} class="map-frame" />
      </svg>
      <figcaption>
        <ul class="legend stats-legend map-legend" aria-label={t("ui-stats-legend")}>
          {samples.map((n) => {
            const w = flowWidth(n, max);
            return (
              <li key={n}>
                <svg width="46" height="16" aria-hidden="true">
                  <line x1="2" y1="8" x2="40" y2="8" class="map-flow" stroke-width={w.toFixed(1)} />
                </svg>{" "}
                {t("ui-stats-map-legend-width", { count: num(lang, n) })}
              </li>
            );
          })}
          <li>
            <svg width="46" height="16" aria-hidden="true">
              <line x1="2" y1="8" x2="40" y2="8" class="map-flow stats-legend-hidden" />
            </svg>{" "}
            {t("ui-stats-map-legend-hidden")}
          </li>
          <li>
            <svg width="20" height="16" aria-hidden="true">
              <circle cx="10" cy="8" r="6" class="map-own" />
            </svg>{" "}
            {t("ui-stats-map-legend-own")}
          </li>
        </ul>
        <p class="muted small map-source">{t("ui-stats-map-source")}</p>
      </figcaption>
      {outside.length > 0 && (
        <div class="stats-outside">
          <h4>{t("ui-stats-outside")}</h4>
          <div class="stats-outside-scroll">
            <table class="grid stats-outside-table" id="stats-outside">
              <thead>
                <tr>
                  <th scope="col">{t("stats-field-citizenship")}</th>
                  <th scope="col">{t("stats-field-exploitation-country")}</th>
                  <th scope="col" class="num">
                    {t("ui-stats-count")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {outside.map((f) => (
                  <tr key={`${f.from}-${f.to}`} class={hidden(f.cell) ? "stats-hidden" : ""} data-flow={`${f.from}-${f.to}`}>
                    <td>{name(f.from)}</td>
                    <td>{name(f.to)}</td>
                    <td class="num">{hidden(f.cell) ? <em>{reasonLabel(t, f.cell.reason)}</em> : num(lang, f.cell.count ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </figure>
  );
}
