// Reads what the tag policy and OCI labels need from git. Read-only; no git → undefined.
// Whether the tree is dirty is not asked here: only the files that reach an image count
// (src/context-state.ts), not a build log or another folder of a monorepo.
import { execa } from "execa";

export interface GitInfo {
  sha: string;
  short: string;
  remote?: string;
}

/** The one git runner: its stdout as git wrote it (NUL-separated lists stay whole), or undefined on failure. */
export async function git(cwd: string, args: string[]): Promise<string | undefined> {
  const r = await execa("git", args, { cwd, reject: false, stripFinalNewline: false, maxBuffer: 1e9 });
  return r.exitCode === 0 ? r.stdout : undefined;
}

/** The work tree that holds `cwd` (a monorepo's root), or undefined outside git. */
export const gitTopLevel = async (cwd: string) => (await git(cwd, ["rev-parse", "--show-toplevel"]))?.trim() || undefined;

export async function readGit(cwd: string): Promise<GitInfo | undefined> {
  const sha = (await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"]))?.trim();
  if (!sha) return undefined;
  const remote = (await git(cwd, ["config", "--get", "remote.origin.url"]))?.trim() || undefined;
  return { sha, short: sha.slice(0, 7), remote };
}
