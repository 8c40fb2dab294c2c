// deploy local onto a host port someone else holds (real Docker): the holder is named before anything
// of this app is stopped or removed, and the app's working container keeps serving.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, fetchText, freePort, inspect, makeProject, realParts, runCli, uniqueName, type Project } from "./helpers.js";

const parts = await realParts(false);

describe.skipIf(parts.skip)("deploy local: a taken host port (real Docker)", () => {
  let p: Project;
  let firstId: string;
  const others: string[] = [];
  let listener: ChildProcess | undefined;
  const container = () => `logship-${p.app}`;

  beforeAll(async () => {
    parts.assert();
    p = await makeProject();
    const built = await runCli(["build"], p.dir);
    if (built.code !== 0) throw new Error(`logship build failed:\n${built.stderr}`);
    const r = await runCli(["deploy", "local"], p.dir);
    if (r.code !== 0) throw new Error(`first deploy failed:\n${r.stderr}`);
    firstId = (await inspect("container", container())).Id;
  }, 60_000);
  afterEach(async () => {
    listener?.kill();
    listener = undefined;
    if (others.length) await docker("rm", "--force", ...others.splice(0));
  });
  // A failed assertion mid-swap may leave the new container under its temporary name.
  afterAll(async () => {
    if (p) await docker("rm", "--force", `logship-${p.app}-next`);
    await cleanupProject(p);
  });

  /** The app's first container is untouched: same container, running, serving its page. */
  async function firstStillServes() {
    const c = await inspect("container", container());
    expect(c.Id).toBe(firstId);
    expect(c.State.Running).toBe(true);
    expect(await fetchText(`http://127.0.0.1:${p.port}/`)).toContain(p.marker);
    expect(await inspect("container", `${container()}-next`)).toBeUndefined();
  }

  it("another logship app's container: named by its label, with how to free the port; nothing changed", async () => {
    const port = await freePort();
    const name = `logship-${uniqueName("other")}`;
    others.push(name);
    const started = await docker("run", "--detach", "--name", name, "--label", "logship.app=other-app",
      "--publish", `127.0.0.1:${port}:8080`, "logship-busybox:local", "sleep", "300");
    expect(started.exitCode, started.stderr).toBe(0);

    await p.writeConfig({ targets: { local: { port } } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`error: targets.local.port: 127.0.0.1:${port} is taken by container ${name} of the logship app "other-app"; nothing was changed`);
    expect(r.stderr).toMatch(/hint: run `logship destroy local` in that app's project .*or set targets\.local\.port to a free port \(\d+ is free\)/);
    expect(r.stderr).not.toContain("--help");
    await firstStillServes();
  }, 60_000);

  it("a container logship did not make: named with its image", async () => {
    const port = await freePort();
    const name = uniqueName("plain");
    others.push(name);
    await docker("run", "--detach", "--name", name, "--publish", `${port}:8080`, "logship-busybox:local", "sleep", "300");

    await p.writeConfig({ targets: { local: { port } } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(1);
    // It publishes on every address (0.0.0.0), which 127.0.0.1 clashes with.
    expect(r.stderr).toContain(`is taken by container ${name} (image logship-busybox:local); nothing was changed`);
    expect(r.stderr).toContain(`hint: stop it (\`docker stop ${name}\`)`);
    await firstStillServes();
  }, 60_000);

  it("another process on this machine: named with its pid", async () => {
    const port = await freePort();
    listener = spawn(process.execPath, ["-e", `require("net").createServer().listen(${port}, "127.0.0.1", () => console.log("up"))`]);
    await once(listener.stdout!, "data");

    await p.writeConfig({ targets: { local: { port } } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`is taken by another process on this machine (node, pid ${listener.pid}); nothing was changed`);
    expect(r.stderr).toContain(`hint: stop it (\`kill ${listener.pid}\`), or set targets.local.port`);
    await firstStillServes();
  }, 60_000);

  it("its own port, held by its own container, is no obstacle", async () => {
    await p.writeConfig({ targets: { local: { port: p.port } }, env: { CHANGED: "1" } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/replaced/);
    expect((await inspect("container", container())).Id).not.toBe(firstId);
  }, 60_000);
});
