// Which database-like files would land in the build context: walk the context (skipping the usual
// heavy folders) for *.db / *.sqlite / *.sqlite3 and drop what .dockerignore excludes.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const SKIP = new Set([".git", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache", ".pytest_cache", "dist", "build"]);
const DATA_FILE = /\.(?:db|sqlite3?)$/i;

/** .dockerignore pattern → RegExp over a slash-separated relative path (docker's rules, simplified). */
export function ignoreMatcher(patterns: string[]): (file: string) => boolean {
  const rules = patterns
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith("#"))
    .map((p) => {
      const negate = p.startsWith("!");
      const body = (negate ? p.slice(1) : p).replace(/^\.?\//, "").replace(/\/$/, "");
      const re = body
        .split("/")
        .map((part) => (part === "**" ? ".*" : part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")))
        .join("/");
      return { negate, re: new RegExp(`^${re}(/.*)?$`) };
    });
  return (file) => {
    let ignored = false;
    for (const r of rules) if (r.re.test(file)) ignored = !r.negate;
    return ignored;
  };
}

export async function dataFilesInContext(context: string, limit = 20_000): Promise<string[]> {
  const ignore = ignoreMatcher((await readFile(path.join(context, ".dockerignore"), "utf8").catch(() => "")).split(/\r?\n/));
  const found: string[] = [];
  let seen = 0;
  async function walk(dir: string, rel: string, depth: number) {
    if (depth > 6 || seen > limit) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      seen++;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !ignore(relPath)) await walk(path.join(dir, e.name), relPath, depth + 1);
      } else if (DATA_FILE.test(e.name) && !ignore(relPath)) {
        found.push(relPath);
      }
    }
  }
  await walk(context, "", 0);
  return found.sort();
}
