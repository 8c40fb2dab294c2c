// Failures before a command could print its own result still give --json users one document,
// and checks that need no AWS happen before anything is built.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

// Every temp folder a test makes is removed after the file, failed or not.
const made: string[] = [];
afterAll(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

async function run(argv: string[], config?: string) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), "logship-cli-"));
  made.push(cwd);
  if (config) await writeFile(path.join(cwd, "logship.yaml"), config);
  await writeFile(path.join(cwd, "Dockerfile"), "FROM scratch\n");
  return runCli(argv, { cwd, env: { CI: "1", LOGSHIP_DOCKER: "/nonexistent/docker" } });
}

describe("--json on early failures", () => {
  it("a config error: exit 2, the problems on stderr, one JSON document on stdout", async () => {
    const r = await run(["ship", "--json"], "app: shop\ntargets:\n  lambda: { function: f, memory: 64 }\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("targets.lambda.memory: 64 is below the minimum 128");
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, error: { exitCode: 2 } });
    expect(doc.error.message).toContain("targets.lambda.memory: 64 is below the minimum 128");
  });

  it("without --json nothing is printed on stdout", async () => {
    const r = await run(["ship"], "app: shop\ntargets:\n  lambda: { function: f, memory: 64 }\n");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
  });
});

describe("usage", () => {
  it("`logship` with no command prints help and exits 2", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: logship");
  });

  it("an AWS target with a generic registry is refused before anything is built (exit 2)", async () => {
    const r = await run(["ship", "apprunner", "--dry-run"], "app: shop\nversion: 1.0.0\nregistry: { type: generic, url: ghcr.io/org/shop }\ntargets:\n  apprunner: { service: shop-svc }\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: targets.apprunner: AWS targets run images from Amazon ECR, but registry.type is generic\n  hint: set registry.type: ecr (logship creates the repository)\n");
  });
});

describe("--json with a usage error", () => {
  it.each([
    [["--json", "build", "--bogus"], "unknown option '--bogus'"],
    [["build", "--json", "--platform", "linux/386"], "option '--platform <platform>' argument 'linux/386' is invalid. Allowed choices are linux/amd64, linux/arm64."],
    [["--json"], "no command given"],
  ])("logship %j writes one JSON error document, exit 2", async (argv, message) => {
    const r = await runCli(argv, { cwd: os.tmpdir() });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: { message, hint: "run with --help for usage", exitCode: 2 } });
  });

  it("a bad --lock-wait is a usage error before anything is built (not after ship's build and push)", async () => {
    const r = await run(["ship", "lambda", "--lock-wait", "soon", "--json"], "app: shop\ntargets:\n  lambda: { function: f }\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"soon" is not a duration: use e.g. 90s, 10m or 1h');
    expect(r.stderr).not.toMatch(/Build|docker/);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });
});

