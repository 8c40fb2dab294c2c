// --no-smoke (deploy, ship, rollback) and smoke.enabled: false: every target's smoke step is
// reported skipped with the reason, in the run, in --json and in --dry-run; the URL is still known
// and printed. Lambda is faked with aws-sdk-client-mock answering as the Lambda API reference does.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  GetAliasCommand, GetFunctionUrlConfigCommand, LambdaClient, ListVersionsByFunctionCommand, UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import { lambdaSmokeStep } from "../../src/targets/lambda/smoke.js";
import { smokeStep as apprunnerSmokeStep } from "../../src/targets/apprunner/smoke.js";
import { smokeStep as ecsSmokeStep } from "../../src/targets/ecs/smoke.js";
import { lambdaRollbackSteps } from "../../src/targets/lambda/rollback.js";
import { runSteps } from "../../src/pipeline.js";
import { validateConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import type { Context, Step } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";
import { fakeEcrImages } from "../helpers/ecr-images-fake.js";
import { ECRClient } from "@aws-sdk/client-ecr";
import { runCli } from "../helpers/cli.js";
import { fakeLockAws } from "../helpers/lock-fake.js";

const lambda = mockClient(LambdaClient);
// The rollback reads the chosen version's image from ECR (is it archived?): both are in standard storage.
const ecr = mockClient(ECRClient);
// Writing commands take the deploy lock first (issue #12): its SSM and STS side, faked as documented.
beforeEach(() => void fakeLockAws());
afterEach(() => {
  lambda.reset();
  ecr.reset();
  vi.restoreAllMocks();
});

const URL = "https://abc123.lambda-url.us-east-1.on.aws/";
const noFetch = (() => { throw new Error("test: the smoke test must not send a request"); }) as unknown as typeof fetch;
const answers200 = (async () => new Response("ok", { status: 200 })) as typeof fetch;

type Case = ["lambda" | "apprunner" | "ecs", Record<string, unknown>, (ctx: Context) => void, (f: typeof fetch) => Step];
const cases: Case[] = [
  ["lambda", { targets: { lambda: { function: "demo-fn", url: { public: true } } } },
    (ctx) => (ctx.targets.lambda = { url: URL }), (f) => lambdaSmokeStep(f)],
  ["apprunner", { targets: { apprunner: { service: "demo-svc" } } },
    (ctx) => (ctx.targets.apprunner = { url: "https://x1.us-east-1.awsapprunner.com" }), (f) => apprunnerSmokeStep({}, { fetch: f })],
  ["ecs", { targets: { ecs: { service: "demo-svc" } } },
    (ctx) => (ctx.targets.ecs = { url: "https://demo-svc.ecs.us-east-1.on.aws" }), (f) => ecsSmokeStep({ fetch: f })],
];

describe.each(cases)("%s smoke step", (group, config, deployed, step) => {
  it("--no-smoke: skipped with the reason, no request, the URL kept for printing", async () => {
    const { ctx } = testContext({ app: "demo", ...config }, { options: { smoke: false } });
    deployed(ctx);
    const url = ctx.targets[group]!.url;
    const [result] = await runSteps([step(noFetch)], ctx);
    expect(result).toMatchObject({ id: `${group}.smoke-test`, status: "skipped", detail: "skipped: --no-smoke" });
    expect(ctx.targets[group]).toEqual({ url, smokeSkipped: "--no-smoke" });
  });

  it("smoke.enabled: false names the file; the plan says the test is skipped", async () => {
    const { ctx } = testContext({ app: "demo", ...config, smoke: { enabled: false } });
    deployed(ctx);
    const s = step(noFetch);
    expect(s.describe(ctx)).toEqual([{ kind: "check", command: "smoke test skipped", note: "smoke.enabled: false in logship.yaml" }]);
    expect((await runSteps([s], ctx))[0]).toMatchObject({ status: "skipped", detail: "skipped: smoke.enabled: false in logship.yaml" });
  });

  it("on by default: the GET runs", async () => {
    const { ctx } = testContext({ app: "demo", ...config }, { options: { smoke: true } });
    deployed(ctx);
    const [result] = await runSteps([step(answers200)], ctx);
    expect(result).toMatchObject({ status: "done" });
    expect(result.detail).toMatch(/^HTTP 200 after/);
  });
});

describe("smoke.enabled in logship.yaml", () => {
  it("defaults to true, with or without a smoke block", () => {
    expect(validateConfig({ app: "a" }).smoke.enabled).toBe(true);
    expect(validateConfig({ app: "a", smoke: { path: "/health" } }).smoke.enabled).toBe(true);
    expect(validateConfig({ app: "a", smoke: { enabled: false } }).smoke).toEqual({ enabled: false, path: "/", timeout: "60s" });
  });

  it("a non-boolean is a config error naming the field", () => {
    const err = (() => { try { validateConfig({ app: "a", smoke: { enabled: "no" } }); } catch (e) { return e; } })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems).toEqual([expect.stringMatching(/^smoke\.enabled: /)]);
  });
});

describe("rollback lambda --no-smoke", () => {
  function aliasAtThree() {
    lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "3" });
    lambda.on(ListVersionsByFunctionCommand).resolves({
      Versions: [{ Version: "$LATEST", CodeSha256: "c".repeat(64) }, { Version: "2", CodeSha256: "b".repeat(64) }, { Version: "3", CodeSha256: "c".repeat(64) }],
    });
    lambda.on(UpdateAliasCommand).resolves({ Name: "live", FunctionVersion: "2" });
    lambda.on(GetFunctionUrlConfigCommand).resolves({ FunctionUrl: URL, AuthType: "NONE" });
    fakeEcrImages(ecr, [{ imageDigest: `sha256:${"b".repeat(64)}` }, { imageDigest: `sha256:${"c".repeat(64)}` }]);
  }

  it("still reads the URL (to print it) and sends no GET", async () => {
    aliasAtThree();
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const { ctx } = testContext({ app: "demo", targets: { lambda: { function: "demo-fn" } } }, { options: { smoke: false } });
    const results = await runSteps(lambdaRollbackSteps(ctx), ctx);
    expect(results.map((r) => [r.id, r.status, r.detail?.split(" (")[0]])).toEqual([
      ["lambda.rollback", "done", "version 3 → 2"],
      ["lambda.smoke-test", "skipped", "skipped: --no-smoke"],
    ]);
    expect(ctx.targets.lambda).toEqual({ url: URL, smokeSkipped: "--no-smoke" });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("through the CLI: the URL on stdout, the skipped step and its reason on stderr and in --json", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "logship-nosmoke-"));
    try {
      await writeFile(path.join(dir, "logship.yaml"), "app: demo\nregion: us-east-1\ntargets:\n  lambda:\n    function: demo-fn\n");
      aliasAtThree();
      const plain = await runCli(["rollback", "lambda", "--no-smoke"], { cwd: dir });
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toBe(`${URL}\n`);
      expect(plain.stderr).toMatch(/\[lambda\] Smoke test the function URL — skipped: --no-smoke/);
      lambda.reset();
      ecr.reset();
      aliasAtThree();
      const json = await runCli(["rollback", "lambda", "--no-smoke", "--json"], { cwd: dir });
      const doc = JSON.parse(json.stdout);
      expect(doc.steps.find((s: { id: string }) => s.id === "lambda.smoke-test")).toMatchObject({ status: "skipped", detail: "skipped: --no-smoke" });
      expect(doc.targets.lambda).toEqual({ url: URL, smokeSkipped: "--no-smoke" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("--dry-run shows the smoke test skipped, with the reason (deploy, ship, rollback)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "logship-nosmoke-dry-"));
    await writeFile(path.join(dir, "Dockerfile"), "FROM scratch\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const yaml = (extra = "") =>
    `app: demo\nversion: 1.0.0\nregion: us-east-1\n${extra}targets:\n  lambda:\n    function: demo-fn\n    url:\n      public: true\n  ecs:\n    service: demo-svc\n`;
  // No docker here: a dry run notes what it would use and goes on.
  const env = () => ({ CI: "1", LOGSHIP_DOCKER: path.join(dir, "no-such-docker") });
  const smokeActions = (stdout: string) =>
    JSON.parse(stdout).steps.filter((s: { id: string }) => s.id.endsWith("smoke-test")).map((s: { id: string; actions: unknown }) => [s.id, s.actions]);
  const skipped = (note: string) => [{ kind: "check", command: "smoke test skipped", note }];

  it.each([
    ["deploy lambda --no-smoke", ["deploy", "lambda", "--no-smoke"], "", [["lambda.smoke-test", skipped("--no-smoke")]]],
    ["ship lambda ecs --no-smoke", ["ship", "lambda", "ecs", "--no-smoke"], "",
      [["lambda.smoke-test", skipped("--no-smoke")], ["ecs.smoke-test", skipped("--no-smoke")]]],
    ["rollback lambda --no-smoke", ["rollback", "lambda", "--no-smoke"], "", [["lambda.smoke-test", skipped("--no-smoke")]]],
    ["ship lambda, smoke.enabled: false", ["ship", "lambda"], "smoke:\n  enabled: false\n",
      [["lambda.smoke-test", skipped("smoke.enabled: false in logship.yaml")]]],
  ])("%s", async (_name, argv, extra, want) => {
    await writeFile(path.join(dir, "logship.yaml"), yaml(extra));
    const r = await runCli([...argv, "--dry-run", "--json"], { cwd: dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(smokeActions(r.stdout)).toEqual(want);
  });

  it("the text plan says so too; without the flag it plans the GET", async () => {
    await writeFile(path.join(dir, "logship.yaml"), yaml());
    const off = await runCli(["deploy", "lambda", "--no-smoke", "--dry-run"], { cwd: dir, env: env() });
    expect(off.stdout).toMatch(/\[lambda\] Smoke test <function URL>\/\n {3}smoke test skipped\n {5}\(--no-smoke\)/);
    const on = await runCli(["deploy", "lambda", "--dry-run"], { cwd: dir, env: env() });
    expect(on.stdout).toContain("GET <function URL>/");
    expect(on.stdout).not.toContain("smoke test skipped");
  });

  it("--help of deploy, ship and rollback lists --no-smoke", async () => {
    for (const cmd of ["deploy", "ship", "rollback"]) {
      const r = await runCli([cmd, "--help"], { cwd: dir, env: env() });
      expect(r.stdout, cmd).toContain("--no-smoke");
    }
  });
});
