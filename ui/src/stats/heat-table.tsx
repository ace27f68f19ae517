// A two-way table as a heat table: rows are the first field's values,
// columns the second's, each cell shaded by its count on a single-hue scale
// and with its number printed (so it reads in black and white); a hidden cell
// is hatched with a short mark, its reason in the title.
import type { Lang } from "../bindings/Lang";
import type { StatsCell } from "../bindings/StatsCell";
import type { T } from "../i18n";
import { num } from "./charts";
import { fieldLabel, reasonLabel, sortValues, UNKNOWN, valueLabel } from "./labels";

/** The five shades' upper bounds for counts up to `max` (whole numbers). */
export function shadeEdges(max: number): number[] {
  return [1, 2, 3, 4, 5].map((i) => Math.ceil((Math.max(1, max) * i) / 5));
}

/** The shade class of a count: 0 for none, else 1 (light) to 5 (dark). */
export function shadeOf(n: number, edges: number[]): number {
  if (n <= 0) return 0;
  const i = edges.findIndex((e) => n <= e);
  return i < 0 ? 5 : i + 1;
}

/** The short mark of a hidden cell. */
function mark(t: T, reason: string | undefined): string {
  if (reason === "complementary") return t("ui-stats-mark-complementary");
  if (reason === "difference") return t("ui-stats-mark-difference");
  return t("ui-stats-mark-below-k");
}

/** The values of `field` the cells hold, in the server's order for that field. */
function axis(cells: StatsCell[], field: string): string[] {
  const seen = new Set<string>();
  for (const c of cells) seen.add(c.values[field] ?? UNKNOWN);
  return sortValues(field, [...seen]);
}

export function HeatTable({ t, lang, by, cells }: { t: T; lang: Lang; by: string[]; cells: StatsCell[] }) {
  const [rf, cf] = by;
  const rows = axis(cells, rf);
  const cols = axis(cells, cf);
  const at = new Map(cells.map((c) => [`${c.values[rf] ?? UNKNOWN}\u0000${c.values[cf] ?? UNKNOWN}`, c]));
  const max = Math.max(0, ...cells.filter((c) => !c.suppressed && c.count !== null).map((c) => c.count ?? 0));
  const edges = shadeEdges(max);
  const minShown = Math.min(max, ...cells.filter((c) => !c.suppressed && (c.count ?? 0) > 0).map((c) => c.count ?? 0));
  const ranges = edges
    // The first shade starts at the smallest count shown (never at 1: a
    // published table shows no count under k).
    .map((e, i) => ({ shade: i + 1, from: i === 0 ? minShown : edges[i - 1] + 1, to: e }))
    .filter((r) => r.from <= r.to && r.from <= Math.max(1, max));
  const caption = t("ui-stats-heat-label", { row: fieldLabel(t, rf), col: fieldLabel(t, cf) });
  return (
    <div class="stats-heat-wrap">
      <div class="stats-heat-scroll">
        <table id="stats-heat" class="stats-heat">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" class="corner">
                {fieldLabel(t, rf)} \ {fieldLabel(t, cf)}
              </th>
              {cols.map((c) => (
                <th scope="col" key={c} data-value={c}>
                  {valueLabel(lang, cf, c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const rl = valueLabel(lang, rf, r);
              return (
                <tr key={r} data-value={r}>
                  <th scope="row">{rl}</th>
                  {cols.map((c) => {
                    const cell = at.get(`${r}\u0000${c}`);
                    const cl = valueLabel(lang, cf, c);
                    if (!cell) {
                      return (
                        <td key={c} class="heat-none" title={`${rl} · ${cl}: ${t("ui-stats-heat-none")}`}>
                          –
                        </td>
                      );
                    }
                    if (cell.suppressed || cell.count === null) {
                      const why = reasonLabel(t, cell.reason);
                      return (
                        <td key={c} class="heat-hidden stats-hidden" data-reason={cell.reason ?? "below_k"} title={`${rl} · ${cl}: ${why}`}>
                          <span aria-hidden="true">{mark(t, cell.reason)}</span>
                          <span class="visually-hidden">{why}</span>
                        </td>
                      );
                    }
                    const n = cell.count;
                    return (
                      <td key={c} class={`heat-${shadeOf(n, edges)}`} title={`${rl} · ${cl}: ${num(lang, n)}`}>
                        {num(lang, n)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ul class="legend stats-legend" aria-label={t("ui-stats-legend")}>
        <li>
          <span class="heat-swatch heat-0">0</span> {t("ui-stats-legend-zero")}
        </li>
        {ranges.map((r) => (
          <li key={r.shade}>
            <span class={`heat-swatch heat-${r.shade}`} aria-hidden="true" />{" "}
            {r.from === r.to ? num(lang, r.from) : t("ui-stats-range", { from: num(lang, r.from), to: num(lang, r.to) })}
          </li>
        ))}
        <li>
          <span class="heat-swatch heat-hidden">{t("ui-stats-mark-below-k")}</span> {t("stats-hidden-below-k")}
        </li>
        <li>
          <span class="heat-swatch heat-hidden">{t("ui-stats-mark-complementary")}</span> {t("stats-hidden-complementary")}
        </li>
        <li>
          <span class="heat-swatch heat-hidden">{t("ui-stats-mark-difference")}</span> {t("stats-hidden-difference")}
        </li>
        <li>
          <span class="heat-swatch heat-none">–</span> {t("ui-stats-heat-none")}
        </li>
      </ul>
    </div>
  );
}
