// The case list's filters and sort, remembered between starts.
import type { CaseFilter } from "../bindings/CaseFilter";

/** The filters and sort of the case list (remembered between starts). */
export type ListFilter = Omit<CaseFilter, "query" | "limit" | "offset">;

/** Filters that narrow the list (sort is not one). */
export function activeFilters(f: ListFilter): number {
  const keys: (keyof ListFilter)[] = ["status", "classification", "country", "role", "purpose", "means", "opened_from", "opened_to", "owner", "review_due"];
  return keys.filter((k) => f[k] !== undefined && f[k] !== null && f[k] !== "" && f[k] !== false).length;
}

/** Only cases with a victim's risk review overdue or due today (`on`), or all of them again. */
export function withReviewDue(f: ListFilter, on: boolean): ListFilter {
  return { ...f, review_due: on || undefined };
}
