// The local run lock on a real file system (a temp XDG_RUNTIME_DIR): exclusive, waited for, named
// when it outlasts the wait, and taken over when its process is gone.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, lockDir, type LockHolder } from "../../src/util/run-lock.js";
import { DeployError, InterruptedError } from "../../src/errors.js";

let runtime: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  runtime = await mkdtemp(path.join(os.tmpdir(), "logship-lock-test-"));
  env = { XDG_RUNTIME_DIR: runtime };
});
afterEach(() => rm(runtime, { recursive: true, force: true }));

const options = (more: Partial<Parameters<typeof acquireLock>[0]> = {}) => ({
  env, key: "app.local", what: "logship deploy local of \"app\"", signal: new AbortController().signal, timeoutMs: 5_000, ...more,
});

/** A pid that is certainly gone: a process that has already exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid!;

async function plantLock(holder: Partial<LockHolder>): Promise<string> {
  const file = path.join(lockDir(env), "app.local.lock");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ host: os.hostname(), startedAt: "2026-12-01T20:00:00.000Z", what: "logship deploy local of \"app\"", token: "t0", ...holder }));
  return file;
}

describe("run lock", () => {
  it("lives under $XDG_RUNTIME_DIR/logship, private to the user; release leaves nothing behind", async () => {
    const lock = await acquireLock(options());
    expect(lock.file).toBe(path.join(runtime, "logship", "app.local.lock"));
    expect((await stat(lock.file)).mode & 0o077).toBe(0);
    expect((await stat(path.dirname(lock.file))).mode & 0o077).toBe(0);
    await lock.release();
    expect(await readdir(runtime)).toEqual([]);
  });

  it("refuses a lock folder that is a symlink (someone else's, in a shared temp dir)", async () => {
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), "logship-lock-test-"));
    try {
      await symlink(elsewhere, path.join(runtime, "logship"));
      await expect(acquireLock(options())).rejects.toThrow(`the lock folder ${path.join(runtime, "logship")} is not a folder of this user`);
      expect(await readdir(elsewhere)).toEqual([]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("a second run waits, is told who holds it, and goes on when the first releases", async () => {
    const first = await acquireLock(options());
    const told: LockHolder[] = [];
    let second = false;
    const waiting = acquireLock(options({ onWait: (h) => told.push(h) })).then((l) => ((second = true), l));
    await new Promise((r) => setTimeout(r, 600));
    expect(second).toBe(false);
    expect(told).toEqual([expect.objectContaining({ pid: process.pid, host: os.hostname(), what: "logship deploy local of \"app\"" })]);
    await first.release();
    const lock = await waiting;
    await lock.release();
  });

  it("a holder that outlasts the wait is named, with its pid and the lock file", async () => {
    const first = await acquireLock(options());
    const err = await acquireLock(options({ timeoutMs: 300 })).catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err.message).toMatch(new RegExp(`^another logship run holds app.local: logship deploy local of "app", pid ${process.pid} on .*, started .* \\(lock .*app.local.lock\\); waited 0s$`));
    expect(err.hint).toContain(`kill ${process.pid}`);
    await first.release();
  });

  it("Ctrl-C stops the wait", async () => {
    const first = await acquireLock(options());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(acquireLock(options({ signal: controller.signal }))).rejects.toBeInstanceOf(InterruptedError);
    await first.release();
  });

  it("a lock whose process is gone (kill -9, a closed CI job) is stale and taken over", async () => {
    const pid = deadPid();
    await plantLock({ pid });
    const stale: (LockHolder | undefined)[] = [];
    const lock = await acquireLock(options({ onStale: (h) => stale.push(h), timeoutMs: 1_000 }));
    expect(stale.map((h) => h?.pid)).toEqual([pid]);
    await lock.release();
  });

  it("a live pid that now belongs to another process (its start time differs) is stale too", async () => {
    await plantLock({ pid: process.pid, procStart: "1" });
    const lock = await acquireLock(options({ timeoutMs: 1_000 }));
    await lock.release();
  });

  it("an unreadable lock is waited for while fresh, and taken over once it is old", async () => {
    const file = await plantLock({});
    await writeFile(file, "not json");
    await expect(acquireLock(options({ timeoutMs: 300 }))).rejects.toThrow(/holds app.local: unknown/);
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    const lock = await acquireLock(options({ timeoutMs: 1_000 }));
    await lock.release();
  });

  it("of two runs that find the same stale lock, exactly one gets it", async () => {
    await plantLock({ pid: deadPid() });
    const got: string[] = [];
    const take = (name: string) => acquireLock(options()).then((lock) => (got.push(name), lock));
    const runs = { a: take("a"), b: take("b") };
    await new Promise((r) => setTimeout(r, 800));
    expect(got).toHaveLength(1);
    await (await runs[got[0] as "a" | "b"]).release();
    const other = got[0] === "a" ? runs.b : runs.a;
    await (await other).release();
    expect(got).toHaveLength(2);
  });
});
