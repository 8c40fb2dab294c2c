// The ECS Express Mode target against aws-sdk-client-mock, with fake timers for every wait. The ECS
// answers come from test/helpers/ecs-express-fake.ts, written from AWS's docs and Terraform's
// provider: the service keeps its own state, deployments move with the clock.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CreateExpressGatewayServiceCommand, DeleteExpressGatewayServiceCommand, DescribeExpressGatewayServiceCommand,
  DescribeServiceDeploymentsCommand, DescribeServicesCommand, ECSClient, ListServiceDeploymentsCommand, TagResourceCommand,
  UpdateExpressGatewayServiceCommand,
} from "@aws-sdk/client-ecs";
import {
  DeleteRoleCommand, DetachRolePolicyCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { secretResources, secretsPolicy } from "../../src/targets/ecs/secrets.js";
import { ecs, ecsDeploySteps } from "../../src/targets/ecs/index.js";
import { runSteps, type PipelineError } from "../../src/pipeline.js";
import { DeployError, InterruptedError } from "../../src/errors.js";
import { ACCOUNT, awsError, ExpressFake } from "../helpers/ecs-express-fake.js";
import { wireExpress } from "../helpers/ecs-express-wire.js";
import {
  CONFIG, deploy, drive, ecsTarget, image, inputsOf, names, NEW, okFetch, OLD, progressLines, REPO, SECRET, SMOKE, setup, statusOf,
  writes as writesOf, INFRA, seedService,
} from "../helpers/ecs-run.js";

const ecsMock = mockClient(ECSClient);
const iam = mockClient(IAMClient);
const T0 = new Date("2026-11-25T09:00:00Z");
const writes = () => writesOf(ecsMock, iam);
const inputs = <T>(cmd: new (input: T) => unknown) => inputsOf(ecsMock, cmd);

let fake: ExpressFake;
/** The service as the fake made it: its endpoint without the trailing slash, as logship shows it. */
const base = () => fake.view().activeConfigurations![0].ingressPaths![0].endpoint!.replace(/\/$/, "");
const seeded = (digest = OLD, over: Record<string, unknown> = {}) => seedService(fake, ecsMock, digest, over);

beforeEach(() => {
  ecsMock.reset();
  iam.reset();
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  fake = new ExpressFake();
  wireExpress(ecsMock, fake);
});
afterEach(() => vi.useRealTimers());

describe("deploy ecs", () => {
  it("creates a missing service by digest with cpu and memory as strings, follows the canary, smoke-tests the endpoint", async () => {
    const ctx = setup();
    const lines = progressLines(ctx);
    const { results, error, fetchImpl } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(inputs(CreateExpressGatewayServiceCommand)).toEqual([{
      serviceName: "log-analyzer", cluster: "default", infrastructureRoleArn: INFRA, ...CONFIG(),
      tags: [{ key: "logship:app", value: "log-analyzer" }],
    }]);
    expect(inputs(DescribeServicesCommand)[0]).toEqual({ cluster: "default", services: ["log-analyzer"] });
    expect(inputs(ListServiceDeploymentsCommand)[0]).toEqual({ cluster: "default", service: fake.arn, createdAt: { after: new Date(T0.getTime() - 60_000) } });
    expect(writes()).toEqual(["CreateExpressGatewayService"]);
    expect(fetchImpl.mock.calls[0][0]).toBe(`${base()}${SMOKE}`);
    expect(ctx.targets.ecs).toMatchObject({ url: base(), status: 200 });
    expect(statusOf(results, "ecs.service")).toMatchObject({ status: "done", detail: `created ${base()} (aaaaaaaaaaaa)` });
    // A first deployment has no old revision to keep traffic on: no canary is announced.
    expect(lines()).toContain("waiting for ECS to deploy log-analyzer: IN_PROGRESS, moving traffic to the new revision (60s)");
  });

  it("updates when the image changed, recording the previous image in a tag first", async () => {
    seeded(OLD);
    const ctx = setup();
    const lines = progressLines(ctx);
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    // The canary is visible (express-service-update-full: 5%, 3 min, 100%, 3 min bake).
    const shown = lines();
    expect(shown).toContain("waiting for ECS to deploy log-analyzer: IN_PROGRESS, canary: 5% of traffic on the new revision, rolled back if 4xx+5xx errors stay above 1%; 100% after 3 min (60s)");
    expect(shown.some((l) => l.startsWith("waiting for ECS to deploy log-analyzer: IN_PROGRESS, bake: 100% of traffic on the new revision, old tasks kept 3 min"))).toBe(true);
    expect(writes()).toEqual(["TagResource", "UpdateExpressGatewayService"]);
    expect(inputs(TagResourceCommand)).toEqual([{ resourceArn: fake.arn, tags: [{ key: "logship:previous-image", value: `${REPO}@${OLD}` }] }]);
    expect(inputs(UpdateExpressGatewayServiceCommand)).toEqual([{ serviceArn: fake.arn, ...CONFIG() }]);
    expect(inputs(ListServiceDeploymentsCommand).slice(0, 2)).toEqual([
      { cluster: "default", service: fake.arn, status: ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"] },
      { cluster: "default", service: fake.arn, createdAt: { after: new Date(T0.getTime() - 60_000) } },
    ]);
    expect(ctx.targets.ecs?.detail).toBe(`updated (image) ${base()} (aaaaaaaaaaaa)`);
    expect(fake.view().activeConfigurations!.map((c) => c.primaryContainer?.image)).toEqual([`${REPO}@${NEW}`]);
  });

  it("updates without a tag when only the configuration changed", async () => {
    seeded(NEW, { cpu: "512", memory: "1024" });
    const { error, results } = await deploy(setup());
    expect(error).toBeUndefined();
    expect(writes()).toEqual(["UpdateExpressGatewayService"]);
    expect(statusOf(results, "ecs.service")?.detail).toContain("updated (cpu, memory)");
  });

  it("writes nothing when the service runs this digest with this configuration, though AWS filled in its own defaults", async () => {
    seeded(NEW);
    // What AWS added: scaling 1–20, the default VPC's subnets and Express's own security group, a log group.
    expect(fake.view().activeConfigurations![0]).toMatchObject({
      scalingTarget: { minTaskCount: 1, maxTaskCount: 20 }, networkConfiguration: { securityGroups: ["sg-0express"] },
      primaryContainer: { awsLogsConfiguration: { logStreamPrefix: "ecs" } },
    });
    const ctx = setup();
    const { results, error, fetchImpl } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(statusOf(results, "ecs.service")).toMatchObject({ status: "skipped", detail: "up to date: log-analyzer runs aaaaaaaaaaaa" });
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(ctx.targets.ecs?.url).toBe(base());
  });

  it("waits for a deployment in progress before updating, saying what it waits for", async () => {
    seeded(OLD);
    fake.update({ serviceArn: fake.arn, cpu: "2048", memory: "4096" }); // someone else's update, just started
    ecsMock.resetHistory();
    const ctx = setup();
    const lines = progressLines(ctx);
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(lines()).toContain("waiting for the deployment in progress on log-analyzer to end: PENDING (0s)");
    const order = names(ecsMock);
    expect(order.slice(order.lastIndexOf("DescribeServices"), order.indexOf("UpdateExpressGatewayService"))).toEqual([
      "DescribeServices", "DescribeExpressGatewayService", "TagResource", // read again once it settled
    ]);
    expect(inputs(UpdateExpressGatewayServiceCommand)).toEqual([{ serviceArn: fake.arn, ...CONFIG() }]);
  });

  it("deploys the same configuration again when its first rollout failed, and ECS starts a deployment for it", async () => {
    fake.seed({ infrastructureRoleArn: INFRA, ...CONFIG(NEW) }, "circuit-breaker");
    ecsMock.resetHistory();
    const ctx = setup();
    const lines = progressLines(ctx);
    const { error, results } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(writes()).toEqual(["UpdateExpressGatewayService"]);
    expect(inputs(UpdateExpressGatewayServiceCommand)).toEqual([{ serviceArn: fake.arn, ...CONFIG() }]);
    expect(lines()).toContain("deploying log-analyzer again: ECS deployment circuit breaker: tasks failed to start.");
    expect(inputs(DescribeServiceDeploymentsCommand).every((i) => i.serviceDeploymentArns![0] === fake.deployments[1].arn)).toBe(true);
    expect(statusOf(results, "ecs.service")?.detail).toBe(`updated (redeployed after a failed rollout) ${base()} (aaaaaaaaaaaa)`);
  });

  it("says at once when an identical update starts no deployment, and why it cannot be forced", async () => {
    fake = new ExpressFake("log-analyzer", { identicalStartsNothing: true });
    wireExpress(ecsMock, fake);
    fake.seed({ infrastructureRoleArn: INFRA, ...CONFIG(NEW) }, "circuit-breaker");
    ecsMock.resetHistory();
    const started = Date.now();
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(
      "ECS started no new deployment of log-analyzer: the configuration is the same as the live one, whose rollout failed (ECS deployment circuit breaker: tasks failed to start.)",
    );
    expect((error as DeployError).hint).toContain("UpdateExpressGatewayService has no forceNewDeployment");
    const order = names(ecsMock);
    expect(order.slice(order.indexOf("UpdateExpressGatewayService") + 1)).toEqual([]); // no 3-minute wait for nothing
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("gives up within a minute when an identical re-deploy makes a revision but no deployment shows", async () => {
    fake.seed({ infrastructureRoleArn: INFRA, ...CONFIG(NEW) }, "circuit-breaker");
    ecsMock.resetHistory();
    ecsMock.on(ListServiceDeploymentsCommand, { createdAt: { after: new Date(T0.getTime() - 60_000) } }).resolves({ serviceDeployments: [] });
    const started = Date.now();
    const { error } = await deploy(setup());
    expect((error as DeployError).message).toMatch(/^ECS started no new deployment of log-analyzer: the configuration is the same as the live one/);
    expect(Date.now() - started).toBeLessThanOrEqual(90_000);
  });

  it("gives up when ECS starts no deployment at all", async () => {
    seeded(OLD);
    ecsMock.on(ListServiceDeploymentsCommand, { createdAt: { after: new Date(T0.getTime() - 60_000) } }).resolves({ serviceDeployments: [] });
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe("ECS started no deployment for log-analyzer within 3 min");
  });

  it("fails when the first deployment is stopped by the circuit breaker, naming the reason", async () => {
    fake.outcome = "circuit-breaker";
    const { error, results } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(
      "deploying log-analyzer failed: the deployment ended STOPPED (ECS deployment circuit breaker: tasks failed to start.)",
    );
    expect((error as DeployError).hint).toContain("cluster default → service log-analyzer");
    expect(statusOf(results, "ecs.smoke-test")).toBeUndefined();
  });

  it("fails when the canary's alarm rolled the deployment back, and says the previous revision still serves", async () => {
    seeded(OLD);
    fake.outcome = "canary-alarm";
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(
      "deploying log-analyzer failed (Rolling back because of alarm ecs-express-log-analyzer-5xx in ALARM state.): ECS rolled back to the previous revision, which is still serving",
    );
    expect(fake.view().activeConfigurations!.map((c) => c.primaryContainer?.image)).toEqual([`${REPO}@${OLD}`]);
  });

  /** The deployment stays in its canary traffic shift: a wait that must give up. */
  const deploymentNeverFinishes = () => ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((i) => {
    const out = fake.describeDeployments(i.serviceDeploymentArns!);
    out.serviceDeployments[0] = { ...out.serviceDeployments[0], status: "IN_PROGRESS", lifecycleStage: "PRODUCTION_TRAFFIC_SHIFT", finishedAt: undefined };
    return out;
  });

  it("gives up after targets.ecs.waitTimeout, naming the canary phase and the key to raise", async () => {
    seeded(OLD);
    deploymentNeverFinishes();
    const { error } = await deploy(setup(ecsTarget({ waitTimeout: "12m" })));
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toMatch(/^waiting for ECS to deploy log-analyzer: still IN_PROGRESS, canary: 5% of traffic .* after 12 min$/);
    expect((error as DeployError).hint).toContain("raise targets.ecs.waitTimeout");
  });

  it("targets.ecs.waitTimeout bounds the whole wait: time spent waiting for ACTIVE counts against it", async () => {
    seeded(OLD);
    const started = Date.now();
    // The service takes 8 minutes to be ACTIVE again; then the deployment never finishes.
    ecsMock.on(DescribeExpressGatewayServiceCommand).callsFake((i) => {
      const out = fake.describe(i.serviceArn!, i.include);
      if (Date.now() - started < 8 * 60_000) out.service!.status = { statusCode: "PENDING" } as never;
      return out;
    });
    deploymentNeverFinishes();
    const { error } = await deploy(setup(ecsTarget({ waitTimeout: "12m" })));
    expect(error).toBeInstanceOf(DeployError);
    // One deadline: not 8 + 12 minutes.
    expect(Date.now() - started).toBeLessThanOrEqual(12 * 60_000 + 15_000);
  });

  it("never sleeps more than 15 s between two reads of a deployment", async () => {
    seeded(OLD);
    const at: number[] = [];
    ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((i) => (at.push(Date.now()), fake.describeDeployments(i.serviceDeploymentArns!)));
    expect((await deploy(setup())).error).toBeUndefined();
    const gaps = at.slice(1).map((t, k) => t - at[k]);
    expect(gaps.length).toBeGreaterThan(20);
    expect(Math.max(...gaps)).toBe(15_000);
  });

  it("stops waiting on Ctrl-C with an InterruptedError", async () => {
    seeded(OLD);
    const abort = new AbortController();
    const ctx = setup(undefined, { signal: abort.signal });
    let settled: unknown;
    runSteps(ecsDeploySteps(ctx, image(), { fetch: okFetch() as unknown as typeof fetch }), ctx).catch((e: PipelineError) => (settled = e.cause));
    await vi.advanceTimersByTimeAsync(12_000);
    expect(settled).toBeUndefined();
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBeInstanceOf(InterruptedError);
    expect(writes()).toEqual(["TagResource", "UpdateExpressGatewayService"]);
  });

  it("refuses an image of the wrong architecture before any write", async () => {
    const { error, results } = await deploy(setup(), image({ architecture: "arm64" }));
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toContain("is linux/arm64");
    expect((error as DeployError).hint).toContain("--platform linux/amd64");
    expect(writes()).toEqual([]);
    expect(results.map((r) => r.id)).toEqual(["ecs.preflight"]);
  });

  it("refuses an amd64 image for a service that runs ARM64, offering both ways out", async () => {
    seeded(OLD, { cpuArchitecture: "ARM64" });
    const { error } = await deploy(setup());
    expect((error as DeployError).message).toContain("ECS service log-analyzer runs ARM64");
    expect((error as DeployError).hint).toContain("--platform linux/arm64");
    expect((error as DeployError).hint).toContain("set image.platform: linux/amd64 to switch the service to X86_64");
    expect(writes()).toEqual([]);
  });

  it("runs ARM64 when image.platform says so", async () => {
    const ctx = setup(ecsTarget(), {}, { image: { platform: "linux/arm64" } });
    const { error } = await deploy(ctx, image({ architecture: "arm64" }));
    expect(error).toBeUndefined();
    expect(inputs(CreateExpressGatewayServiceCommand)[0].cpuArchitecture).toBe("ARM64");
    expect(names(ecsMock).slice(0, 1)).toEqual(["DescribeServices"]); // preflight read nothing: the config decides
  });

  it("says plainly when the configured cluster does not exist", async () => {
    const { error } = await deploy(setup(ecsTarget({ cluster: "prod" })));
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe("ECS cluster prod does not exist");
    expect((error as DeployError).hint).toContain("aws ecs create-cluster --cluster-name prod");
    expect(inputs(CreateExpressGatewayServiceCommand)).toHaveLength(1);
  });

  it("fails the smoke test when the endpoint never answers 2xx, pointing to the console", async () => {
    seeded(NEW);
    const failing = vi.fn(async () => new Response("no", { status: 503 }));
    const { error } = await deploy(setup(), image(), failing);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toContain(`${base()}${SMOKE} did not answer 2xx`);
    expect((error as DeployError).hint).toContain("ECS console");
    expect(failing.mock.calls.length).toBeGreaterThan(1);
  });

  it("does not smoke-test a service that only has a private endpoint", async () => {
    seeded(NEW);
    fake.service!.activeConfigurations![0].ingressPaths = [{ accessType: "PRIVATE", endpoint: "internal-demo.elb.amazonaws.com" }];
    const ctx = setup();
    const { results, error, fetchImpl } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(statusOf(results, "ecs.smoke-test")).toMatchObject({
      status: "skipped", detail: "the service only answers inside its VPC (https://internal-demo.elb.amazonaws.com): not smoke-tested from here",
    });
    expect(ctx.targets.ecs?.url).toBeUndefined();
  });

  it("plans every call in a dry run, with secret ARNs but no writes", async () => {
    const ctx = setup(ecsTarget({ executionRoleArn: undefined, infrastructureRoleArn: undefined }), { dryRun: true });
    const results = await runSteps(ecsDeploySteps(ctx, image({ remote: undefined, repositoryUri: REPO })), ctx);
    expect(results.map((r) => r.id)).toEqual(["ecs.preflight", "iam.ensure-role-ecs-exec", "ecs.secrets-policy", "iam.ensure-role-ecs-infra", "ecs.service", "ecs.smoke-test"]);
    const service = results.find((r) => r.id === "ecs.service")!.actions!;
    expect(service.map((a) => a.command)).toEqual([
      "ECS.DescribeServices", "ECS.DescribeExpressGatewayService", "ECS.ListServiceDeployments", "ECS.CreateExpressGatewayService",
      "ECS.TagResource", "ECS.UpdateExpressGatewayService", "ECS.DescribeServiceDeployments",
    ]);
    expect(service[3].input).toMatchObject({
      executionRoleArn: "<ARN of role logship-log-analyzer-ecs-exec>",
      infrastructureRoleArn: "<ARN of role logship-log-analyzer-ecs-infra>",
      primaryContainer: { image: `${REPO}@<digest after push>`, secrets: [{ name: "DB_PASSWORD", valueFrom: SECRET }] },
      cpu: "1024", memory: "2048",
    });
    expect(ecsMock.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });
});

describe("destroy ecs", () => {
  it.each([
    ["ResourceNotFoundException", false], ["InvalidParameterException", false], ["ServiceNotActiveException", false],
    ["InvalidParameterException", true],
  ] as const)("deletes the service and waits until it is gone, when the gone service answers %s (draining as an error: %s)", async (goneAs, drainingAsError) => {
    fake = new ExpressFake("log-analyzer", { goneAs, drainingAsError });
    wireExpress(ecsMock, fake);
    seeded(NEW);
    const ctx = setup();
    const lines = progressLines(ctx);
    const r = await drive(runSteps(ecs.destroySteps(ctx), ctx));
    expect(r.error).toBeUndefined();
    expect(inputs(DeleteExpressGatewayServiceCommand)).toEqual([{ serviceArn: fake.arn }]);
    expect(r.value?.map((s) => [s.status, s.detail])).toEqual([["done", "deleted log-analyzer"]]);
    expect(lines()).toContain("waiting for ECS to delete log-analyzer: DRAINING (0s)");
  });

  it("waits out a delete already under way (ServiceNotActiveException: DRAINING)", async () => {
    seeded(NEW);
    fake.delete(fake.arn);
    ecsMock.resetHistory();
    const ctx = setup();
    const r = await drive(runSteps(ecs.destroySteps(ctx), ctx));
    expect(r.error).toBeUndefined();
    expect(r.value?.map((s) => s.status)).toEqual(["done"]);
    const calls = ecsMock.commandCalls(DeleteExpressGatewayServiceCommand);
    await expect(calls[0].returnValue).rejects.toMatchObject({ name: "ServiceNotActiveException", message: "Service is in DRAINING status." });
  });

  it("skips when there is no service", async () => {
    const ctx = setup();
    const r = await drive(runSteps(ecs.destroySteps(ctx), ctx));
    expect(r.value?.map((s) => [s.status, s.detail])).toEqual([["skipped", "no service"]]);
    expect(writes()).toEqual([]);
  });

  it("with --with-roles deletes the roles logship created for this app and leaves others alone", async () => {
    iam.on(GetRoleCommand).callsFake((input) => ({
      Role: { Arn: `arn:aws:iam::${ACCOUNT}:role/${input.RoleName}`, Tags: input.RoleName.endsWith("exec") ? [{ Key: "logship:app", Value: "log-analyzer" }] : [] },
    }));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: "arn:aws:iam::aws:policy/p" }] });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    const ctx = setup(ecsTarget({ executionRoleArn: undefined, infrastructureRoleArn: undefined }), { options: { withRoles: true } });
    const r = await drive(runSteps(ecs.destroySteps(ctx), ctx));
    expect(r.error).toBeUndefined();
    expect(iam.commandCalls(DetachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: "logship-log-analyzer-ecs-exec", PolicyArn: "arn:aws:iam::aws:policy/p" },
    ]);
    expect(iam.commandCalls(DeleteRoleCommand).map((c) => c.args[0].input)).toEqual([{ RoleName: "logship-log-analyzer-ecs-exec" }]);
    expect(r.value?.[2]).toMatchObject({ status: "skipped", detail: "role logship-log-analyzer-ecs-infra was not created by logship for log-analyzer: left alone" });
  });
});

describe("status ecs", () => {
  it("reads state, endpoint, image and update time back from AWS", async () => {
    seeded(NEW);
    vi.useRealTimers();
    expect(await ecs.status(setup())).toEqual({
      target: "ecs", exists: true, state: "ACTIVE", url: base(), image: `${REPO}@${NEW}`,
      updatedAt: fake.view().updatedAt!.toISOString(), detail: "service log-analyzer in cluster default",
    });
  });

  it("says a service being deleted is not there, and one deleted (InvalidParameterException: Resource not found) neither", async () => {
    fake = new ExpressFake("log-analyzer", { goneAs: "InvalidParameterException", drainingAsError: true });
    wireExpress(ecsMock, fake);
    seeded(NEW);
    fake.delete(fake.arn);
    expect(await ecs.status(setup())).toEqual({
      target: "ecs", exists: false, state: "DRAINING", detail: "ECS Express service log-analyzer in cluster default is being deleted (DRAINING)",
    });
    vi.advanceTimersByTime(60_000);
    expect(await ecs.status(setup())).toEqual({ target: "ecs", exists: false, detail: "no ECS Express service log-analyzer in cluster default" });
  });

  it("reads the image to roll back to from the logship:previous-image tag", async () => {
    seeded(NEW);
    fake.tag([{ key: "logship:previous-image", value: `${REPO}@${OLD}` }]);
    vi.useRealTimers();
    expect(await ecs.previousImage!(setup())).toBe(`${REPO}@${OLD}`);
    expect(inputs(DescribeExpressGatewayServiceCommand).at(-1)).toEqual({ serviceArn: fake.arn, include: ["TAGS"] });
  });

  it("has no image to roll back to while the service is being deleted", async () => {
    fake = new ExpressFake("log-analyzer", { drainingAsError: true });
    wireExpress(ecsMock, fake);
    seeded(NEW);
    fake.tag([{ key: "logship:previous-image", value: `${REPO}@${OLD}` }]);
    fake.delete(fake.arn);
    expect(await ecs.previousImage!(setup())).toBeUndefined();
  });

  it("says when there is no service (missing cluster included)", async () => {
    vi.useRealTimers();
    expect(await ecs.status(setup(ecsTarget({ cluster: "prod" })))).toEqual({ target: "ecs", exists: false, detail: "no ECS Express service log-analyzer in cluster prod" });
  });

  it("refuses a service of that name that is not an Express service", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: "log-analyzer", serviceArn: fake.arn, status: "ACTIVE", resourceManagementType: "CUSTOMER" }] });
    ecsMock.on(DescribeExpressGatewayServiceCommand).rejects(awsError("InvalidParameterException", "Resource not found."));
    vi.useRealTimers();
    await expect(ecs.status(setup())).rejects.toThrow("exists but is not an Express Mode service");
  });
});

describe("secrets policy for the execution role", () => {
  // The ARN's structure (AWS's "Finding a secret from a partial ARN"): the secret is the first seven
  // fields; a name ending in -XXXXXX may be complete or a partial ARN of a name such as db-passwd.
  const SM = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret`;
  it.each([
    [SECRET, [SECRET, `${SECRET}-??????`]],
    [`${SECRET}:password::`, [SECRET, `${SECRET}-??????`]],
    [`${SM}:db`, [`${SM}:db-??????`]],
    [`${SM}:db-passwd`, [`${SM}:db-passwd`, `${SM}:db-passwd-??????`]],
    [`${SM}:db-passwd:user::`, [`${SM}:db-passwd`, `${SM}:db-passwd-??????`]],
    [`${SM}:prod/db_password`, [`${SM}:prod/db_password-??????`]],
    [`arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:db`, [`arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:db-??????`]],
    [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/token`, [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/token`]],
  ])("grants %s as %j", (valueFrom, resources) => {
    expect(secretResources(valueFrom)).toEqual(resources);
  });

  it("grants each service only its own ARNs, once", () => {
    const param = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/token`;
    expect(JSON.parse(secretsPolicy({ A: SECRET, B: `${SECRET}:password::`, C: param }))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET, `${SECRET}-??????`] },
        { Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [param] },
      ],
    });
  });

  it("adds no step when the execution role comes from the config or there are no secrets", () => {
    expect(ecsDeploySteps(setup(), image()).map((s) => s.id)).toEqual(["ecs.preflight", "ecs.service", "ecs.smoke-test"]);
    const noSecrets = setup(ecsTarget({ secrets: {}, executionRoleArn: undefined }));
    expect(ecsDeploySteps(noSecrets, image()).map((s) => s.id)).toEqual(["ecs.preflight", "iam.ensure-role-ecs-exec", "ecs.service", "ecs.smoke-test"]);
  });
});
