// The files docker sends, listed from git where the context is in a repository: git already knows
// every tracked, untracked and ignored path, so logship reads no directory of a 20,000-file tree.
// Folders git cannot list file by file (a git-ignored folder docker still sends, a nested repository,
// a submodule) are walked, with the same rules. Outside a repository the whole context is walked.
import { lstat } from "node:fs/promises";
import { execa } from "execa";
import { contextEntries, sentCheck, type ContextEntry, type IgnoreRules } from "./build-context.js";

export interface GitRecord { mode: string; sha: string; stage: string }

export async function git(cwd: string, args: string[]): Promise<string | undefined> {
  const r = await execa("git", args, { cwd, reject: false, stripFinalNewline: false, maxBuffer: 1e9 });
  return r.exitCode === 0 ? r.stdout : undefined;
}

/**
 * NUL-separated records, keyed by path: `ls-files -s` gives "<mode> <sha> <stage>\t<path>",
 * `ls-tree -r` gives "<mode> <type> <sha>\t<path>". Parsed by position: 20,000 split()s show in a profile.
 */
export function parseRecords(out: string | undefined, kind: "index" | "tree"): Map<string, GitRecord> {
  const map = new Map<string, GitRecord>();
  if (!out) return map;
  let at = 0;
  while (at < out.length) {
    let end = out.indexOf("\0", at);
    if (end < 0) end = out.length;
    const tab = out.indexOf("\t", at);
    if (tab > at && tab < end) {
      const s1 = out.indexOf(" ", at);
      const s2 = out.indexOf(" ", s1 + 1);
      const mode = out.slice(at, s1);
      const [sha, stage] = kind === "index" ? [out.slice(s1 + 1, s2), out.slice(s2 + 1, tab)] : [out.slice(s2 + 1, tab), "0"];
      map.set(out.slice(tab + 1, end), { mode, sha, stage });
    }
    at = end + 1;
  }
  return map;
}

const names = (out: string) => out.split("\0").filter(Boolean);

/** Sorted like contextEntries. `indexed` and `stale` are ls-files -s and diff-files, read by the caller. */
export async function listContext(
  context: string, rules: IgnoreRules, skipDirs: ReadonlySet<string>, indexed: Map<string, GitRecord>, stale: Set<string>,
): Promise<ContextEntry[]> {
  const [others, ignored] = await Promise.all([
    git(context, ["ls-files", "-z", "--others", "--exclude-standard"]),
    git(context, ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory", "--no-empty-directory"]),
  ]);
  if (others === undefined || ignored === undefined) return contextEntries(context, rules, skipDirs);
  const sent = sentCheck(rules);
  const skipped = (p: string) => skipDirs.size > 0 && [...skipDirs].some((d) => p === d || p.startsWith(`${d}/`) || p.includes(`/${d}/`) || p.endsWith(`/${d}`));
  const out: ContextEntry[] = [];
  const folders: string[] = [];
  const unsure: string[] = [];
  for (const [p, rec] of indexed) {
    if (skipped(p)) continue;
    if (rec.mode === "160000") folders.push(p); // a submodule: its files are in its own index
    else if (stale.has(p)) unsure.push(p); // changed, deleted, or now a folder: look
    else if (sent(p)) out.push({ path: p, symlink: rec.mode === "120000" });
  }
  for (const p of [...names(others), ...names(ignored)]) {
    if (p.endsWith("/")) folders.push(p.slice(0, -1)); // a git-ignored folder, or a nested repository
    else if (!skipped(p)) unsure.push(p);
  }
  await Promise.all(unsure.filter((p) => sent(p)).map(async (p) => {
    const st = await lstat(`${context}/${p}`).catch(() => undefined);
    if (st?.isFile() || st?.isSymbolicLink()) out.push({ path: p, symlink: st.isSymbolicLink() });
  }));
  for (const dir of folders) {
    if (!skipped(dir) && sent(dir, true)) out.push(...(await contextEntries(context, rules, skipDirs, dir)));
  }
  const seen = new Set<string>();
  return out
    .filter((e) => !seen.has(e.path) && seen.add(e.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
