// A form's messages beside its fields: the issues the core answered (a
// Fluent key and its arguments, the field's words given as `path`) and the
// form's own, each shown next to the field its path names.
import { useState } from "preact/hooks";
import type { Issue } from "./bindings/Issue";
import type { T } from "./i18n";

/** A message the form itself says about a field (its text already in words). */
export function localIssue(path: string, text: string): Issue {
  return { path, code: "", severity: "error", args: [["text", text]] };
}

/**
 * The issues of a form and how each field shows its own. `label`: a path
 * in words (said inside the core's messages).
 */
export function useFieldIssues(t: T, label: (path: string) => string) {
  const [issues, setIssues] = useState<Issue[]>([]);
  const msgs = (path: string) =>
    issues
      .filter((i) => i.path === path)
      .map((i) => ({
        text: i.code ? t(i.code, Object.fromEntries([...i.args, ["path", label(path)]])) : (i.args[0]?.[1] ?? ""),
        error: i.severity === "error",
      }));
  const invalid = (path: string) => msgs(path).some((m) => m.error);
  const shown = (path: string) =>
    msgs(path).map((m, n) => (
      <span key={`${path} ${n}`} class={m.error ? "field-error" : "field-warning"} role={m.error ? "alert" : undefined} data-path={path}>
        {m.text}
      </span>
    ));
  return { issues, setIssues, invalid, shown };
}
