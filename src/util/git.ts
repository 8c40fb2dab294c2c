// Reads what the tag policy and OCI labels need from git. Read-only; no git → undefined.
// Whether the tree is dirty is not asked here: only the files that reach an image count
// (src/context-state.ts), not a build log or another folder of a monorepo.
import { execa } from "execa";

export interface GitInfo {
  sha: string;
  short: string;
  remote?: string;
}

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  const r = await execa("git", args, { cwd, reject: false, stripFinalNewline: true });
  return r.exitCode === 0 ? r.stdout : undefined;
}

export async function readGit(cwd: string): Promise<GitInfo | undefined> {
  const sha = (await git(cwd, ["rev-parse", "--verify", "-q", "HEAD"]))?.trim();
  if (!sha) return undefined;
  const remote = (await git(cwd, ["config", "--get", "remote.origin.url"]))?.trim() || undefined;
  return { sha, short: sha.slice(0, 7), remote };
}
