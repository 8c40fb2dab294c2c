// Reads what the tag policy and OCI labels need from git. Read-only; no git → undefined.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";

export interface GitInfo {
  sha: string;
  short: string;
  dirty: boolean;
  /** Hash of the uncommitted changes, so two different dirty trees never share a tag. */
  dirtyHash?: string;
  remote?: string;
}

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  const r = await execa("git", args, { cwd, reject: false, stripFinalNewline: true, encoding: "buffer" });
  return r.exitCode === 0 ? Buffer.from(r.stdout as Uint8Array).toString("utf8") : undefined;
}

export async function readGit(cwd: string): Promise<GitInfo | undefined> {
  const sha = (await git(cwd, ["rev-parse", "HEAD"]))?.trim();
  if (!sha) return undefined;
  const status = (await git(cwd, ["status", "--porcelain=v1", "--untracked-files=all"])) ?? "";
  const dirty = status.trim().length > 0;
  let dirtyHash: string | undefined;
  if (dirty) {
    const hash = createHash("sha256");
    hash.update(status);
    hash.update((await git(cwd, ["diff", "HEAD", "--binary"])) ?? "");
    const top = (await git(cwd, ["rev-parse", "--show-toplevel"]))?.trim() ?? cwd;
    const untracked = ((await git(cwd, ["ls-files", "--others", "--exclude-standard", "--full-name"])) ?? "")
      .split("\n").filter(Boolean);
    for (const file of untracked) {
      hash.update(file);
      hash.update(await readFile(path.join(top, file)).catch(() => Buffer.alloc(0)));
    }
    dirtyHash = hash.digest("hex").slice(0, 8);
  }
  const remote = (await git(cwd, ["config", "--get", "remote.origin.url"]))?.trim() || undefined;
  return { sha, short: sha.slice(0, 7), dirty, dirtyHash, remote };
}
