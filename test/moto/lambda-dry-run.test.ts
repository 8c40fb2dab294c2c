// `deploy lambda --dry-run` on moto (issue 11 points 2 and 3): it reads live state, sends no write, and
// says per step what a real run would do. The writes a dry run lists (--json) are the writes the real
// run then makes (--debug's trace), for a create and for an update. Function URLs on moto cannot be
// reached from here, so every run is --no-smoke.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import type { Project } from "../integration/helpers.js";
import { logship, motoParts, motoProject, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

interface PlannedStep { id: string; outcome?: string; writes?: { service: string; operation: string; input: unknown }[]; actions?: unknown[] }
const stepsOf = (stdout: string): PlannedStep[] => JSON.parse(stdout).steps;
const plannedWrites = (stdout: string) => stepsOf(stdout).flatMap((s) => (s.writes ?? []).map((w) => `${w.service}.${w.operation}`));
const outcomes = (stdout: string) => stepsOf(stdout).map((s) => [s.id, s.outcome ?? "planned"]);

/** The steps of `deploy lambda` that read live state in a dry run; the lock and the smoke test stay planned. */
const LIVE = ["registry.resolve", "lambda.check-image", "iam.ensure-role", "lambda.deploy-function", "lambda.publish-alias", "lambda.function-url"];

describe.skipIf(parts.skip)("deploy lambda --dry-run on moto: live state read, nothing written", { timeout: 120_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  let fn: string;
  const lambda = (memory: number) => ({ targets: { lambda: { function: fn, memory, url: { public: true } } } });
  const dryRun = (json: boolean) => logship(["deploy", "lambda", "--no-smoke", "--dry-run", ...(json ? ["--json"] : [])], p.dir, { env });

  beforeAll(async () => {
    parts.assert();
    project = await motoProject(m, (q) => {
      fn = `${q.app}-fn`;
      return lambda(512);
    });
    ({ p, env } = project);
    for (const step of ["build", "push"]) {
      const r = await logship([step], p.dir, { env });
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterAll(() => project?.cleanup());

  it("a create: role, function, version, alias, URL and both permissions planned; the real run makes exactly those writes", async () => {
    const dry = await dryRun(true);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.writes).toEqual([]);
    expect(dry.lockCalls).toEqual([]);
    expect(dry.calls).toContain("Lambda.GetFunction");
    expect(outcomes(dry.stdout)).toEqual([
      ["lock.acquire", "planned"], ["registry.resolve", "up to date"], ["lambda.check-image", "up to date"],
      ["iam.ensure-role", "create"], ["lambda.deploy-function", "create"], ["lambda.publish-alias", "create"],
      ["lambda.function-url", "create"], ["lambda.smoke-test", "planned"],
    ]);
    const planned = plannedWrites(dry.stdout);
    expect(planned).toEqual([
      "IAM.CreateRole", "IAM.AttachRolePolicy", "Lambda.CreateFunction", "Lambda.PublishVersion", "Lambda.CreateAlias",
      "Lambda.CreateFunctionUrlConfig", "Lambda.AddPermission", "Lambda.AddPermission",
    ]);
    const aws = await sdk(m);
    expect(await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn })).then(() => "there", (e: Error) => e.name)).toBe("ResourceNotFoundException");

    const real = await logship(["deploy", "lambda", "--no-smoke"], p.dir, { env });
    expect(real.code, real.stderr).toBe(0);
    expect(real.writes).toEqual(planned);
  });

  it("nothing changed: `up to date` for every step that reads, and no write", async () => {
    const dry = await dryRun(true);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.writes).toEqual([]);
    expect(outcomes(dry.stdout).filter(([, o]) => o !== "planned")).toEqual(LIVE.map((id) => [id, "up to date"]));
    expect(stepsOf(dry.stdout).filter((s) => !LIVE.includes(s.id)).map((s) => s.id)).toEqual(["lock.acquire", "lambda.smoke-test"]);
    const text = await dryRun(false);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("live state read, nothing written");
    expect(text.stdout.split("\n").filter((l) => /: up to date$/.test(l))).toHaveLength(LIVE.length);
  });

  it("memory 512 → 1024: the dry run prints the field change and sends nothing; the real run's writes are the planned ones", async () => {
    await project.configure(lambda(1024));
    const text = await dryRun(false);
    expect(text.code, text.stderr).toBe(0);
    expect(text.writes).toEqual([]);
    expect(text.stdout).toMatch(/\[lambda\] Create or update Lambda function \S+: update: memory 512 → 1024\n {3}aws Lambda\.UpdateFunctionConfiguration \{/);
    expect(text.stdout).toMatch(/Publish a version and point alias live at it: update: a new version of \$LATEST, alias live: version 1 → <next version>/);

    const dry = await dryRun(true);
    expect(dry.writes).toEqual([]);
    const planned = plannedWrites(dry.stdout);
    expect(planned).toEqual(["Lambda.UpdateFunctionConfiguration", "Lambda.PublishVersion", "Lambda.UpdateAlias"]);
    const aws = await sdk(m);
    expect((await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration?.MemorySize).toBe(512);

    const real = await logship(["deploy", "lambda", "--no-smoke"], p.dir, { env });
    expect(real.code, real.stderr).toBe(0);
    expect(real.writes).toEqual(planned);
    expect((await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration?.MemorySize).toBe(1024);
  });
});
