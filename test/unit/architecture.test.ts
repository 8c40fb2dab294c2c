// The house rules of issue #11, checked over all of src/ so they hold after the reshaping:
// only src/aws/ talks to the AWS SDK, no file passes 250 lines, and no module depends on itself
// through others (type-only and lazy imports count: they tie modules together as much as values do).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src", import.meta.url));
const files = (readdirSync(src, { recursive: true }) as string[])
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.split(path.sep).join("/"))
  .sort();
const text = new Map(files.map((f) => [f, readFileSync(path.join(src, f), "utf8")]));

/** src-relative import edges of `file` (static, type-only, re-exports and `import()`), by TypeScript's own scanner. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(text.get(file)!, true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, ".ts"))
    .filter((target) => text.has(target));
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("the shape of src/ (issue #11)", () => {
  it("finds the files it checks", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain("cli.ts");
  });

  it("only src/aws/ mentions the AWS SDK packages", () => {
    const outside = files.filter((f) => !f.startsWith("aws/") && text.get(f)!.includes("@aws-sdk/"));
    expect(outside).toEqual([]);
  });

  it("no file in src/ is over 250 lines", () => {
    const long = files
      .map((f) => ({ f, lines: text.get(f)!.split("\n").length - (text.get(f)!.endsWith("\n") ? 1 : 0) }))
      .filter(({ lines }) => lines > 250)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });

  it("has no import cycle, counting type-only and lazy imports", () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    expect(cycles(graph).map((c) => c.join(" ↔ "))).toEqual([]);
  });

  it("the cycle finder finds a cycle, a self-import, and nothing in a tree", () => {
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c"]]);
    expect(cycles(new Map([["a", ["a"]]]))).toEqual([["a"]]);
    expect(cycles(new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
  });

  it("reads type-only, re-export and lazy imports as edges", () => {
    text.set("probe/x.ts", 'import type { A } from "./y.js";\nexport { B } from "../cli.js";\nawait import("./z.js");\n');
    text.set("probe/y.ts", "");
    text.set("probe/z.ts", "");
    try {
      expect(importsOf("probe/x.ts").sort()).toEqual(["cli.ts", "probe/y.ts", "probe/z.ts"]);
    } finally {
      ["probe/x.ts", "probe/y.ts", "probe/z.ts"].forEach((f) => text.delete(f));
    }
  });
});
