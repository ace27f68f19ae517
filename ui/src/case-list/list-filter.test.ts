import { describe, expect, it } from "vitest";
import { activeFilters, withReviewDue } from "./list-filter";

describe("case list filters", () => {
  it("counts only the filters that narrow the list", () => {
    expect(activeFilters({})).toBe(0);
    expect(activeFilters({ sort: "owner", descending: true })).toBe(0);
    expect(activeFilters({ role: "origin", purpose: "forced_labour", opened_from: "2026-01-01" })).toBe(3);
    expect(activeFilters({ review_due: true })).toBe(1);
    expect(activeFilters({ review_due: false })).toBe(0);
  });

  it("the reviews-due filter sets review_due, and unsetting it removes it", () => {
    const on = withReviewDue({ status: "reported", sort: "updated" }, true);
    expect(on).toEqual({ status: "reported", sort: "updated", review_due: true });
    const off = withReviewDue(on, false);
    expect(off.review_due).toBeUndefined();
    // Sent as JSON: no review_due at all once unset.
    expect(JSON.parse(JSON.stringify(off))).toEqual({ status: "reported", sort: "updated" });
  });
});
