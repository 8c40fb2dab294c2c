// Two logship processes on one app's local target at once (real Docker, real processes): the second
// waits for the first instead of racing it on the container's name, and a run killed with SIGKILL
// leaves a lock the next run takes over.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLock } from "../../src/util/run-lock.js";
import { cleanupProject, docker, fetchText, inspect, makeProject, realParts, runCli, until, type Project } from "./helpers.js";

const parts = await realParts(false);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// The CLI from src/ through tsx's loader, so the test runs the code as it is, without a build.
const LOADER = path.join(REPO, "node_modules/tsx/dist/loader.mjs");
const ENTRY = `import { main } from ${JSON.stringify(path.join(REPO, "src/cli.ts"))}; process.exitCode = await main(["node", "logship", ...process.argv.slice(1)]);`;

interface Run {
  pid: number;
  done: Promise<{ code: number | null; stderr: string; stdout: string }>;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function logship(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, ["--import", LOADER, "--input-type=module", "-e", ENTRY, "--", ...argv], {
    cwd, env: { ...process.env, CI: "1", ...env }, stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stderr, stdout })));
  return { pid: child.pid!, done, stderr: () => stderr, kill: (s) => child.kill(s) };
}


describe.skipIf(parts.skip)("two logship runs on one app's local target (real Docker, real processes)", () => {
  let p: Project;
  let runtime: string;
  const container = () => `logship-${p.app}`;
  beforeAll(async () => {
    parts.assert();
    if (!existsSync(LOADER)) throw new Error(`tsx is missing (${LOADER}): run \`npm ci\``);
    p = await makeProject();
    runtime = path.join(p.dir, ".runtime"); // XDG_RUNTIME_DIR of these runs: removed with the project
    const built = await runCli(["build"], p.dir);
    if (built.code !== 0) throw new Error(`logship build failed:\n${built.stderr}`);
  }, 60_000);
  // A failed assertion mid-swap may leave the new container under its temporary name.
  afterAll(async () => {
    if (p) await docker("rm", "--force", `logship-${p.app}-next`);
    await cleanupProject(p);
  });

  /**
   * Holds the app's lock from this test process while `runs` start, until each says it waits: then
   * they truly overlap, on any machine's speed. On release they go one after the other.
   */
  async function startTogether(argvs: string[][], env: NodeJS.ProcessEnv): Promise<Run[]> {
    const gate = await acquireLock({ env, key: `${p.app}.local`, what: "the test's gate", signal: new AbortController().signal, timeoutMs: 10_000 });
    const runs = argvs.map((argv) => logship(argv, p.dir, env));
    try {
      await until("every run to wait for the gate", () => runs.every((r) => r.stderr().includes("the test's gate")), 60_000);
    } finally {
      await gate.release();
    }
    return runs;
  }

  /** Of two runs that waited for each other: [the one that went second, the one it waited for]. */
  function order(a: { stderr: string }, b: { stderr: string }, pids: [number, number]) {
    const waitedFor = (r: { stderr: string }, pid: number) => r.stderr.includes(`logship run to finish: logship `) && new RegExp(`", pid ${pid} on `).test(r.stderr);
    const aSecond = waitedFor(a, pids[1]);
    const bSecond = waitedFor(b, pids[0]);
    expect(aSecond !== bSecond, `exactly one run waits for the other:\n--- a\n${a.stderr}\n--- b\n${b.stderr}`).toBe(true);
    return aSecond ? "a-second" : "b-second";
  }

  it("two ship local at once: the second waits, naming the first; both succeed, one container, lock gone", async () => {
    const env = { XDG_RUNTIME_DIR: runtime };
    const [a, b] = await startTogether([["ship", "local"], ["ship", "local"]], env);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const second = order(ra, rb, [a.pid, b.pid]) === "a-second" ? ra : rb;
    expect(second.stderr).toMatch(new RegExp(`waiting for another logship run to finish: logship deploy local of "${p.app}", pid \\d+ on `));
    // The first one started the container; the second found it running with this configuration.
    expect(second.stderr).toMatch(/↷ \[local\] Run container .* — already running/);
    expect(await fetchText(`http://127.0.0.1:${p.port}/`)).toContain(p.marker);
    const all = await docker("ps", "--all", "--filter", `label=logship.app=${p.app}`, "--format", "{{.Names}}");
    expect(all.stdout.trim()).toBe(container());
    expect(await readdir(runtime).catch(() => [])).toEqual([]);
  }, 120_000);

  it("deploy local and destroy local at once: one after the other, never interleaved", async () => {
    const env = { XDG_RUNTIME_DIR: runtime };
    await p.writeConfig({ env: { CHANGED: "1" } }); // the deploy has work to do: replace the container
    const [deploy, destroy] = await startTogether([["deploy", "local"], ["destroy", "local"]], env);
    const [rd, rx] = await Promise.all([deploy.done, destroy.done]);
    expect(rd.code, rd.stderr).toBe(0);
    expect(rx.code, rx.stderr).toBe(0);
    const all = await docker("ps", "--all", "--filter", `label=logship.app=${p.app}`, "--format", "{{.Names}}");
    // Whichever went second decides what is left: the deploy's container, or nothing at all.
    if (order(rd, rx, [deploy.pid, destroy.pid]) === "a-second") expect(all.stdout.trim()).toBe(container());
    else expect(all.stdout.trim()).toBe("");
  }, 120_000);

  it("a run killed with SIGKILL leaves its lock; the next run takes it over and finishes", async () => {
    const env = { XDG_RUNTIME_DIR: runtime };
    await p.writeConfig({ smoke: { path: "/not-there", timeout: "60s" } }); // the smoke wait never ends
    const killed = logship(["deploy", "local"], p.dir, env);
    await until("the smoke wait", () => killed.stderr().includes("→ [local] Smoke test"));
    killed.kill("SIGKILL");
    await killed.done;
    expect(await readdir(path.join(runtime, "logship"))).toEqual([`${p.app}.local.lock`]);

    await p.writeConfig();
    const r = await runCli(["deploy", "local"], p.dir, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`took over a stale lock .*${p.app}\\.local\\.lock left by pid ${killed.pid} \\(logship deploy local`));
    expect((await inspect("container", container())).State.Running).toBe(true);
    expect(await readdir(runtime).catch(() => [])).toEqual([]);
  }, 120_000);
});
