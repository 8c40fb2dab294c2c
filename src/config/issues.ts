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

/** The schema node for a mapping at `path` (through defaults, records and lists). */
function nodeAt(schema: z.ZodType, path: PropertyKey[]): any {
  let node: any = schema;
  for (const p of path) {
    node = unwrap(node);
    const def = node?._zod?.def;
    if (def?.type === "object") node = def.shape[p as string];
    else if (def?.type === "record") node = def.valueType;
    else if (def?.type === "array") node = def.element;
    else return undefined;
  }
  return unwrap(node);
}

/**
 * Every key a mapping at `path` accepts, found by walking the schema (for "did you mean"). In a union
 * keyed by a field (registry.type), the keys of the branch the input chose.
 */
function keysAt(schema: z.ZodType, path: PropertyKey[], input?: unknown): string[] {
  const def = nodeAt(schema, path)?._zod?.def;
  if (def?.type === "object") return Object.keys(def.shape);
  if (def?.type === "union") {
    const chosen = def.discriminator && (input as Record<string, unknown> | undefined)?.[def.discriminator];
    const branch = def.options.map((o: any) => unwrap(o)?._zod?.def?.shape).find((shape: any) => shape?.[def.discriminator]?._zod?.def?.values?.includes(chosen));
    if (branch) return Object.keys(branch);
    return [...new Set(def.options.flatMap((o: any) => Object.keys(unwrap(o)?._zod?.def?.shape ?? {})))] as string[];
  }
  return [];
}

/** In a union keyed by `type` (registry), the type whose settings include `key`: { field, value }. */
function typeOwning(schema: z.ZodType, path: PropertyKey[], key: string): { field: string; value: string } | undefined {
  const def = nodeAt(schema, path)?._zod?.def;
  if (def?.type !== "union" || !def.discriminator) return undefined;
  for (const option of def.options) {
    const shape = unwrap(option)?._zod?.def?.shape;
    if (shape && key in shape) return { field: def.discriminator, value: String(shape[def.discriminator]?._zod?.def?.values?.[0]) };
  }
  return undefined;
}

/** What to write instead, for a setting of the other registry type. */
const INSTEAD: Record<string, string> = {
  "registry.repository": "with type generic, the repository is part of registry.url (host[:port]/path, e.g. localhost:5000/my-app)",
  "registry.url": "with type ecr, name the repository in registry.repository (default: the app name); the registry host comes from your AWS account and region",
};

export function formatIssues(schema: z.ZodType, issues: z.core.$ZodIssue[]): string[] {
  const lines: string[] = [];
  for (const iss of issues) {
    if (iss.code === "unrecognized_keys") {
      const known = keysAt(schema, iss.path, iss.input);
      for (const key of iss.keys) {
        const where = formatPath([...iss.path, key]);
        const owner = typeOwning(schema, iss.path, key);
        const current = (iss.input as Record<string, unknown> | undefined)?.[owner?.field ?? ""];
        if (owner && typeof current === "string" && current !== owner.value) {
          // The key is right, the type is not: "did you mean repository?" about `repository` helps nobody.
          const type = formatPath([...iss.path, owner.field]);
          lines.push(`${where}: belongs to ${type} ${show(owner.value)}, not ${show(current)}; ${INSTEAD[where] ?? "remove it"}`);
          continue;
        }
        const guess = closest(key, known);
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

/**
 * A NUL byte cannot be carried by an environment variable, an argument or a file name: docker would
 * fail with no useful output. Found anywhere in the raw config (keys too), each with its path. A loop,
 * not recursion: a hostile file nests lists 400,000 deep within the size cap.
 */
export function nulByteProblems(raw: unknown): string[] {
  const problems: string[] = [];
  const pending: [unknown, PropertyKey[]][] = [[raw, []]];
  while (pending.length) {
    const [value, at] = pending.pop()!;
    if (typeof value === "string" && value.includes("\0")) {
      problems.push(`${formatPath(at)}: contains a NUL byte (\\0), which no environment variable or argument can hold: remove it`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => pending.push([v, [...at, i]]));
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes("\0")) problems.push(`${formatPath(at)}: a key contains a NUL byte (\\0): remove it`);
        else pending.push([v, [...at, k]]);
      }
    }
  }
  return problems.reverse();
}
