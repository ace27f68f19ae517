import { describe, expect, it } from "vitest";
import { activeFilters } from "./list-filter";

describe("case list filters", () => {
  it("counts only the filters that narrow the list", () => {
    expect(activeFilters({})).toBe(0);
    expect(activeFilters({ sort: "owner", descending: true })).toBe(0);
    expect(activeFilters({ role: "origin", purpose: "forced_labour", opened_from: "2026-01-01" })).toBe(3);
  });
});
