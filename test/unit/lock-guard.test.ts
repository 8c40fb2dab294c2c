// A writing command's groups under the lock: the lock comes first, the record is written when the
// group ends (ok, failed, not at all for a no-op), and the lock is released with the clean-ups.
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { guardGroups, lockWaitMs, withLock } from "../../src/lock/guard.js";
import { readReleases } from "../../src/lock/record.js";
import { runGroups } from "../../src/pipeline.js";
import { imagesFor } from "../../src/images.js";
import { LockHeldError } from "../../src/lock/lock.js";
import { execute } from "../../src/aws/execute.js";
import { awsCall } from "../../src/aws/call.js";
import { InterruptedError } from "../../src/errors.js";
import { fakeSsm } from "../helpers/ssm-fake.js";
import { testContext } from "../helpers/context.js";
import type { Context, Step } from "../../src/steps/types.js";

// GetCallerIdentity's documented answer (API_GetCallerIdentity): Account, Arn, UserId.
const sts = mockClient(STSClient);
sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:sts::123456789012:assumed-role/ci/run-7", UserId: "AROAEXAMPLE:run-7" });
afterEach(() => sts.resetHistory());

const DIGEST = `sha256:${"a".repeat(64)}`;
const config = { app: "shop", targets: { lambda: { function: "shop-fn" }, local: { port: 18080 } } };
/** A fresh lock another run (alice's) holds, as logship writes it. */
const heldByAlice = () => JSON.stringify({
  id: "x", by: "arn:aws:iam::123456789012:user/alice", host: "laptop", pid: 1, command: "logship deploy lambda", since: new Date().toISOString(), ttlSeconds: 600,
});
const step = (id: string, run: (c: Context) => Promise<string | void>, isDone?: () => Promise<string | false>): Step =>
  ({ id, group: "lambda", title: () => id, describe: () => [], run, ...(isDone ? { isDone } : {}) });
/** One write, sent through the executor as every step's writes are (its sender changes nothing). */
const write = (c: Context) => execute(c, awsCall("Lambda", "UpdateFunctionConfiguration", { FunctionName: "shop-fn", MemorySize: 1024 }, async () => undefined), () => undefined);

async function runGuarded(ctx: Context, steps: Step[], localSteps: Step[] = []) {
  const guarded = guardGroups(ctx, "deploy lambda", "deploy", [{ group: "lambda", steps }, { group: "local", steps: localSteps }]);
  const outcomes = await runGroups(guarded.groups, ctx);
  await guarded.finish(outcomes);
  for (const clean of ctx.session.cleanup.reverse()) await clean();
  return { guarded, outcomes };
}

describe("guardGroups", () => {
  it("takes the lock before the group's first step, records the deploy, and releases the lock", async () => {
    const ssm = fakeSsm();
    const { ctx } = testContext(config);
    ctx.git = { sha: "45b7145aaaabbbbccccdddd", short: "45b7145" };
    // The image this deploy runs, built at an earlier commit (its revision label): the record names that one.
    const [spec] = imagesFor(ctx.config, "/project", ["lambda"]);
    ctx.images.set(spec.key, { spec, tag: "1.4.0", localRefs: ["shop:1.4.0"], revision: "0ld5ha0000", remote: { repository: "r", tag: "1.4.0", digest: DIGEST } });
    const seen: (string | undefined)[] = [];
    const { guarded, outcomes } = await runGuarded(ctx, [step("lambda.function", async (c) => { seen.push(ssm.value("/logship/shop/lambda/lock")); await write(c); return "updated"; })]);
    expect(guarded.groups.map((g) => g.steps.map((s) => s.id))).toEqual([["lock.acquire", "lambda.function"], []]);
    expect(outcomes[0].error).toBeUndefined();
    expect(JSON.parse(seen[0]!)).toMatchObject({ by: "arn:aws:sts::123456789012:assumed-role/ci/run-7", command: "logship deploy lambda", sha: "45b7145aaaabbbbccccdddd" });
    expect(ssm.value("/logship/shop/lambda/lock")).toBeUndefined();
    const [entry] = await readReleases(ctx.aws, "shop", "lambda");
    expect(entry).toMatchObject({ target: "lambda", action: "deploy", result: "ok", digest: DIGEST, tag: "1.4.0", dirty: false, sha: "0ld5ha0000", by: "arn:aws:sts::123456789012:assumed-role/ci/run-7" });
  });

  it("a run with nothing to do takes and releases the lock but records nothing", async () => {
    const ssm = fakeSsm();
    const { ctx } = testContext(config);
    // The image look-up, an App Runner-style preflight and the smoke test run every time ("done"); they write nothing.
    await runGuarded(ctx, [
      step("registry.resolve", async () => "found"),
      step("apprunner.preflight", async () => "image suits App Runner"),
      step("lambda.function", async () => "x", async () => "up to date"),
      step("lambda.smoke-test", async () => "200"),
    ]);
    expect(ssm.writes()).toEqual(["PutParameter", "DeleteParameter"]);
    expect(await readReleases(ctx.aws, "shop", "lambda")).toEqual([]);
  });

  it("a failed deploy is recorded as failed with its message and the digest it tried (not as running it), and the lock is released", async () => {
    const ssm = fakeSsm();
    const { ctx } = testContext(config);
    const [spec] = imagesFor(ctx.config, "/project", ["lambda"]);
    ctx.images.set(spec.key, { spec, tag: "1.4.0", localRefs: [], remote: { repository: "r", tag: "1.4.0", digest: DIGEST } });
    const { outcomes } = await runGuarded(ctx, [step("lambda.function", async () => { throw new Error("AWS said ResourceConflictException: busy"); })]);
    expect(outcomes[0].error).toBeInstanceOf(Error);
    const [failed] = await readReleases(ctx.aws, "shop", "lambda");
    expect(failed).toMatchObject({ result: "failed", detail: "AWS said ResourceConflictException: busy", attempted: DIGEST });
    expect(failed.digest).toBeUndefined();
    expect(ssm.value("/logship/shop/lambda/lock")).toBeUndefined();
  });

  it("Ctrl-C or SIGTERM during the deploy: recorded as interrupted, and the lock is released", async () => {
    const ssm = fakeSsm();
    const controller = new AbortController();
    const { ctx } = testContext(config, { signal: controller.signal });
    const waitForStop = () => new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(new InterruptedError("interrupted"))));
    const { outcomes } = await runGuarded(ctx, [step("lambda.function", async () => {
      setTimeout(() => controller.abort("SIGTERM"), 5);
      return waitForStop();
    })]);
    expect(outcomes[0].error).toBeInstanceOf(InterruptedError);
    expect((await readReleases(ctx.aws, "shop", "lambda"))[0]).toMatchObject({ action: "deploy", result: "interrupted" });
    expect(ssm.value("/logship/shop/lambda/lock")).toBeUndefined();
  });

  it("a held lock fails the group before any of its steps runs", async () => {
    const ssm = fakeSsm();
    ssm.put("/logship/shop/lambda/lock", heldByAlice());
    const { ctx } = testContext(config);
    let ran = false;
    const { outcomes } = await runGuarded(ctx, [step("lambda.function", async () => { ran = true; })]);
    expect(outcomes[0].error).toBeInstanceOf(LockHeldError);
    expect(ran).toBe(false);
    expect(await readReleases(ctx.aws, "shop", "lambda")).toEqual([]);
    expect(JSON.parse(ssm.value("/logship/shop/lambda/lock")!).by).toBe("arn:aws:iam::123456789012:user/alice");
  });

  it("lock: false adds no lock step and warns that concurrent deploys are not guarded", async () => {
    const ssm = fakeSsm();
    const { ctx, stderr } = testContext({ ...config, lock: false });
    const { guarded } = await runGuarded(ctx, [step("lambda.function", async () => "updated")]);
    expect(guarded.groups[0].steps.map((s) => s.id)).toEqual(["lambda.function"]);
    expect(ssm.writes()).toEqual([]);
    expect(stderr.text()).toMatch(/lock: false in logship.yaml: concurrent deploys of lambda are not guarded/);
  });

  it("--dry-run lists the lock and record calls", () => {
    fakeSsm();
    const { ctx } = testContext(config, { dryRun: true });
    const [lock] = guardGroups(ctx, "deploy lambda", "deploy", [{ group: "lambda", steps: [] }]).groups[0].steps;
    expect(lock.describe(ctx).map((a) => [a.command, (a.input as { Name: string }).Name])).toEqual([
      ["SSM.PutParameter", "/logship/shop/lambda/lock"],
      ["SSM.PutParameter", "/logship/shop/lambda/release"],
    ]);
  });

  it("--lock-wait takes a duration", () => {
    expect(lockWaitMs("10m")).toBe(600_000);
    expect(lockWaitMs(undefined)).toBe(0);
    expect(() => lockWaitMs("soon")).toThrow('--lock-wait: "soon" is not a duration');
  });
});

describe("withLock (doctor --fix)", () => {
  it("holds the lock while the fix runs, then releases it", async () => {
    const ssm = fakeSsm();
    const { ctx } = testContext(config);
    const seen = await withLock(ctx, "doctor --fix", "lambda", async () => JSON.parse(ssm.value("/logship/shop/lambda/lock")!).command);
    expect(seen).toBe("logship doctor --fix");
    expect(ssm.value("/logship/shop/lambda/lock")).toBeUndefined();
  });

  it("a held lock stops the fix before it reads or writes anything", async () => {
    const ssm = fakeSsm();
    ssm.put("/logship/shop/lambda/lock", heldByAlice());
    const { ctx } = testContext(config);
    let ran = false;
    await expect(withLock(ctx, "doctor --fix", "lambda", async () => { ran = true; })).rejects.toBeInstanceOf(LockHeldError);
    expect(ran).toBe(false);
  });

  it("a dry run and lock: false run the audit without the lock", async () => {
    const ssm = fakeSsm();
    for (const [raw, over] of [[config, { dryRun: true }], [{ ...config, lock: false }, {}]] as const) {
      const { ctx } = testContext(raw as Record<string, unknown>, over);
      expect(await withLock(ctx, "doctor --fix", "lambda", async () => "audited")).toBe("audited");
    }
    expect(ssm.mock.calls()).toHaveLength(0);
  });
});
