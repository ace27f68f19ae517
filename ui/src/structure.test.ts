// The UI's files import each other without cycles. Every .ts/.tsx file under
// src/ (bindings/ excepted: generated from Rust) is read, its relative
// imports resolved (`import type`, `export … from`, side-effect and dynamic
// imports included), and any cycle is named file by file.
import { describe, expect, it } from "vitest";

const SOURCES = import.meta.glob(["./**/*.ts", "./**/*.tsx", "!./bindings/**"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** The module specifiers a source imports or re-exports. */
export function specifiers(src: string): string[] {
  const out: string[] = [];
  const patterns = [
    // import x from "…"; import type { A, B } from "…" (over several lines); export { x } from "…"; export * from "…"
    /^\s*(?:import|export)\s[^;'"]*?\bfrom\s*["']([^"']+)["']/gm,
    // import "./styles.css";
    /^\s*import\s*["']([^"']+)["']/gm,
    // await import("./x")
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of src.matchAll(re)) out.push(m[1]);
  return out;
}

/** `./a/b.tsx` + `../c` → `./c` (the file, when it is one of `files`). */
export function resolve(from: string, spec: string, files: Set<string>): string | null {
  if (!spec.startsWith(".")) return null;
  const parts = from.split("/").slice(0, -1);
  for (const p of spec.split("?")[0].split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  const base = parts.join("/");
  for (const c of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) if (files.has(c)) return c;
  return null;
}

/** Every knot of files importing each other: a cycle through it (a path that ends where it starts) and all its files. */
export function cycles(graph: Map<string, string[]>): { cycle: string[]; files: string[] }[] {
  // Tarjan's strongly connected components; a component of more than one
  // file (or a file importing itself) holds a cycle, shown by a walk in it.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: { cycle: string[]; files: string[] }[] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) found.push({ cycle: walk(graph, new Set(comp)), files: comp.sort() });
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}

/** A cycle through the component: from its first file until a file repeats. */
function walk(graph: Map<string, string[]>, comp: Set<string>): string[] {
  const start = [...comp].sort()[0];
  const path = [start];
  const seen = new Map([[start, 0]]);
  for (let v = start; ; ) {
    v = (graph.get(v) ?? []).filter((w) => comp.has(w)).sort()[0];
    if (seen.has(v)) return [...path.slice(seen.get(v)), v];
    seen.set(v, path.length);
    path.push(v);
  }
}

function graphOf(sources: Record<string, string>): Map<string, string[]> {
  const files = new Set(Object.keys(sources));
  const graph = new Map<string, string[]>();
  for (const [file, src] of Object.entries(sources)) {
    const deps = specifiers(src)
      .map((s) => resolve(file, s, files))
      .filter((d): d is string => d !== null);
    graph.set(file, [...new Set(deps)]);
  }
  return graph;
}

describe("structure", () => {
  it("reads imports of every kind, over several lines", () => {
    const src = [
      'import { a } from "./a";',
      "import type {",
      "  B,",
      "  C,",
      '} from "../b";',
      'export { d } from "./d";',
      'export * from "./e";',
      'import "./styles.css";',
      'const m = await import("./f");',
      'const s = "import x from \'./not-an-import\'";',
      'export const x = 1; // from "./nope"',
    ].join("\n");
    expect(specifiers(src).sort()).toEqual(["../b", "./a", "./d", "./e", "./f", "./styles.css"]);
    const files = new Set(["./x/a.tsx", "./b.ts", "./x/y/index.ts"]);
    expect(resolve("./x/z.tsx", "./a", files)).toBe("./x/a.tsx");
    expect(resolve("./x/z.tsx", "../b", files)).toBe("./b.ts");
    expect(resolve("./x/z.tsx", "./y", files)).toBe("./x/y/index.ts");
    expect(resolve("./x/z.tsx", "../../locales/es/enlace.ftl?raw", files)).toBeNull();
    expect(resolve("./x/z.tsx", "preact", files)).toBeNull();
  });

  it("finds and names a cycle", () => {
    const g = graphOf({
      "./a.ts": 'import { b } from "./b";',
      "./b.ts": 'import type { C } from "./c";',
      "./c.tsx": 'import { a } from "./a";\nimport { d } from "./d";',
      "./d.ts": "",
      "./e.ts": 'import { e } from "./e";',
    });
    expect(cycles(g).map((c) => c.cycle)).toEqual([["./a.ts", "./b.ts", "./c.tsx", "./a.ts"], ["./e.ts", "./e.ts"]]);
    expect(cycles(g)[0].files).toEqual(["./a.ts", "./b.ts", "./c.tsx"]);
    expect(cycles(graphOf({ "./a.ts": 'import "./b";', "./b.ts": "" }))).toEqual([]);
  });

  it("no UI file imports itself back, directly or through others", () => {
    const graph = graphOf(SOURCES);
    // Not vacuous: the files were read and their imports resolved.
    expect(graph.size).toBeGreaterThan(20);
    expect(graph.has("./bindings/vocabulary.ts")).toBe(false);
    expect(graph.get("./main.tsx")).toContain("./app.tsx");
    const named = cycles(graph).map((c) => `${c.cycle.join(" → ")} (all ${c.files.length} files of this circle: ${c.files.join(", ")})`);
    expect(named).toEqual([]);
  });
});
