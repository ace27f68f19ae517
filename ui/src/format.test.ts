import { describe, expect, it, vi } from "vitest";
import { dateRange, debounce, parseDate, routeCountries, shortTime, showDate } from "./format";

describe("format", () => {
  it("merges consecutive countries of a route", () => {
    expect(routeCountries([{ country: "HN" }, { country: "GT" }, { country: "GT" }, { country: "MX" }])).toEqual(["HN", "GT", "MX"]);
    expect(routeCountries([])).toEqual([]);
  });
  it("formats date ranges", () => {
    expect(dateRange({ from: "2026-01-03", to: "2026-01-05" })).toBe("2026-01-03 – 2026-01-05");
    expect(dateRange({ from: "2026-01-03" })).toBe("2026-01-03");
    expect(dateRange({})).toBe("");
  });
  it("keeps unparseable times as they are", () => {
    expect(shortTime("not a time")).toBe("not a time");
    expect(shortTime("2026-03-01T10:05:00Z")).toMatch(/^2026-03-0[12] \d\d:05$/);
  });
  it("debounces", () => {
    vi.useFakeTimers();
    const f = vi.fn();
    const d = debounce(f, 100);
    d(1);
    d(2);
    vi.advanceTimersByTime(99);
    expect(f).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(f).toHaveBeenCalledTimes(1);
    expect(f).toHaveBeenCalledWith(2);
    vi.useRealTimers();
  });
});

describe("dates as typed", () => {
  it("reads day-first and ISO dates", () => {
    expect(parseDate("3/1/2026")).toEqual({ kind: "ok", iso: "2026-01-03" });
    expect(parseDate(" 29.02.2028 ")).toEqual({ kind: "ok", iso: "2028-02-29" });
    expect(parseDate("2026-11-27")).toEqual({ kind: "ok", iso: "2026-11-27" });
    expect(parseDate("")).toEqual({ kind: "empty" });
    expect(showDate("2026-01-03")).toBe("03/01/2026");
  });
  it("refuses 31 February with the reason instead of moving it to March", () => {
    const r = parseDate("31/02/2026");
    expect(r.kind).toBe("bad");
    if (r.kind === "bad") {
      expect(r.key).toBe("ui-date-day");
      expect(r.args.days).toBe(28);
    }
    expect(parseDate("29/02/2026").kind).toBe("bad");
    expect(parseDate("12/13/2026")).toMatchObject({ kind: "bad", key: "ui-date-month" });
    expect(parseDate("mañana")).toMatchObject({ kind: "bad", key: "ui-date-format" });
    expect(parseDate("1/1/20266")).toMatchObject({ kind: "bad", key: "ui-date-format" });
  });
});

import { ago, bytes, groupedKey } from "./format";

describe("sync display helpers", () => {
  it("sizes", () => {
    expect(bytes(512)).toBe("512 B");
    expect(bytes(3482)).toBe("3.4 KB");
    expect(bytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
  it("how long ago, in the user's language", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(ago("2026-11-30T11:57:00Z", "es", now)).toBe("hace 3 minutos");
    expect(ago("2026-11-30T11:57:00Z", "en", now)).toBe("3 minutes ago");
    expect(ago("2026-11-28T12:00:00Z", "es", now)).toBe("anteayer");
    expect(ago("not a date", "es", now)).toBe("not a date");
  });
  it("keys in groups of four", () => {
    expect(groupedKey("6a99629e27f6791b")).toBe("6a99 629e 27f6 791b");
  });
});
