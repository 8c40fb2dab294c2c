// status local against the real Docker engine: a crash-looping container is shown as docker sees it
// (restarting, exit code, restart count) and the command fails; a serving one is "running", exit 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, inspect, makeProject, realParts, runCli, until, type Project } from "./helpers.js";

const parts = await realParts(false);


describe.skipIf(parts.skip)("status local (real Docker)", () => {
  let p: Project;
  const container = () => `logship-${p.app}`;
  beforeAll(async () => {
    parts.assert();
    p = await makeProject();
  });
  afterAll(() => cleanupProject(p));

  it("a crash loop (docker: Restarting (3)) is not running: its state, exit code and restart count, exit 1", async () => {
    // What a deploy of an app that dies at start leaves: docker restarts it for ever.
    const r0 = await docker("run", "--detach", "--name", container(), "--label", `logship.app=${p.app}`, "--restart", "unless-stopped",
      "--publish", `127.0.0.1:${p.port}:8080`, "logship-busybox:local", "sh", "-c", "exit 3");
    expect(r0.exitCode, r0.stderr).toBe(0);
    await until("a restarting container with 2 restarts", async () => {
      const c = await inspect("container", container());
      return c?.State.Restarting && c.RestartCount >= 2;
    }, 20_000, 200);

    const r = await runCli(["status", "local"], p.dir);
    expect(r.code, r.stderr).toBe(1);
    // Mostly docker waits to restart it; on a busy machine status may catch it in one of its brief runs.
    const STATE = /^local\s+(restarting \(exit code 3, \d+ restarts\)|running \(\d+ restarts, last exit code 3\))\s+http:\/\/127\.0\.0\.1:\d+\//m;
    expect(r.stdout).toMatch(STATE);
    expect(r.stdout).not.toMatch(/^local\s+running\s+http/m); // never a bare "running"
    expect(r.stderr).toMatch(new RegExp(`error: local: ${container()} keeps crashing: .*code 3.* \\(\\d+ restarts so far\\)`));
    expect(r.stderr).toContain("logship logs local");

    const json = await runCli(["status", "local", "--json"], p.dir);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.targets[0]).toMatchObject({ target: "local", exists: true, exitCode: 3, restartCount: expect.any(Number) });
    expect(doc.targets[0].state).toMatch(/^(restarting|running \(\d+ restarts, last exit code 3\))/);
  }, 60_000);

  it("a serving container is running, exit 0", async () => {
    await docker("rm", "--force", container());
    const built = await runCli(["build"], p.dir);
    expect(built.code, built.stderr).toBe(0);
    expect((await runCli(["deploy", "local"], p.dir)).code).toBe(0);
    const r = await runCli(["status", "local"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^local\s+running\s+http:\/\/127\.0\.0\.1:\d+\//m);
  }, 60_000);
});
