// Turns zod issues into one line each: "<field path>: <value> <what is wrong and what is allowed>".
import type { z } from "zod";
import { closest } from "../util/closest.js";

const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "nothing" : JSON.stringify(v));

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${show(v)} (${typeof v})`;
}

const article = (t: string) => (t === "object" ? "a mapping" : t === "array" ? "a list" : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/** The parse-level error map: wording for zod's built-in checks. Schema-level messages win over it. */
export function describeIssue(iss: z.core.$ZodRawIssue): string | undefined {
  const input = iss.input;
  switch (iss.code) {
    case "invalid_type":
      if (input === undefined) return `is required (${article(String(iss.expected))})`;
      return `expected ${article(String(iss.expected))}, got ${kind(input)}`;
    case "too_small": {
      const min = Number(iss.minimum);
      if (iss.origin === "number") return `${show(input)} is below the minimum ${min}`;
      if (iss.origin === "string") return `${show(input)} is shorter than ${min} character${min === 1 ? "" : "s"}`;
      if (iss.origin === "array") return `needs at least ${min} item${min === 1 ? "" : "s"}`;
      return undefined;
    }
    case "too_big": {
      const max = Number(iss.maximum);
      if (iss.origin === "number") return `${show(input)} is above the maximum ${max}`;
      if (iss.origin === "string") return `is longer than ${max} characters`;
      if (iss.origin === "array") return `has more than ${max} items`;
      return undefined;
    }
    case "invalid_value":
      return `${show(input)} is not allowed: use ${iss.values.map((v) => show(v)).join(", ")}`;
    case "invalid_format":
      if (iss.format === "starts_with") return `${show(input)} must start with ${show((iss as { prefix?: string }).prefix)}`;
      // "is not a valid regex" would read as if the value were meant to be a regex.
      if (iss.format === "regex") return `${show(input)} does not match ${String((iss as { pattern?: unknown }).pattern)}`;
      return `${show(input)} is not a valid ${iss.format}`;
    case "not_multiple_of":
      return `${show(input)} is not a multiple of ${String(iss.divisor)}`;
    default:
      return undefined;
  }
}

export function formatPath(path: PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(top level)";
}

/** Every key a mapping at `path` accepts, found by walking the schema (for "did you mean"). */
function keysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  let node: any = schema;
  const unwrap = (n: any): any => {
    for (let i = 0; i < 20 && n; i++) {
      const def = n._zod?.def;
      if (!def) return n;
      if (def.innerType) n = def.innerType;
      else if (def.type === "pipe") n = def.in;
      else return n;
    }
    return n;
  };
  for (const p of path) {
    node = unwrap(node);
    const def = node?._zod?.def;
    if (def?.type === "object") node = def.shape[p as string];
    else if (def?.type === "record") node = def.valueType;
    else if (def?.type === "array") node = def.element;
    else return [];
  }
  node = unwrap(node);
  const def = node?._zod?.def;
  if (def?.type === "object") return Object.keys(def.shape);
  if (def?.type === "union") {
    return [...new Set(def.options.flatMap((o: any) => Object.keys(unwrap(o)?._zod?.def?.shape ?? {})))] as string[];
  }
  return [];
}

export function formatIssues(schema: z.ZodType, issues: z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const iss of issues) {
    if (iss.code === "unrecognized_keys") {
      const known = keysAt(schema, iss.path);
      for (const key of iss.keys) {
        const guess = closest(key, known);
        const where = formatPath([...iss.path, key]);
        lines.push(`${where}: unknown key${guess ? ` (did you mean "${guess}"?)` : known.length ? ` (allowed: ${known.filter((k) => k !== "$schema").join(", ")})` : ""}`);
      }
      continue;
    }
    if (iss.code === "invalid_key" && iss.issues.length) {
      // A record key failed its own check: the key's message says what is allowed.
      lines.push(`${formatPath(iss.path)}: ${iss.issues[0].message}`);
      continue;
    }
    if (iss.code === "invalid_union" && iss.errors.length) {
      // A union whose own message was not set: report the closest branch's first problem.
      const best = iss.errors.reduce((a, b) => (a.length <= b.length ? a : b));
      if (iss.message.startsWith("Invalid")) {
        lines.push(...formatIssues(schema, best.map((e) => ({ ...e, path: [...iss.path, ...e.path] }))));
        continue;
      }
    }
    lines.push(`${formatPath(iss.path)}: ${iss.message}`);
  }
  return lines;
}
