// deploy local --no-smoke and smoke.enabled: false against the real Docker engine: the smoke path
// here answers 404, so a deploy that tested it would fail; switched off, the deploy succeeds, prints
// the URL and reports the skipped step with its reason, and a replaced container is swapped in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, fetchText, inspect, makeProject, realParts, runCli, type Project } from "./helpers.js";

const parts = await realParts(false);

describe.skipIf(parts.skip)("deploy local with the smoke test off (real Docker)", () => {
  let p: Project;
  const container = () => `logship-${p.app}`;
  // The fixture serves / but not this path: a smoke test of it can only fail.
  const unreachable = { path: "/no-such-page", timeout: "3s", expectStatus: 200 };
  beforeAll(async () => {
    parts.assert();
    p = await makeProject();
    await p.writeConfig({ smoke: unreachable });
    const built = await runCli(["build"], p.dir);
    if (built.code !== 0) throw new Error(`logship build failed:\n${built.stderr}`);
  }, 120_000);
  afterAll(async () => {
    if (p) await docker("rm", "--force", `${container()}-next`);
    await cleanupProject(p);
  });

  it("--no-smoke: exit 0, the URL on stdout, the step skipped with the reason", async () => {
    const r = await runCli(["deploy", "local", "--no-smoke"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const url = `http://127.0.0.1:${p.port}/`;
    expect(r.stdout).toBe(`${url}\n`);
    expect(r.stderr).toContain(`[local] Smoke test ${url}no-such-page — skipped: --no-smoke`);
    expect((await inspect("container", container()))?.State.Running).toBe(true);
    expect(await fetchText(url)).toContain(p.marker);
  }, 60_000);

  it("with the smoke test on, the same deploy fails (what the switch spares)", async () => {
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-such-page/);
  }, 60_000);

  it("smoke.enabled: false replaces a changed container and names the file", async () => {
    const before = (await inspect("container", container()))?.Id;
    await p.writeConfig({ smoke: { ...unreachable, enabled: false }, targets: { local: { port: p.port, env: { CHANGED: "1" } } } });
    const r = await runCli(["deploy", "local", "--json"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.steps.find((s: { id: string }) => s.id === "local.smoke-test"))
      .toMatchObject({ status: "skipped", detail: "skipped: smoke.enabled: false in logship.yaml" });
    expect(doc.targets.local).toEqual({ url: `http://127.0.0.1:${p.port}/`, smokeSkipped: "smoke.enabled: false in logship.yaml" });
    const now = await inspect("container", container());
    expect(now?.Id).not.toBe(before);
    expect(now?.Config.Env).toContain("CHANGED=1");
    expect(await inspect("container", `${container()}-next`)).toBeUndefined();
  }, 60_000);
});
