// SIGTERM (a CI job cancelled, `timeout`, `kill`) and SIGHUP (a closed terminal) in the middle of an
// ECR push: logship stops, removes the temporary DOCKER_CONFIG that holds the registry token, and
// exits 128+n. Run as a real process (node bin/logship.js): in-process, no signal could kill it.
// AWS is moto (an independent emulator, its own server per file); docker is a stand-in whose `push`
// hangs (test/fixtures/fake-docker-push.mjs), so the signal always lands mid-push.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, lstatSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort, until } from "./helpers.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = path.join(repo, "bin/logship.js");
const fakeDocker = path.join(repo, "test/fixtures/fake-docker-push.mjs");
const hasMoto = spawnSync("python3", ["-c", "import moto.server"], { stdio: "ignore" }).status === 0;
// moto's GetAuthorizationToken hands out base64("AWS:123456789012-auth-token") (moto/ecr/models.py).
const PASSWORD = "123456789012-auth-token";
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString("base64");



/** Every file under `dir` whose bytes hold the token, the password or an "auth" entry. */
function filesWithSecrets(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) {
        const text = readFileSync(p, "utf8");
        if (text.includes(TOKEN) || text.includes(PASSWORD) || /"auth"\s*:/.test(text)) found.push(path.relative(dir, p));
      }
    }
  };
  walk(dir);
  return found;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

describe.skipIf(!hasMoto && !process.env.CI)("a signal mid-push leaves no registry token on disk", () => {
  let moto: ChildProcess | undefined;
  let endpoint = "";
  let root = "";

  beforeAll(async () => {
    if (!hasMoto) throw new Error("this test needs moto: pip install 'moto[server]' for python3 (CI is set, so it may not skip)");
    if (!existsSync(path.join(repo, "dist/cli.js"))) throw new Error("dist/cli.js is missing: run `npm run build` first");
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    await until("moto to answer", () => spawnSync("curl", ["-fsS", "-o", "/dev/null", `${endpoint}/moto-api/`]).status === 0, 30_000, 50);
    root = await mkdtemp(path.join(os.tmpdir(), "logship-signals-"));
  }, 40_000);

  const stragglers: number[] = [];
  afterEach(() => {
    for (const pid of stragglers.splice(0)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone: the run stopped it
      }
    }
  });

  afterAll(async () => {
    if (moto?.pid) moto.kill("SIGTERM");
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** A project, a private TMPDIR and HOME, and `logship push` started against moto. */
  async function startPush(name: string) {
    const dir = path.join(root, name);
    const [project, tmp, home, state] = ["project", "tmp", "home", "state"].map((d) => path.join(dir, d));
    for (const d of [project, tmp, home, state]) await mkdir(d, { recursive: true });
    await writeFile(path.join(project, "logship.yaml"), `app: ${name}\nversion: 1.0.0\nregion: us-east-1\n`);
    await writeFile(path.join(project, "Dockerfile"), "FROM scratch\n");
    const env = {
      PATH: process.env.PATH, HOME: home, TMPDIR: tmp, CI: "1", LOGSHIP_DOCKER: fakeDocker, FAKE_DOCKER_STATE: state,
      AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_EC2_METADATA_DISABLED: "true",
    };
    const child = spawn(process.execPath, [bin, "push"], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const done = exited(child);
    // The stand-in writes its pid once it pushes; a run that ended first is a failure to show, not to wait on.
    const pushing = path.join(state, "pushing");
    await until("docker push to start", () => child.exitCode !== null || (existsSync(pushing) && readFileSync(pushing, "utf8").trim() !== ""), 30_000, 50);
    if (child.exitCode !== null) throw new Error(`logship push ended before docker push started (exit ${child.exitCode}):\n${stderr}`);
    // A run that quits at once (a second signal, SIGKILL) leaves its docker child behind, as it would
    // leave a real `docker push`: stop the stand-in after the test.
    const pusher = Number(readFileSync(pushing, "utf8"));
    if (pusher) stragglers.push(pusher);
    return { child, tmp, done, stderr: () => stderr, project, env };
  }

  it.each([["SIGTERM", 143], ["SIGHUP", 129]] as const)("%s: stops, removes the token, exits %i", async (signal, exitCode) => {
    const run = await startPush(`sig-${signal.toLowerCase()}`);
    expect(run.child.exitCode, run.stderr()).toBeNull();
    // The token really is on disk while the push runs, so the check after the signal can fail.
    expect(filesWithSecrets(run.tmp)).toEqual([expect.stringMatching(/^logship-docker-[^/]+\/config\.json$/)]);
    run.child.kill(signal);
    const { code } = await run.done;
    expect(code, run.stderr()).toBe(exitCode);
    expect(run.stderr()).toContain(`${signal}: stopping and cleaning up`);
    expect(filesWithSecrets(run.tmp)).toEqual([]);
    expect(readdirSync(run.tmp)).toEqual([]);
  }, 60_000);

  it("a second SIGTERM quits at once, and still removes the token", async () => {
    const run = await startPush("sig-twice");
    expect(filesWithSecrets(run.tmp)).toHaveLength(1);
    run.child.kill("SIGTERM");
    run.child.kill("SIGTERM");
    const { code } = await run.done;
    expect(code, run.stderr()).toBe(143);
    expect(filesWithSecrets(run.tmp)).toEqual([]);
  }, 60_000);

  it("the next run removes what a killed run (SIGKILL) left, and keeps a live run's folder", async () => {
    const killed = await startPush("sig-kill");
    killed.child.kill("SIGKILL");
    await killed.done;
    const left = filesWithSecrets(killed.tmp);
    expect(left).toHaveLength(1); // nothing can clean up after SIGKILL, in any program
    const live = path.join(killed.tmp, `logship-docker-${process.pid}-Ab12Cd`);
    await mkdir(live);
    await writeFile(path.join(live, "config.json"), "{}");
    // Any command that starts work sweeps (not --help or a usage error): here a dry run, which sends nothing.
    const next = spawnSync(process.execPath, [bin, "push", "--dry-run"], { cwd: killed.project, env: killed.env, timeout: 30_000 });
    expect(next.status, String(next.stderr)).toBe(0);
    expect(filesWithSecrets(killed.tmp)).toEqual([]);
    expect(readdirSync(killed.tmp)).toEqual([path.basename(live)]);
  }, 60_000);
});
