// Integration tests drive the real CLI in-process (main(argv, io)) against the real Docker engine and
// the loopback registry that scripts/dev-setup.sh starts. Without them the tests skip, except in CI
// (or with LOGSHIP_REQUIRE_DOCKER=1), where a missing engine or registry must fail, never skip.
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { stringify } from "yaml";
import { runCli as runInProcess, type CliOptions } from "../helpers/cli.js";

export const REGISTRY = "127.0.0.1:5000";
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");

/** Run `docker` directly (not through logship): for checks and cleanup. Never throws on exit code. */
export async function docker(...args: string[]) {
  const r = await execa("docker", args, { reject: false, timeout: 60_000 });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export async function dockerAvailable(): Promise<boolean> {
  const r = await execa("docker", ["version", "--format", "{{.Server.Version}}"], { reject: false, timeout: 10_000 });
  return r.exitCode === 0;
}

export async function registryAvailable(): Promise<boolean> {
  try {
    const res = await fetch(`http://${REGISTRY}/v2/`, { signal: AbortSignal.timeout(5_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

const required = () => !!process.env.CI || process.env.LOGSHIP_REQUIRE_DOCKER === "1";

/**
 * What the Docker tests need, checked once per file at collection time. `skip` is true only when
 * something is missing AND nobody demanded the real parts; `assert` goes in a beforeAll, so a missing
 * engine or registry fails the run in CI with one clear line.
 */
export async function realParts(needRegistry = true) {
  const missing: string[] = [];
  if (!(await dockerAvailable())) missing.push("a running Docker engine (`docker version` failed)");
  if (needRegistry && !(await registryAvailable())) missing.push(`the registry at http://${REGISTRY}/v2/`);
  if (missing.length === 0 && (await docker("image", "inspect", "logship-busybox:local")).exitCode !== 0) {
    missing.push("the base image logship-busybox:local");
  }
  const message = `integration tests need ${missing.join(" and ")}: run \`bash scripts/dev-setup.sh\``;
  const skip = missing.length > 0 && !required();
  if (skip) console.log(`skipped: ${message}`);
  return {
    skip,
    assert: () => {
      if (missing.length) throw new Error(`${message} (required because ${process.env.CI ? "CI is set" : "LOGSHIP_REQUIRE_DOCKER=1"})`);
    },
  };
}

export const uniqueName = (prefix = "it") => `${prefix}-${randomBytes(4).toString("hex")}`;

/** A free TCP port on loopback: listen on port 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `logship ARGV` in-process in `cwd`, as CI would (plain output, no prompts), with the real environment. */
export function runCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}, more: CliOptions = {}): Promise<RunResult> {
  return runInProcess(argv, { cwd, env: { ...process.env, CI: "1", ...env }, ...more });
}

export interface Project {
  dir: string;
  app: string;
  port: number;
  /** A string only this run's page contains. */
  marker: string;
  repository: string;
  /** Rewrites logship.yaml: the base config merged with `patch` (top-level keys replace). */
  writeConfig(patch?: Record<string, unknown>): Promise<void>;
}

/** A fresh temp copy of a fixture, with a logship.yaml naming a unique app, repository and port. */
export async function makeProject(fixture = "webapp", patch: Record<string, unknown> = {}): Promise<Project> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "logship-it-"));
  await cp(path.join(FIXTURES, fixture), dir, { recursive: true });
  const marker = `logship-marker-${randomBytes(6).toString("hex")}`;
  const index = path.join(dir, "www", "index.html");
  await writeFile(index, (await readFile(index, "utf8")).replace("MARKER", marker));
  const app = uniqueName();
  const port = await freePort();
  const repository = `localhost:5000/${app}`;
  const project: Project = {
    dir, app, port, marker, repository,
    async writeConfig(more = {}) {
      const config = {
        app,
        version: "1.2.3",
        image: { dockerfile: "Dockerfile", tag: "{version}" },
        registry: { type: "generic", url: repository },
        targets: { local: { port } },
        smoke: { path: "/", timeout: "30s" },
        ...patch,
        ...more,
      };
      await writeFile(path.join(dir, "logship.yaml"), stringify(config));
    },
  };
  await project.writeConfig();
  return project;
}

/** Removes what a project may have left: its container, its local images, its temp dir. */
export async function cleanupProject(p: Project | undefined, tags: string[] = ["1.2.3"]): Promise<void> {
  if (!p) return;
  await docker("rm", "--force", `logship-${p.app}`);
  const refs = tags.flatMap((t) => [`${p.app}:${t}`, `${p.repository}:${t}`]);
  const present = [];
  for (const ref of refs) if ((await docker("image", "inspect", ref)).exitCode === 0) present.push(ref);
  if (present.length) await docker("rmi", "--force", ...present);
  await rm(p.dir, { recursive: true, force: true });
}

export async function inspect<T = any>(kind: "image" | "container", ref: string): Promise<T | undefined> {
  const r = await docker(kind, "inspect", ref);
  return r.exitCode === 0 ? JSON.parse(r.stdout)[0] : undefined;
}

/** GET the page (no retries: the CLI's own smoke test has already waited for it). */
export async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return `${res.status} ${await res.text()}`;
}

/** Polls `check` until it holds (every `everyMs`), or fails naming `what` after `ms`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000, everyMs = 100): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
