// Pure helpers for display, tested with Vitest.
import type { RoutePoint } from "./bindings/RoutePoint";
import type { RouteStop } from "./bindings/RouteStop";

/** Route countries in order, consecutive repeats merged: HN → GT → MX. */
export function routeCountries(points: Array<Pick<RoutePoint, "country">>): string[] {
  const out: string[] = [];
  for (const p of points) if (out[out.length - 1] !== p.country) out.push(p.country);
  return out;
}

/** `2026-01-03 – 2026-01-05`, `2026-01-03`, or empty. */
export function dateRange(stop: Pick<RouteStop, "from" | "to">): string {
  if (stop.from && stop.to) return `${stop.from} – ${stop.to}`;
  return stop.from ?? stop.to ?? "";
}

/** A timestamp as `YYYY-MM-DD HH:MM` in local time. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Debounces `f` by `ms`. */
export function debounce<A extends unknown[]>(f: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    if (t !== undefined) clearTimeout(t);
    t = setTimeout(() => f(...a), ms);
  };
}
