// One logship run at a time per app and target on this machine: an exclusive lock file under the
// user's runtime directory, holding who took it (pid, host, start time). A run that finds it waits;
// a lock whose process is gone is stale and taken over. AWS targets lock in AWS (issue "deploy lock").
//
// The file is written to a temporary name and hard-linked into place: link(2) fails with EEXIST when
// the lock exists, and a reader never sees a half-written file.
import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, readFile, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DeployError, InterruptedError } from "../errors.js";
import { processAlive } from "./private-tmp.js";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** What it is doing: "deploy local of log-analyzer". */
  what: string;
  token: string;
  /** The holder's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it. */
  procStart?: string;
}

export interface Lock {
  file: string;
  release(): Promise<void>;
}

export interface LockOptions {
  env: NodeJS.ProcessEnv;
  /** app + target: one lock per pair. */
  key: string;
  what: string;
  signal: AbortSignal;
  /** How long to wait for a live holder before failing with its name. */
  timeoutMs: number;
  onWait?: (holder: LockHolder, file: string) => void;
  onStale?: (holder: LockHolder | undefined, file: string) => void;
}

/** $XDG_RUNTIME_DIR/logship (per user, gone at logout), else a per-user folder in the temp dir. */
export function lockDir(env: NodeJS.ProcessEnv): string {
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, "logship");
  const uid = typeof process.getuid === "function" ? process.getuid() : os.userInfo().username;
  return path.join(env.TMPDIR || os.tmpdir(), `logship-${uid}`);
}

/** In a shared temp dir another user could have made the folder first (or a symlink in its place). */
async function checkOwnFolder(dir: string): Promise<void> {
  const st = await lstat(dir);
  const mine = typeof process.getuid !== "function" || st.uid === process.getuid();
  if (!st.isDirectory() || !mine) {
    throw new DeployError(`the lock folder ${dir} is not a folder of this user`, "remove it, or set XDG_RUNTIME_DIR to a folder of your own");
  }
}

async function procStart(pid: number): Promise<string | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  // Field 22 (starttime); the command name in field 2 may hold spaces, so count from its ")".
  return text?.slice(text.lastIndexOf(")") + 2).split(" ")[19];
}

/** Is the holder's process still there (same host, same pid, same start time)? */
export async function holderAlive(h: LockHolder): Promise<boolean> {
  if (h.host !== os.hostname()) return true; // another machine's process: we cannot tell, so wait
  if (!processAlive(h.pid)) return false;
  const now = h.procStart && (await procStart(h.pid));
  return !now || now === h.procStart;
}

const readHolder = async (file: string) => {
  const raw = await readFile(file, "utf8").catch(() => undefined);
  try {
    return { raw, holder: raw ? (JSON.parse(raw) as LockHolder) : undefined };
  } catch {
    return { raw, holder: undefined };
  }
};

/**
 * Removes a stale lock, but only if it is still the one judged stale: two runs may judge it at once,
 * and the faster one may already have taken a fresh lock. A short "breaker" lock orders them.
 */
async function breakStale(file: string, staleRaw: string | undefined): Promise<void> {
  const breaker = `${file}.break`;
  try {
    await writeFile(breaker, String(process.pid), { flag: "wx", mode: 0o600 });
  } catch {
    const age = Date.now() - ((await stat(breaker).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (age > 10_000) await unlink(breaker).catch(() => {}); // its owner died mid-break
    return;
  }
  try {
    if ((await readHolder(file)).raw === staleRaw) await unlink(file).catch(() => {});
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

export async function acquireLock(o: LockOptions): Promise<Lock> {
  const dir = lockDir(o.env);
  const file = path.join(dir, `${o.key.replace(/[^A-Za-z0-9._-]/g, "_")}.lock`);
  const me: LockHolder = {
    pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), what: o.what,
    token: randomBytes(8).toString("hex"), procStart: await procStart(process.pid),
  };
  const deadline = Date.now() + o.timeoutMs;
  let announced = "";
  while (true) {
    if (o.signal.aborted) throw new InterruptedError(`interrupted while waiting for ${file}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await checkOwnFolder(dir);
    const temp = `${file}.${me.token}`;
    const written = await writeFile(temp, JSON.stringify(me), { mode: 0o600 }).then(() => true, (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return false; // the folder was just removed by a releasing run
      throw e;
    });
    if (!written) continue;
    const taken = await link(temp, file).then(() => true, (e: NodeJS.ErrnoException) => {
      if (e.code === "EEXIST" || e.code === "ENOENT") return false;
      throw e;
    }).finally(() => unlink(temp).catch(() => {}));
    if (taken) return { file, release: () => release(file, me.token) };

    const { raw, holder } = await readHolder(file);
    if (raw === undefined) continue; // released between our link and our read
    const age = Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (holder ? !(await holderAlive(holder)) : age > 5_000) {
      o.onStale?.(holder, file);
      await breakStale(file, raw);
      continue;
    }
    if (holder && holder.token !== announced) {
      announced = holder.token;
      o.onWait?.(holder, file);
    }
    if (Date.now() > deadline) {
      throw new DeployError(
        `another logship run holds ${o.key}: ${holder ? describeHolder(holder) : "unknown"} (lock ${file}); waited ${Math.round(o.timeoutMs / 1000)}s`,
        `let it finish, or stop it${holder ? ` (\`kill ${holder.pid}\`)` : ""}; if no logship runs, remove ${file}`,
      );
    }
    await sleep(250, undefined, { signal: o.signal }).catch(() => {});
  }
}

export const describeHolder = (h: LockHolder) => `${h.what}, pid ${h.pid} on ${h.host}, started ${h.startedAt}`;

async function release(file: string, token: string): Promise<void> {
  const { holder } = await readHolder(file);
  if (holder?.token === token) await unlink(file).catch(() => {});
  // Leave no empty folder behind; another run that is about to lock recreates it (ENOENT → retry).
  await rmdir(path.dirname(file)).catch(() => {});
}
