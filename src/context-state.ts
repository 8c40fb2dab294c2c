// Is what reaches the image the commit? Compares the build context (after .dockerignore) and the
// Dockerfile with HEAD, and hashes them, so the tag's "-dirty.<hash>" changes exactly when the
// image's input does: a build log outside the context, or one .dockerignore excludes, changes nothing.
//
// Speed: git already knows the blob id of every tracked file whose stat data is unchanged (the
// index), so only changed, untracked and git-ignored files in the context are read. The ids are
// git's own (sha1 of "blob <size>\0<content>"), so a file read and a file taken from the index hash alike.
import { createHash } from "node:crypto";
import { readFile, readlink, stat } from "node:fs/promises";
import path from "node:path";
import { readDockerignore, sentCheck, type ContextEntry } from "./build-context.js";
import { git, listContext, readGitView } from "./context-listing.js";
import { DeployError } from "./errors.js";

export interface ContextState {
  /** Some file that reaches the image differs from HEAD (changed, new, deleted, or its exec bit). */
  dirty: boolean;
  /** 8 hex digits over every sent file's path, mode (as git records it: executable, symlink) and content, plus the Dockerfile's content. */
  hash: string;
  /** How many files the context sends. */
  files: number;
  /** Paths (relative to the context; the Dockerfile as given) that differ from HEAD, sorted. */
  changed: string[];
}

// git rewrites .git on its own (index refresh, fetch, gc), and the commit it holds is what
// {git.sha} names already; hashing it would change the tag between build and deploy.
const NOT_HASHED = new Set([".git"]);

const blobId = (content: Buffer) => createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");

/** Git's id and mode for a file git cannot vouch for (new, changed, or ignored by git but not by docker). */
async function readFileId(file: string, symlink: boolean, shown: string): Promise<{ sha: string; mode: string }> {
  try {
    if (symlink) return { sha: blobId(Buffer.from(await readlink(file))), mode: "120000" };
    const [content, st] = await Promise.all([readFile(file), stat(file)]);
    return { sha: blobId(content), mode: st.mode & 0o100 ? "100755" : "100644" };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new DeployError(`${shown}: cannot be read (${code}); docker build would fail on it too`, "fix its permissions, or add it to .dockerignore");
  }
}

/** Runs `fn` over `items`, `limit` at a time (thousands of parallel reads would exhaust file handles). */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/**
 * undefined when the context is in no git work tree (`image.context: /`, a folder beside the
 * repository): no commit describes it, and hashing it could mean reading a whole disk.
 */
export async function contextState(context: string, dockerfile: string): Promise<ContextState | undefined> {
  const [{ rules }, view] = await Promise.all([readDockerignore(context, dockerfile), readGitView(context)]);
  if (!view) return undefined;
  const entries = await listContext(context, rules, NOT_HASHED, view);

  // A tracked file git does not report as changed in the work tree matches the index (git compared its stat data).
  const ids = new Map<string, { sha: string; mode: string }>();
  const toRead: ContextEntry[] = [];
  for (const e of entries) {
    const known = view.indexed.get(e.path);
    if (known && known.stage === "0" && (known.mode === "120000") === e.symlink && !view.stale.has(e.path)) ids.set(e.path, known);
    else toRead.push(e);
  }
  await pool(toRead, 32, async (e) => {
    ids.set(e.path, await readFileId(path.join(context, e.path), e.symlink, path.join(path.basename(context), e.path)));
  });

  // Not the commit: what git reports as changed (staged or not), and every file git does not track.
  const changed = entries.filter((e) => view.changed.has(e.path) || !view.indexed.has(e.path)).map((e) => e.path);
  const present = new Set(entries.map((e) => e.path));
  const wouldSend = sentCheck(rules);
  for (const file of view.changed) {
    if (!present.has(file) && view.indexed.get(file)?.mode !== "160000" && !file.split("/").some((p) => NOT_HASHED.has(p)) && wouldSend(file)) changed.push(file);
  }

  const hash = createHash("sha256");
  hash.update(entries.map((e) => `${ids.get(e.path)!.mode} ${ids.get(e.path)!.sha} ${e.path}\0`).join(""));
  const inContext = path.relative(context, dockerfile).split(path.sep).join("/");
  const dockerfileId = ids.get(inContext)?.sha ?? (await readFileId(dockerfile, false, dockerfile)).sha;
  hash.update(`Dockerfile ${dockerfileId}`);
  if (!ids.has(inContext)) {
    const committedId = (await git(path.dirname(dockerfile), ["rev-parse", "-q", "--verify", `HEAD:./${path.basename(dockerfile)}`]))?.trim();
    if (committedId !== dockerfileId) changed.push(inContext);
  }
  return { dirty: changed.length > 0, hash: hash.digest("hex").slice(0, 8), files: entries.length, changed: changed.sort() };
}
