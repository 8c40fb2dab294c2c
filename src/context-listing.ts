// The files docker sends, listed from git: git already knows every tracked, untracked and ignored
// path, so logship reads no directory of a 20,000-file tree itself. Folders git does not list file by
// file (a git-ignored folder docker still sends, a nested repository, a submodule) are walked, with
// the same rules.
import { lstat } from "node:fs/promises";
import { git } from "./util/git.js";
import { contextEntries, sentCheck, type ContextEntry, type IgnoreRules } from "./build-context.js";

export interface GitRecord { mode: string; sha: string; stage: string }

export { git };

/**
 * `ls-files -s -z` records, "<mode> <sha> <stage>\t<path>", keyed by path. Parsed by position:
 * 20,000 split()s show in a profile.
 */
export function parseRecords(out: string | undefined): Map<string, GitRecord> {
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
      map.set(out.slice(tab + 1, end), { mode: out.slice(at, s1), sha: out.slice(s1 + 1, s2), stage: out.slice(s2 + 1, tab) });
    }
    at = end + 1;
  }
  return map;
}

export interface GitView {
  /** `ls-files -s`: every tracked path (relative to the context) with its blob id and mode. */
  indexed: Map<string, GitRecord>;
  /** Tracked paths whose work-tree file differs from the index (modified, deleted, unmerged): to be read. */
  stale: Set<string>;
  /** Paths that differ from HEAD, staged or not, deleted included. */
  changed: Set<string>;
  /** Untracked and git-ignored paths; a folder git did not enter ends with "/". */
  others: string[];
}

/** Position of the n-th space: status v2 fields are space-separated, the path (last) may hold spaces. */
function afterSpaces(rec: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = rec.indexOf(" ", at + 1);
  return at + 1;
}

/**
 * Two git commands and one walk of the work tree (git's, in C): the index, and
 * `status --porcelain=v2` for what differs from it and from HEAD. undefined outside a work tree.
 * https://git-scm.com/docs/git-status#_porcelain_format_version_2
 */
export async function readGitView(context: string): Promise<GitView | undefined> {
  const [index, prefix, status] = await Promise.all([
    git(context, ["ls-files", "-s", "-z"]),
    git(context, ["rev-parse", "--show-prefix"]),
    // --no-optional-locks: status would otherwise refresh .git/index, a write; this is a read.
    git(context, ["--no-optional-locks", "status", "--porcelain=v2", "-z", "--untracked-files=all", "--ignored=matching", "--no-renames", "--", "."]),
  ]);
  if (index === undefined || prefix === undefined || status === undefined) return undefined;
  const root = prefix.trim(); // status names paths from the repository's top, ls-files from the context
  const rel = (p: string) => (p.startsWith(root) ? p.slice(root.length) : undefined);
  const view: GitView = { indexed: parseRecords(index), stale: new Set(), changed: new Set(), others: [] };
  for (const rec of status.split("\0")) {
    const kind = rec[0];
    const p = rel(kind === "1" ? rec.slice(afterSpaces(rec, 8)) : kind === "u" ? rec.slice(afterSpaces(rec, 10)) : rec.slice(2));
    if (!rec || p === undefined) continue;
    if (kind === "?" || kind === "!") view.others.push(p);
    else if (kind === "1" || kind === "u") {
      view.changed.add(p);
      if (kind === "u" || rec[3] !== ".") view.stale.add(p);
    }
  }
  return view;
}

/** Sorted like contextEntries. */
export async function listContext(context: string, rules: IgnoreRules, skipDirs: ReadonlySet<string>, view: GitView): Promise<ContextEntry[]> {
  const { indexed, stale } = view;
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
  for (const p of view.others) {
    // A git-ignored folder, a nested repository, or ("" once the slash is cut) the whole context.
    if (p === "" || p.endsWith("/")) folders.push(p.slice(0, -1));
    else if (!skipped(p)) unsure.push(p);
  }
  await Promise.all(unsure.filter((p) => sent(p)).map(async (p) => {
    const st = await lstat(`${context}/${p}`).catch(() => undefined);
    if (st?.isFile() || st?.isSymbolicLink()) out.push({ path: p, symlink: st.isSymbolicLink() });
  }));
  for (const dir of folders) {
    if (dir === "" || (!skipped(dir) && sent(dir, true))) out.push(...(await contextEntries(context, rules, skipDirs, dir)));
  }
  const seen = new Set<string>();
  return out
    .filter((e) => !seen.has(e.path) && seen.add(e.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
