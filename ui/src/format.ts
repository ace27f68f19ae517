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

/** What a typed date is: empty, a valid ISO date, or why it is not one. */
export type DateParse = { kind: "empty" } | { kind: "ok"; iso: string } | { kind: "bad"; key: string; args: Record<string, string | number> };

/**
 * Reads a date as people in the region type it: `31/1/2026`, `31-01-2026`,
 * `31.01.2026` (day first) or ISO `2026-01-31`. `31/02/2026` is refused with
 * the reason (February 2026 has 28 days), never silently moved to March.
 */
export function parseDate(text: string): DateParse {
  const s = text.trim();
  if (!s) return { kind: "empty" };
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return { kind: "bad", key: "ui-date-format", args: { text: s } };
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  if (mo < 1 || mo > 12) return { kind: "bad", key: "ui-date-month", args: { text: s, month: mo } };
  if (y < 1900 || y > 2100) return { kind: "bad", key: "ui-date-year", args: { text: s, year: y } };
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > days) return { kind: "bad", key: "ui-date-day", args: { text: s, day: d, days, month: mo, year: y } };
  const p = (n: number) => String(n).padStart(2, "0");
  return { kind: "ok", iso: `${y}-${p(mo)}-${p(d)}` };
}

/** An ISO date as `dd/mm/yyyy` (how the region writes dates). */
export function showDate(iso?: string | null): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A size in bytes for people: `512 B`, `3.4 KB`, `1.2 MB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** How long ago `iso` was, in `lang` ("hace 3 minutos", "3 minutes ago"). */
export function ago(iso: string, lang: string, now: number = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const secs = Math.round((t - now) / 1000);
  const fmt = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
  const abs = Math.abs(secs);
  if (abs < 60) return fmt.format(secs, "second");
  if (abs < 3600) return fmt.format(Math.round(secs / 60), "minute");
  if (abs < 86400) return fmt.format(Math.round(secs / 3600), "hour");
  return fmt.format(Math.round(secs / 86400), "day");
}

/** A node key shown in groups of four hex digits, easier to read out. */
export function groupedKey(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(" ");
}
