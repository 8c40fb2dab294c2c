import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli.js";
import { runCli } from "../helpers/cli.js";
import type { Io } from "../../src/commands/globals.js";

// Every temp folder a test makes is removed after the file, failed or not.
const made: string[] = [];
afterAll(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

const repo = fileURLToPath(new URL("../../", import.meta.url));
const { version } = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as { version: string };

function makeIo(cwd: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { stdout: "", stderr: "" };
  out.on("data", (d) => (text.stdout += d));
  err.on("data", (d) => (text.stderr += d));
  const io: Io = { stdout: out, stderr: err, env: { CI: "1" }, cwd, isTTY: false, signal: new AbortController().signal, interactive: false };
  return { io, text };
}

const run = (argv: string[], cwd = os.tmpdir()) => runCli(argv, { cwd });

async function dirWith(files: Record<string, string>): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), "logship-cli-"));
  made.push(d);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(d, name), text);
  return d;
}

const COMMANDS = ["build", "push", "deploy", "ship", "destroy", "status", "rollback", "releases", "doctor", "schema"];

describe("logship --help and --version", () => {
  it("--help exits 0 and lists every command on stdout", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: logship \[options\] \[command\]/);
    const registered = buildProgram(makeIo(os.tmpdir()).io).commands.map((c) => c.name());
    expect(registered).toEqual(expect.arrayContaining(COMMANDS));
    for (const name of registered) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    expect(r.stdout).toContain("Exit codes: 0 ok · 1 deploy/runtime failure · 2 usage or config error · 130 interrupted (Ctrl-C; 143 SIGTERM, 129 SIGHUP) · 70 internal bug");
    expect(r.stderr).toBe("");
  });

  it.each(COMMANDS)("%s --help exits 0 and shows its usage", async (name) => {
    const r = await run([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: logship ${name}\\b`));
  });

  it.each([["--version"], ["-V"]])("%s prints the package.json version", async (flag) => {
    const r = await run([flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });
});

describe("usage errors exit 2", () => {
  it("an unknown command", async () => {
    const r = await run(["deplyo"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'deplyo'");
    expect(r.stdout).toBe("");
  });

  it("an unknown option", async () => {
    const r = await run(["build", "--frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });

  it("a --platform outside the choices", async () => {
    const r = await run(["build", "--platform", "linux/386"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'linux/386' is invalid. Allowed choices are linux/amd64, linux/arm64.");
  });

  it("deploy without a target", async () => {
    const r = await run(["deploy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'target'");
  });

  it("deploy nowhere: names the target and the ones there are", async () => {
    const r = await run(["deploy", "nowhere"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: target: "nowhere" is not a target: use local, apprunner, lambda, ecs');
  });

  it("build with an unknown target name", async () => {
    const cwd = await dirWith({ "logship.yaml": "app: a\n" });
    const r = await run(["build", "lamda", "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"lamda" is not a target');
  });

  it.each(["apprunner", "lambda"])("deploy %s on a config without that target", async (target) => {
    const cwd = await dirWith({ "logship.yaml": "app: a\nregion: us-east-1\ntargets:\n  local: {}\n" });
    const r = await run(["deploy", target, "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: targets.${target}: not configured in ${path.join(cwd, "logship.yaml")}\n`);
    expect(r.stderr).toContain(`hint: add a targets.${target} block`);
    expect(r.stdout).toBe("");
  });
});

describe("--help loads no AWS SDK", () => {
  const exec = promisify(execFile);
  const trace = path.join(repo, "test/fixtures/trace-imports.mjs");
  const traced = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("trace-import: ")).map((l) => l.slice(14));

  beforeAll(() => {
    if (!existsSync(path.join(repo, "dist/cli.js"))) throw new Error("dist/cli.js is missing: run `npm run build` first");
  });

  it("the trace hook sees an @aws-sdk import when there is one (so the check below can fail)", async () => {
    const { stderr } = await exec(process.execPath, ["--import", trace, "--input-type=module", "-e", "await import('@aws-sdk/client-sts')"], { cwd: repo });
    expect(traced(stderr)).toContain("@aws-sdk/client-sts");
  });

  it("node bin/logship.js --help imports nothing from @aws-sdk", async () => {
    const { stdout, stderr } = await exec(process.execPath, ["--import", trace, "bin/logship.js", "--help"], { cwd: repo, env: { ...process.env, CI: "1" } });
    expect(stdout).toContain("Usage: logship");
    const specifiers = traced(stderr);
    expect(specifiers).toContain("../dist/cli.js");
    expect(specifiers.filter((s) => s.includes("@aws-sdk") || s.includes("/commands/"))).toEqual([]);
  });
});
