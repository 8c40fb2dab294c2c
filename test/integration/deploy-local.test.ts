// deploy local and destroy local against the real Docker engine: the page is fetched over HTTP, the
// container inspected, and env values checked to stay out of argv, logs and the dry-run plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, fetchText, inspect, makeProject, realParts, runCli, type Project } from "./helpers.js";

const parts = await realParts(false);
const SECRET = "secret-value-123";

describe.skipIf(parts.skip)("deploy local / destroy local (real Docker)", () => {
  let p: Project;
  const container = () => `logship-${p.app}`;
  beforeAll(async () => {
    parts.assert();
    p = await makeProject();
    await p.writeConfig({ targets: { local: { port: p.port, env: { GREETING: SECRET } } } });
    const built = await runCli(["build"], p.dir);
    if (built.code !== 0) throw new Error(`logship build failed:\n${built.stderr}`);
  });
  afterAll(() => cleanupProject(p));

  let firstId: string;
  it("runs the container, prints the URL and serves the fixture's page", async () => {
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const url = `http://127.0.0.1:${p.port}/`;
    expect(r.stdout.trim()).toBe(url);
    expect(await fetchText(url)).toContain(p.marker);

    const c = await inspect("container", container());
    expect(c.State.Running).toBe(true);
    firstId = c.Id;
    expect(c.Config.Env).toContain(`GREETING=${SECRET}`);
    expect(JSON.stringify([c.Args, c.Config.Cmd, c.Config.Entrypoint, c.Path])).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  }, 60_000);

  it("keeps env values out of --dry-run --json", async () => {
    const r = await runCli(["deploy", "local", "--dry-run", "--json"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, ok: true });
    expect(r.stdout).toContain("GREETING"); // the name is in the plan (`--env GREETING`) …
    expect(r.stdout + r.stderr).not.toContain(SECRET); // … the value is not
    expect((await inspect("container", container())).Id).toBe(firstId);
  }, 60_000);

  it("deploying again changes nothing: the run step is skipped", async () => {
    const r = await runCli(["deploy", "local", "--json"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout).steps.find((s: { id: string }) => s.id === "local.run");
    expect(run.status).toBe("skipped");
    expect(run.detail).toMatch(/already running/);
    expect((await inspect("container", container())).Id).toBe(firstId);
  }, 60_000);

  it("a changed env value replaces the container, which still serves", async () => {
    await p.writeConfig({ targets: { local: { port: p.port, env: { GREETING: "another-value-456" } } } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/replaced/);
    const c = await inspect("container", container());
    expect(c.Id).not.toBe(firstId);
    expect(c.Config.Env).toContain("GREETING=another-value-456");
    expect(c.Config.Env).not.toContain(`GREETING=${SECRET}`);
    expect(await fetchText(`http://127.0.0.1:${p.port}/`)).toContain(p.marker);
  }, 60_000);

  it("destroy removes the container; destroying again is a no-op", async () => {
    const r = await runCli(["destroy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(await inspect("container", container())).toBeUndefined();

    const again = await runCli(["destroy", "local"], p.dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("no container to remove");
  }, 60_000);
});
