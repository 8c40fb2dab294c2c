// Turns a config file's text into plain data: YAML (logship.yaml, logship.yml) or JSON (logship.json).
// Every way the text can be bad is a UserError naming the file (and line:col where there is one).
import path from "node:path";
import { isScalar, LineCounter, parseDocument, visit, type Document } from "yaml";
import { UserError } from "../errors.js";

/**
 * yaml's own unique-key check compares each key with every key before it: an `env:` block of
 * 200,000 keys took 490 s. We parse with it off and check each mapping once, with a Set.
 */
function duplicateKey(doc: Document.Parsed): { key: string; at: number; first: number } | undefined {
  let found: { key: string; at: number; first: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Map<unknown, number>();
      for (const pair of map.items) {
        // Keys compare as yaml compares them: scalars by value (1 and "1" differ); other keys are rare
        // (a mapping as a key) and never valid in logship.yaml, so validation reports them.
        if (!isScalar(pair.key)) continue;
        const at = pair.key.range?.[0] ?? 0;
        const first = seen.get(pair.key.value);
        if (first !== undefined) {
          found = { key: String(pair.key.value), at, first };
          return visit.BREAK;
        }
        seen.set(pair.key.value, at);
      }
      return undefined;
    },
  });
  return found;
}

/** logship.yaml nests 5 levels; the merge, the overrides and validation recurse, so cap it well above. */
export const MAX_DEPTH = 64;

function checkDepth(value: unknown, display: string): void {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [v, depth] = pending.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (depth >= MAX_DEPTH) throw new UserError(`${display}: nested more than ${MAX_DEPTH} levels deep; a logship config needs fewer than 10`);
    for (const child of Object.values(v)) pending.push([child, depth + 1]);
  }
}

function parseYamlText(text: string, display: string, lines: LineCounter): unknown {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0];
    // The first line of the yaml message ends "at line L, column C:", which the prefix already says.
    const what = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new UserError(`${display}${at ? `:${at.line}:${at.col}` : ""}: not valid YAML: ${what}`);
  }
  const dup = duplicateKey(doc);
  if (dup) {
    const { line, col } = lines.linePos(dup.at);
    throw new UserError(`${display}:${line}:${col}: not valid YAML: duplicate key ${JSON.stringify(dup.key)} (first set at line ${lines.linePos(dup.first).line})`);
  }
  try {
    // maxAliasCount (yaml's default, 100, said out loud): a "billion laughs" file of nested aliases
    // would otherwise expand to gigabytes. https://eemeli.org/yaml/#options
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    if (/Excessive alias count/.test(e.message)) {
      throw new UserError(
        `${display}: not valid YAML: its aliases (*name) expand to too much data (a "billion laughs" file)`,
        "a logship config needs no aliases: write the values out",
      );
    }
    throw new UserError(`${display}: not valid YAML: ${e.message}`);
  }
}

function parseJsonText(text: string, display: string, lines: LineCounter): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${display}: not valid JSON: ${(e as Error).message}`);
  }
  checkDepth(value, display); // before yaml reads it again: 400,000 nested lists take it seconds
  // JSON.parse keeps the last of two equal keys without a word. JSON text is YAML flow syntax, so
  // yaml's parser finds the keys and their lines; if it cannot read this JSON, there is nothing to add.
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter: lines });
  const dup = doc.errors.length ? undefined : duplicateKey(doc);
  if (dup) {
    const { line, col } = lines.linePos(dup.at);
    throw new UserError(`${display}:${line}:${col}: not valid JSON: duplicate key ${JSON.stringify(dup.key)} (first set at line ${lines.linePos(dup.first).line})`);
  }
  return value;
}

export function parseConfigText(text: string, file: string, display = path.basename(file)): unknown {
  const lines = new LineCounter();
  if (file.endsWith(".json")) return parseJsonText(text, display, lines);
  const value = parseYamlText(text, display, lines);
  checkDepth(value, display);
  return value;
}
