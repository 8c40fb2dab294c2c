// Ctrl-C while logship waits: it stops waiting, exits 130, says where things stand, and the next
// run finishes the job without redoing what was done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, makeProject, realParts, runCli, type Project } from "./helpers.js";

const parts = await realParts(false);

const runWithSignal = (argv: string[], cwd: string, signal: AbortSignal, onStderr: (text: string) => void) =>
  runCli(argv, cwd, {}, { signal, onStderr });

describe.skipIf(parts.skip)("Ctrl-C during deploy local (real Docker)", () => {
  let p: Project;
  beforeAll(async () => {
    parts.assert();
    // The page exists at / but the smoke path does not: the smoke test waits until interrupted.
    p = await makeProject("webapp", { smoke: { path: "/not-there", timeout: "60s" } });
    const built = await runCli(["build"], p.dir);
    if (built.code !== 0) throw new Error(`logship build failed:\n${built.stderr}`);
  });
  afterAll(() => cleanupProject(p));

  it("exits 130 within moments, and a re-run with a fixed config finishes without restarting the container", async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    // Press Ctrl-C a moment after the smoke wait begins (whatever the machine's speed).
    const onStderr = (text: string) => {
      if (!abortedAt && text.includes("→ [local] Smoke test")) {
        abortedAt = Date.now() + 500;
        setTimeout(() => controller.abort(), 500);
      }
    };
    const r = await runWithSignal(["deploy", "local"], p.dir, controller.signal, onStderr);
    expect(r.code, r.stderr).toBe(130);
    expect(Date.now() - abortedAt).toBeLessThan(5_000);
    expect(r.stderr).toMatch(/✔ \[local\] Run container/);
    expect(r.stderr).toMatch(/✖ \[local\] Smoke test .* — interrupted/);
    expect(r.stderr).toContain("run the same command again");

    await p.writeConfig({ smoke: { path: "/", timeout: "30s" } });
    const again = await runCli(["deploy", "local"], p.dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/↷ \[local\] Run container .* — already running/);
    expect(again.stdout.trim()).toBe(`http://127.0.0.1:${p.port}/`);
  }, 60_000);
});
