// The charts of a one-way table: horizontal bars (every field) and a line
// over the years (when the table is by year). A hidden cell is never drawn
// as a number or as zero: it is a hatched mark with the words of its reason.
import type { Lang } from "../bindings/Lang";
import type { StatsCell } from "../bindings/StatsCell";
import type { T } from "../i18n";
import { fieldLabel, reasonLabel, UNKNOWN, valueLabel } from "./labels";

/** The hatching of hidden cells (one pattern per SVG, so each draws alone). */
export function Hatch({ id }: { id: string }) {
  return (
    <pattern id={id} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
      <rect width="6" height="6" fill="#fff" />
      <line x1="0" y1="0" x2="0" y2="6" stroke="#6b7785" stroke-width="2" />
    </pattern>
  );
}

/** Round ticks from 0 to at least `max` (whole numbers, about `n` steps). */
export function ticks(max: number, n = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p);
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(Math.round(v));
  return out;
}

/** A count for people, grouped as the language writes it. */
export function num(lang: Lang, n: number): string {
  return n.toLocaleString(lang === "es" ? "es-ES" : "en-US");
}

/** Cuts a label to `max` characters (the whole label stays in the title). */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const WIDTH = 760;
const LABEL_W = 230;
const ROW_H = 24;
const TOP = 22;

/** One bar per value of a one-way table (#stats-chart). */
export function BarChart({ t, lang, field, cells }: { t: T; lang: Lang; field: string; cells: StatsCell[] }) {
  const plotW = WIDTH - LABEL_W - 150;
  const shown = cells.filter((c) => !c.suppressed && c.count !== null).map((c) => c.count ?? 0);
  const scale = ticks(Math.max(1, ...shown));
  const top = scale[scale.length - 1];
  const x = (n: number) => LABEL_W + (n / top) * plotW;
  const hiddenW = Math.round(plotW * 0.3);
  const height = TOP + cells.length * ROW_H + 6;
  return (
    <svg
      id="stats-chart"
      class="stats-chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width={WIDTH}
      height={height}
      role="img"
      aria-label={t("ui-stats-chart-label", { field: fieldLabel(t, field) })}
    >
      <defs>
        <Hatch id="stats-hatch-bar" />
      </defs>
      {scale.map((v) => (
        <g key={v} class="axis">
          <line x1={x(v)} x2={x(v)} y1={TOP - 4} y2={height - 4} />
          <text x={x(v)} y={TOP - 8} text-anchor="middle">
            {num(lang, v)}
          </text>
        </g>
      ))}
      {cells.map((c, i) => {
        const v = c.values[field] ?? UNKNOWN;
        const label = valueLabel(lang, field, v);
        const y = TOP + i * ROW_H;
        if (c.suppressed || c.count === null) {
          const why = reasonLabel(t, c.reason);
          return (
            <g key={v} class="bar-row stats-hidden" data-value={v} data-reason={c.reason ?? "below_k"}>
              <title>{`${label}: ${why}`}</title>
              <text x={LABEL_W - 8} y={y + 16} text-anchor="end" class="bar-label">
                {clip(label, 34)}
              </text>
              <rect x={LABEL_W} y={y + 4} width={hiddenW} height={ROW_H - 8} class="bar-hidden" fill="url(#stats-hatch-bar)" />
              <text x={LABEL_W + hiddenW + 6} y={y + 16} class="bar-reason">
                {why}
              </text>
            </g>
          );
        }
        const n = c.count;
        return (
          <g key={v} class="bar-row" data-value={v}>
            <title>{`${label}: ${num(lang, n)}`}</title>
            <text x={LABEL_W - 8} y={y + 16} text-anchor="end" class="bar-label">
              {clip(label, 34)}
            </text>
            <rect x={LABEL_W} y={y + 4} width={n > 0 ? Math.max(2, x(n) - LABEL_W) : 0} height={ROW_H - 8} class="bar" />
            <text x={x(n) + 6} y={y + 16} class="bar-count">
              {num(lang, n)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A line over the years of a table by year (#stats-timeseries); hidden years are hatched gaps. */
export function TimeSeries({ t, lang, cells }: { t: T; lang: Lang; cells: StatsCell[] }) {
  const years = cells
    .map((c) => ({ c, year: Number(c.values.year) }))
    .filter((p) => (p.c.values.year ?? UNKNOWN) !== UNKNOWN && Number.isInteger(p.year))
    .sort((a, b) => a.year - b.year);
  if (years.length < 2) return null;
  const W = WIDTH;
  const H = 230;
  const m = { l: 56, r: 24, t: 16, b: 30 };
  const first = years[0].year;
  const last = years[years.length - 1].year;
  const shown = years.filter((p) => !p.c.suppressed && p.c.count !== null).map((p) => p.c.count ?? 0);
  const scale = ticks(Math.max(1, ...shown));
  const top = scale[scale.length - 1];
  const x = (year: number) => m.l + ((year - first) / Math.max(1, last - first)) * (W - m.l - m.r);
  const y = (n: number) => H - m.b - (n / top) * (H - m.t - m.b);
  // The line runs through consecutive years that are both shown; a hidden or
  // missing year breaks it.
  const segments: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> = [];
  let prev: number | null = null;
  for (const p of years) {
    const hidden = p.c.suppressed || p.c.count === null;
    if (hidden || (prev !== null && p.year !== prev + 1)) {
      if (run.length) segments.push(run);
      run = [];
    }
    if (!hidden) run.push([x(p.year), y(p.c.count ?? 0)]);
    prev = p.year;
  }
  if (run.length) segments.push(run);
  const band = Math.min(16, Math.max(8, (W - m.l - m.r) / (last - first + 1) / 2));
  const labelEvery = Math.ceil((last - first + 1) / 14);
  return (
    <svg
      id="stats-timeseries"
      class="stats-timeseries"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={t("ui-stats-timeseries-label")}
    >
      <defs>
        <Hatch id="stats-hatch-ts" />
      </defs>
      {scale.map((v) => (
        <g key={v} class="axis">
          <line x1={m.l} x2={W - m.r} y1={y(v)} y2={y(v)} />
          <text x={m.l - 6} y={y(v) + 4} text-anchor="end">
            {num(lang, v)}
          </text>
        </g>
      ))}
      {years.map((p) =>
        (p.year - first) % labelEvery === 0 ? (
          <text key={p.year} x={x(p.year)} y={H - m.b + 16} text-anchor="middle" class="axis-year">
            {p.year}
          </text>
        ) : null,
      )}
      {segments.map((s, i) =>
        s.length > 1 ? <polyline key={i} class="ts-line" points={s.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ")} /> : null,
      )}
      {years.map((p) => {
        if (p.c.suppressed || p.c.count === null) {
          const why = reasonLabel(t, p.c.reason);
          return (
            <g key={p.year} class="ts-point stats-hidden" data-value={String(p.year)} data-reason={p.c.reason ?? "below_k"}>
              <title>{`${p.year}: ${why}`}</title>
              <rect x={x(p.year) - band / 2} y={m.t} width={band} height={H - m.t - m.b} class="ts-hidden" fill="url(#stats-hatch-ts)" />
            </g>
          );
        }
        const n = p.c.count ?? 0;
        return (
          <g key={p.year} class="ts-point" data-value={String(p.year)}>
            <title>{`${p.year}: ${num(lang, n)}`}</title>
            <circle cx={x(p.year)} cy={y(n)} r={4} class="ts-dot" />
          </g>
        );
      })}
    </svg>
  );
}

/** A small legend swatch of the hatching, for HTML legends. */
export function HatchSwatch() {
  return <span class="hatch-swatch" aria-hidden="true" />;
}
