import { describe, expect, it, vi } from "vitest";
import { dateRange, debounce, routeCountries, shortTime } from "./format";

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
