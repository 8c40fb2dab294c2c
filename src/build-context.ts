// The files `docker build` sends for a context directory: every file and symlink under it that
// .dockerignore does not exclude, walked the way Docker walks it. Used by the tag policy (only what
// reaches the image makes a tree dirty) and by doctor (database files that ride along).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DeployError } from "./errors.js";
// A CommonJS module whose typings declare `export default`; it sets `.default` on itself for this.
import dockerignore from "@balena/dockerignore";

export interface ContextEntry {
  /** Slash-separated path relative to the context. */
  path: string;
  symlink: boolean;
}

export interface IgnoreRules {
  /** True when `rel` (slash-separated, relative to the context) is excluded. */
  ignores(rel: string): boolean;
  /** The `!pattern` exceptions, cleaned as Docker cleans them (no "!", no leading or trailing "/"). */
  exceptions: string[];
}

/**
 * Docker's reading of .dockerignore (moby builder/dockerignore ReadAll): "#" starts a comment only in
 * column 1, lines are trimmed, paths cleaned and made relative. Matching is @balena/dockerignore, a
 * port of moby's fileutils; case-sensitive, as docker is on Linux (the library defaults to ignorecase).
 */
export function parseDockerignore(text: string): IgnoreRules {
  const lines = text.split(/\r?\n/);
  const matcher = dockerignore.default({ ignorecase: false }).add(lines);
  const exceptions = lines
    .filter((l) => !l.startsWith("#"))
    .map((l) => l.trim())
    .filter((l) => l.startsWith("!"))
    .map((l) => path.posix.normalize(l.slice(1).trim()).replace(/\/+$/, "").replace(/^\/(?=.)/, ""))
    .filter((p) => p && p !== ".");
  return { ignores: (rel) => matcher.ignores(rel), exceptions };
}

/**
 * The rules for a context: BuildKit (the default builder since Docker 23) prefers
 * `<Dockerfile>.dockerignore` next to the Dockerfile over the context's .dockerignore.
 * https://docs.docker.com/build/concepts/context/#filename-and-location
 */
export async function readDockerignore(context: string, dockerfile?: string): Promise<{ rules: IgnoreRules; file?: string }> {
  for (const file of [dockerfile && `${dockerfile}.dockerignore`, path.join(context, ".dockerignore")]) {
    if (!file) continue;
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text !== undefined) return { rules: parseDockerignore(text), file };
  }
  return { rules: parseDockerignore(""), file: undefined };
}

/** Does Docker's walk enter directory `rel`? Yes unless it is excluded with no exception under it. */
export function walksInto(rules: IgnoreRules, rel: string): boolean {
  return !rules.ignores(rel) || rules.exceptions.some((p) => `${p}/`.startsWith(`${rel}/`));
}

/**
 * For paths not found by walking (git's lists, a committed file deleted since): would docker send
 * the file at `rel` — or, with `dir`, walk into the directory? Remembers each folder's answer.
 */
export function sentCheck(rules: IgnoreRules): (rel: string, dir?: boolean) => boolean {
  const entered = new Map<string, boolean>();
  const enters = (dir: string): boolean => {
    let yes = entered.get(dir);
    if (yes === undefined) {
      const slash = dir.lastIndexOf("/");
      yes = (slash < 0 || enters(dir.slice(0, slash))) && walksInto(rules, dir);
      entered.set(dir, yes);
    }
    return yes;
  };
  return (rel, dir = false) => {
    const slash = rel.lastIndexOf("/");
    if (slash >= 0 && !enters(rel.slice(0, slash))) return false;
    return dir ? walksInto(rules, rel) : !rules.ignores(rel);
  };
}

/**
 * Walks like moby's archive.TarWithOptions: an excluded directory is skipped whole unless an
 * exception pattern lies under it (`!dir/keep.db` for `dir`), then its entries are judged one by one.
 * An exception with a wildcard above the directory (`!**\/keep.db`) does not reopen it — Docker's quirk.
 * `skipDirs` are never entered (doctor: dependency trees; the tag policy: .git). `under` walks one
 * folder of the context only (the caller has checked that docker enters it).
 */
export async function contextEntries(
  context: string, rules: IgnoreRules, skipDirs: ReadonlySet<string> = new Set(), under = "", maxEntries = Infinity,
): Promise<ContextEntry[]> {
  const out: ContextEntry[] = [];
  let seen = 0;
  async function walk(dir: string, rel: string): Promise<void> {
    // A budget for callers that only look (doctor): `image.context: /` must not walk a whole disk.
    if (seen > maxEntries) return;
    // Dirents carry the file type, so no lstat per file (20,000 of them cost more than the walk).
    const dirents = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
      // Not our bug (exit 70): the user's folder, which docker build would trip on too.
      throw new DeployError(
        `${path.join(context, rel) || context}: cannot be read (${e.code ?? e.message}); docker build would fail on it too`,
        "fix its permissions, or add it to .dockerignore",
      );
    });
    const subdirs: Promise<void>[] = [];
    seen += dirents.length;
    for (const d of dirents) {
      const relPath = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!skipDirs.has(d.name) && walksInto(rules, relPath)) subdirs.push(walk(path.join(dir, d.name), relPath));
      } else if ((d.isFile() || d.isSymbolicLink()) && !rules.ignores(relPath)) {
        out.push({ path: relPath, symlink: d.isSymbolicLink() });
      }
    }
    await Promise.all(subdirs);
  }
  await walk(path.join(context, under), under);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
