// A container that exits at once: deploy local must fail fast (exit 1) and say the container exited,
// rather than wait out smoke.timeout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, makeProject, realParts, runCli, type Project } from "./helpers.js";

const parts = await realParts(false);

describe.skipIf(parts.skip)("deploy local with a failing smoke test (real Docker)", () => {
  let p: Project;
  beforeAll(async () => {
    parts.assert();
    p = await makeProject("webapp", { image: { dockerfile: "Dockerfile.exits", tag: "{version}" }, smoke: { path: "/", timeout: "5s" } });
    const built = await runCli(["build"], p.dir);
    if (built.code !== 0) throw new Error(`logship build failed:\n${built.stderr}`);
  });
  afterAll(() => cleanupProject(p));

  it("exits 1 and says the container exited", async () => {
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: .*never answered: the container exited with code 3/);
    expect(r.stderr).toContain(`docker logs logship-${p.app}`);
    expect(r.stdout).toBe("");
    // It failed on the container's exit, not by waiting out smoke.timeout.
    expect(r.stderr).not.toMatch(/did not answer 2xx within/);
  }, 60_000);
});
