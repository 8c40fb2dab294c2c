// ship local: build and deploy in one go; and --dry-run, which must run nothing at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, fetchText, inspect, makeProject, realParts, runCli, type Project } from "./helpers.js";

const parts = await realParts(false);

describe.skipIf(parts.skip)("ship local (real Docker)", () => {
  let p: Project;
  beforeAll(async () => {
    parts.assert();
    p = await makeProject();
  });
  afterAll(() => cleanupProject(p));

  it("--dry-run prints the plan with docker build and docker run, and creates nothing", async () => {
    const r = await runCli(["ship", "local", "--dry-run"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nothing was run/);
    expect(r.stdout).toMatch(new RegExp(`^\\s+\\$ docker build .*-t ${p.app}:1\\.2\\.3 `, "m"));
    expect(r.stdout).toMatch(new RegExp(`^\\s+\\$ docker run .*--name logship-${p.app} `, "m"));
    expect(await inspect("image", `${p.app}:1.2.3`)).toBeUndefined();
    expect(await inspect("container", `logship-${p.app}`)).toBeUndefined();
  }, 60_000);

  it("builds and deploys in one go, then serves the page", async () => {
    const r = await runCli(["ship", "local"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const url = `http://127.0.0.1:${p.port}/`;
    expect(r.stdout.trim()).toBe(`local: ${url}`);
    const image = await inspect("image", `${p.app}:1.2.3`);
    expect(image).toBeDefined();
    const c = await inspect("container", `logship-${p.app}`);
    expect(c.State.Running).toBe(true);
    expect(c.Image).toBe(image.Id);
    expect(await fetchText(url)).toContain(p.marker);
  }, 60_000);
});
