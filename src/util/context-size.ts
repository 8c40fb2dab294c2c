// How much `docker build` would send for a context folder, counted with a budget: the warning about a
// context of "/" or outside the project must name a size without walking a whole disk first.
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";

export interface ContextSize {
  bytes: number;
  files: number;
  /** The budget ran out: the context holds at least this much. */
  partial: boolean;
}

export interface SizeBudget {
  maxEntries: number;
  maxMs: number;
}

/** Virtual file systems under "/": their "files" (/proc/kcore: 128 TB) are no data docker would read. */
const VIRTUAL_AT_ROOT = new Set(["proc", "sys", "dev"]);

/** Regular files' sizes under `context`, minus what `ignores` (the .dockerignore rules) excludes. */
export async function contextSize(
  context: string,
  ignores: (rel: string) => boolean = () => false,
  budget: SizeBudget = { maxEntries: 50_000, maxMs: 1_000 },
): Promise<ContextSize> {
  const out: ContextSize = { bytes: 0, files: 0, partial: false };
  const deadline = Date.now() + budget.maxMs;
  let entries = 0;
  const pending: [string, string][] = [[context, ""]];
  while (pending.length) {
    const [dir, rel] = pending.pop()!;
    const found = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const files: string[] = [];
    for (const entry of found) {
      entries++;
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && context === path.parse(context).root && VIRTUAL_AT_ROOT.has(entry.name)) continue;
      if (ignores(relPath)) continue;
      if (entry.isDirectory()) pending.push([path.join(dir, entry.name), relPath]);
      else if (entry.isFile()) files.push(path.join(dir, entry.name));
    }
    const sizes = await Promise.all(files.map((f) => lstat(f).then((st) => st.size, () => 0)));
    out.files += files.length;
    out.bytes += sizes.reduce((a, b) => a + b, 0);
    if (entries > budget.maxEntries || Date.now() > deadline) {
      out.partial = pending.length > 0;
      return out;
    }
  }
  return out;
}

export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
