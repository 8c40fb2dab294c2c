// `deploy ecs --dry-run` with live state (src/plan/dry-run.ts): the ECS steps read for real from the
// Express fake (test/helpers/ecs-express-fake.ts, written from AWS's docs; it keeps its own state),
// send no write, and say per step what a real run would do; the writes they plan are the ones the
// real run then sends to the same fake.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { ECSClient } from "@aws-sdk/client-ecs";
import { IAMClient } from "@aws-sdk/client-iam";
import { runSteps, type StepResult } from "../../src/pipeline.js";
import { ecsDeploySteps } from "../../src/targets/ecs/index.js";
import { formatPlan } from "../../src/ui/plan.js";
import type { Context } from "../../src/steps/types.js";
import { ExpressFake } from "../helpers/ecs-express-fake.js";
import { wireExpress } from "../helpers/ecs-express-wire.js";
import { missingRolesIn } from "../helpers/ecs-roles-fake.js";
import { CONFIG, deploy, ecsTarget, image, names, NEW, OLD, seedService, setup, writes } from "../helpers/ecs-run.js";

const ecsMock = mockClient(ECSClient);
const iam = mockClient(IAMClient);
let fake: ExpressFake;

/** The writes the SDK fakes received, as Service.Operation, in the order they were sent (sinon orders calls across stubs: calledBefore). */
const sentWrites = () => {
  const all = [...ecsMock.calls().map((c) => ["ECS", c] as const), ...iam.calls().map((c) => ["IAM", c] as const)]
    .sort(([, a], [, b]) => (a.calledBefore(b as never) ? -1 : 1));
  const ours = new Set(writes(ecsMock, iam));
  return all.map(([service, c]) => [service, (c.args[0] as object).constructor.name.replace(/Command$/, "")])
    .filter(([, op]) => ours.has(op)).map(([service, op]) => `${service}.${op}`);
};
const plannedWrites = (results: StepResult[]) => results.flatMap((r) => r.writes ?? []).map((w) => `${w.service}.${w.operation}`);
const seeded = (digest = OLD, over: Record<string, unknown> = {}) => seedService(fake, ecsMock, digest, over);

beforeEach(() => {
  ecsMock.reset();
  iam.reset();
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-11-25T09:00:00Z"));
  fake = new ExpressFake();
  wireExpress(ecsMock, fake);
});
afterEach(() => vi.useRealTimers());

async function dryRun(ctx: Context) {
  ctx.dryRun = true;
  ctx.liveDryRun = true;
  return runSteps(ecsDeploySteps(ctx, image()), ctx);
}

describe("deploy ecs --dry-run with live state", () => {
  it("a changed image and size: the service step plans each field change, and only reads are sent", async () => {
    seeded(OLD);
    const results = await dryRun(setup(ecsTarget({ cpu: 2048, memory: 4096 })));
    expect(writes(ecsMock, iam)).toEqual([]);
    expect(fake.deployments).toHaveLength(1);
    expect(names(ecsMock)).toEqual(["DescribeServices", "DescribeExpressGatewayService", "DescribeServices", "DescribeExpressGatewayService"]);
    const change = "image bbbbbbbbbbbb → aaaaaaaaaaaa, cpu 1024 → 2048, memory 2048 → 4096";
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ["ecs.preflight", "up to date"], ["ecs.service", `update: ${change}`], ["ecs.smoke-test", undefined],
    ]);
    const svc = results.find((r) => r.id === "ecs.service")!;
    expect(svc.writes!.map((w) => [w.operation, w.change])).toEqual([
      ["TagResource", []], ["UpdateExpressGatewayService", change.split(", ")],
    ]);
    // Env values are shown as (secret); a secret's ARN reference is not one.
    expect(svc.writes![1].input).toMatchObject({
      serviceArn: fake.arn, cpu: "2048", memory: "4096",
      primaryContainer: { environment: [{ name: "LOG_LEVEL", value: "(secret)" }, { name: "WORKERS", value: "(secret)" }], secrets: CONFIG().primaryContainer.secrets },
    });
    // The smoke test is planned against the endpoint the service already has.
    expect(formatPlan("deploy ecs", results)).toContain(`2. [ecs] Deploy ECS Express service log-analyzer: update: ${change}\n   aws ECS.TagResource {`);
  });

  it("nothing changed: up to date, no write planned", async () => {
    seeded(NEW);
    const results = await dryRun(setup());
    expect(results.filter((r) => r.outcome !== undefined).map((r) => [r.id, r.outcome, r.writes])).toEqual([
      ["ecs.preflight", "up to date", []], ["ecs.service", "up to date", []],
    ]);
    expect(writes(ecsMock, iam)).toEqual([]);
  });

  it("a deployment in flight is not waited for: the service is compared as it would end (here: already our configuration)", async () => {
    seeded(OLD);
    fake.update({ serviceArn: fake.arn, ...CONFIG(NEW) });
    ecsMock.resetHistory();
    const results = await dryRun(setup());
    expect(results.find((r) => r.id === "ecs.service")?.outcome).toBe("up to date");
    expect(names(ecsMock)).not.toContain("ListServiceDeployments");
  });

  it("a service being deleted is not waited for: its create is planned", async () => {
    seeded(OLD);
    fake.delete(fake.arn);
    ecsMock.resetHistory();
    const results = await dryRun(setup());
    expect(results.find((r) => r.id === "ecs.service")?.outcome).toBe("create");
    expect(writes(ecsMock, iam)).toEqual([]);
  });

  it("a missing service and roles: create, planned with its wait as done; the real run sends exactly that", async () => {
    missingRolesIn(iam);
    const noRoles = () => setup(ecsTarget({ executionRoleArn: undefined, infrastructureRoleArn: undefined }));
    const results = await dryRun(noRoles());
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ["ecs.preflight", "up to date"],
      ["iam.ensure-role-ecs-exec", "create"],
      ["ecs.secrets-policy", "update: inline policy logship-secrets added: read 1 secret(s)"],
      ["iam.ensure-role-ecs-infra", "create"],
      ["ecs.service", "create"],
      ["ecs.smoke-test", undefined],
    ]);
    expect(sentWrites()).toEqual([]);
    expect(fake.service).toBeUndefined();
    const real = await deploy(noRoles());
    expect(real.error).toBeUndefined();
    expect(sentWrites()).toEqual(plannedWrites(results));
    expect(sentWrites()).toEqual([
      "IAM.CreateRole", "IAM.AttachRolePolicy", "IAM.PutRolePolicy", "IAM.CreateRole", "IAM.AttachRolePolicy", "ECS.CreateExpressGatewayService",
    ]);
  });

  it("an update: the real run sends the writes the dry run planned, in order", async () => {
    seeded(OLD);
    const results = await dryRun(setup());
    expect(results.find((r) => r.id === "ecs.service")?.outcome).toBe("update: image bbbbbbbbbbbb → aaaaaaaaaaaa");
    const real = await deploy(setup());
    expect(real.error).toBeUndefined();
    expect(sentWrites()).toEqual(plannedWrites(results));
    expect(sentWrites()).toEqual(["ECS.TagResource", "ECS.UpdateExpressGatewayService"]);
  });
});
