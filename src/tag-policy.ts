// The tag policy: image.tag is a template of {version} {git.sha} {git.short} {timestamp}.
// A dirty git tree adds "-dirty.<hash of the changes>", so it never reuses a clean tree's tag.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "./errors.js";
import type { GitInfo } from "./util/git.js";

export const PLACEHOLDERS = ["version", "git.sha", "git.short", "timestamp"] as const;
const PLACEHOLDER = /\{([^{}]*)\}/g;

export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
}

export interface TagInputs {
  version?: string;
  git?: GitInfo;
  now: Date;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14);

/** Docker tags: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. Anything else becomes "-" (e.g. semver "+build"). */
export function sanitizeTag(tag: string): string {
  const clean = tag.replace(/[^A-Za-z0-9_.-]/g, "-").replace(/^[.-]+/, "");
  return clean.slice(0, 128);
}

export function renderTag(template: string, inputs: TagInputs): string {
  const unknown = unknownPlaceholders(template);
  if (unknown.length) {
    throw new UserError(`image.tag: unknown placeholder {${unknown[0]}}: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`);
  }
  const rendered = template.replace(PLACEHOLDER, (_, name: string) => {
    if (name === "timestamp") return stamp(inputs.now);
    if (name === "version") {
      if (!inputs.version) {
        throw new UserError(
          "image.tag: {version} has no value",
          "add `version:` to logship.yaml, a version to package.json or pyproject.toml, or use a tag like \"{git.short}\"",
        );
      }
      return inputs.version;
    }
    if (!inputs.git) {
      throw new UserError(`image.tag: {${name}} needs a git repository with at least one commit`, "commit first, or use a tag like \"{version}\"");
    }
    return name === "git.sha" ? inputs.git.sha : inputs.git.short;
  });
  const dirty = inputs.git?.dirty ? `-dirty.${inputs.git.dirtyHash}` : "";
  // Cut the rendered part, never the suffix: a long template must not lose "-dirty.<hash>" to the 128 limit.
  const base = sanitizeTag(rendered).slice(0, 128 - dirty.length);
  const tag = base ? sanitizeTag(base + dirty) : "";
  if (!tag) throw new UserError(`image.tag: ${JSON.stringify(template)} renders to an empty tag`);
  return tag;
}

/** config `version` > package.json > pyproject.toml ([project] or [tool.poetry]). */
export async function readVersion(root: string, configured?: string): Promise<string | undefined> {
  if (configured) return configured;
  const pkg = await readFile(path.join(root, "package.json"), "utf8").catch(() => undefined);
  if (pkg) {
    try {
      const v = JSON.parse(pkg).version;
      if (typeof v === "string" && v) return v;
    } catch {
      /* not our file to judge; fall through */
    }
  }
  const py = await readFile(path.join(root, "pyproject.toml"), "utf8").catch(() => undefined);
  if (py) {
    let section = "";
    for (const line of py.split("\n")) {
      const header = /^\s*\[([^\]]+)\]/.exec(line);
      if (header) section = header[1].trim();
      const m = /^\s*version\s*=\s*["']([^"']+)["']/.exec(line);
      if (m && (section === "project" || section === "tool.poetry")) return m[1];
    }
  }
  return undefined;
}
