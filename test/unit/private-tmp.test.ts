// Private temp folders: 0700, named with their owner's pid, and swept by the next run only when that
// process is gone. Real folders under a temp parent of this test, removed after it.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makePrivateTempDir, processAlive, sweepStaleTempDirs } from "../../src/util/private-tmp.js";

let parent = "";
beforeEach(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), "logship-private-tmp-test-"));
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "0"]);
  expect(processAlive(r.pid!)).toBe(false);
  return r.pid!;
}

describe("makePrivateTempDir", () => {
  it("makes logship-<kind>-<pid>-XXXXXX with mode 0700 and removes it", async () => {
    const dir = await makePrivateTempDir("docker", parent);
    expect(path.basename(dir.path)).toMatch(new RegExp(`^logship-docker-${process.pid}-[A-Za-z0-9]{6}$`));
    expect((await stat(dir.path)).mode & 0o777).toBe(0o700);
    await dir.remove();
    expect(await readdir(parent)).toEqual([]);
  });
});

describe("sweepStaleTempDirs", () => {
  it("removes folders of processes that are gone; keeps live ones and anything not ours", async () => {
    const dead = deadPid();
    const stale = [`logship-docker-${dead}-aB3dE6`, `logship-build-${dead}-zz99ZZ`];
    const kept = [
      `logship-docker-${process.pid}-aB3dE6`, // this process: alive
      "logship-docker-aB3dE6", // an old name without a pid: the owner cannot be told
      `logship-cli-${dead}-aB3dE6`, // another tool's or test's folder
    ];
    for (const name of [...stale, ...kept]) {
      await mkdir(path.join(parent, name));
      await writeFile(path.join(parent, name, "config.json"), '{"auths":{"h":{"auth":"QVdTOnB3"}}}');
    }
    // A symlink with a stale name is not followed into what it points at.
    const target = path.join(parent, "elsewhere");
    await mkdir(target);
    await symlink(target, path.join(parent, `logship-docker-${dead}-sym123`));
    const removed = await sweepStaleTempDirs(parent);
    expect(removed.map((p) => path.basename(p)).sort()).toEqual([...stale].sort());
    expect((await readdir(parent)).sort()).toEqual([...kept, "elsewhere", `logship-docker-${dead}-sym123`].sort());
  });

  it("a parent that does not exist is nothing to sweep", async () => {
    expect(await sweepStaleTempDirs(path.join(parent, "missing"))).toEqual([]);
  });
});
