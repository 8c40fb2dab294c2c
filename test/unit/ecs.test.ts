// The ECS Express Mode target against aws-sdk-client-mock, with fake timers for every wait.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CreateExpressGatewayServiceCommand, DeleteExpressGatewayServiceCommand, DescribeExpressGatewayServiceCommand,
  DescribeServiceDeploymentsCommand, DescribeServicesCommand, ECSClient, ListServiceDeploymentsCommand, TagResourceCommand,
  UpdateExpressGatewayServiceCommand, type ECSExpressGatewayService, type ServiceDeploymentStatus,
} from "@aws-sdk/client-ecs";
import {
  AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DetachRolePolicyCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient,
  ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { secretResource, secretsPolicy } from "../../src/steps/ecs/secrets.js";
import { ecs, ecsDeploySteps } from "../../src/targets/ecs.js";
import { runSteps, type PipelineError, type StepResult } from "../../src/pipeline.js";
import { AwsClients } from "../../src/aws/clients.js";
import { DeployError, InterruptedError } from "../../src/errors.js";
import { trustPolicy } from "../../src/steps/iam-role.js";
import type { Context, ImageState } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";

const ecsMock = mockClient(ECSClient);
const iam = mockClient(IAMClient);

const ACCOUNT = "123456789012";
const REPO = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/log-analyzer`;
const NEW = "sha256:" + "a".repeat(64);
const OLD = "sha256:" + "b".repeat(64);
const ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:service/default/log-analyzer`;
const EXEC = `arn:aws:iam::${ACCOUNT}:role/my-exec`;
const INFRA = `arn:aws:iam::${ACCOUNT}:role/my-infra`;
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
const ENDPOINT = "https://log-analyzer.ecs.us-east-1.on.aws/";
const BASE = "https://log-analyzer.ecs.us-east-1.on.aws";
const SMOKE = "/logs?start_time=2021-04-23T10:00:00";
const DEP = `arn:aws:ecs:us-east-1:${ACCOUNT}:service-deployment/default/log-analyzer/dep2`;
const T0 = new Date("2026-11-25T09:00:00Z");

const ecsTarget = (over: Record<string, unknown> = {}) => ({
  service: "log-analyzer", port: 8000, healthCheckPath: "/health",
  env: { WORKERS: 2 }, secrets: { DB_PASSWORD: SECRET }, executionRoleArn: EXEC, infrastructureRoleArn: INFRA, ...over,
});

function setup(target: Record<string, unknown> = ecsTarget(), over: Partial<Context> = {}, extra: Record<string, unknown> = {}) {
  // A region from "flags": no read of ~/.aws/config, whose real I/O would race the fake clock.
  const aws = new AwsClients({ region: "us-east-1", regionSource: "flag", env: {} });
  return testContext({
    app: "log-analyzer",
    env: { LOG_LEVEL: "info" },
    smoke: { path: SMOKE, timeout: "10s" },
    targets: { ecs: target },
    ...extra,
  }, { aws, ...over }).ctx;
}

function image(over: Partial<ImageState> = {}): ImageState {
  return {
    spec: {
      key: "app", name: "log-analyzer", dockerfile: "Dockerfile", context: ".", platform: "linux/amd64", buildArgs: {},
      labels: {}, tagSuffix: "", targets: ["ecs"],
      registry: { type: "ecr", repository: "log-analyzer", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 },
    },
    tag: "0.0.1", localRefs: ["log-analyzer:0.0.1"], architecture: "amd64",
    remote: { repository: REPO, tag: "0.0.1", digest: NEW },
    ...over,
  };
}

/** What the service step should send for ecsTarget() (create adds name, cluster, infra role, tags). */
const CONFIG = (digest = NEW, exec = EXEC) => ({
  executionRoleArn: exec,
  healthCheckPath: "/health",
  primaryContainer: {
    image: `${REPO}@${digest}`,
    containerPort: 8000,
    environment: [{ name: "LOG_LEVEL", value: "info" }, { name: "WORKERS", value: "2" }],
    secrets: [{ name: "DB_PASSWORD", valueFrom: SECRET }],
  },
  cpu: "1024",
  memory: "2048",
  cpuArchitecture: "X86_64",
});

function service(digest = OLD, over: Partial<ECSExpressGatewayService> = {}, config: Record<string, unknown> = {}): ECSExpressGatewayService {
  return {
    cluster: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/default`, serviceName: "log-analyzer", serviceArn: ARN,
    infrastructureRoleArn: INFRA, status: { statusCode: "ACTIVE" },
    createdAt: new Date("2026-11-01T10:00:00Z"), updatedAt: new Date("2026-11-20T10:00:00Z"),
    activeConfigurations: [{
      serviceRevisionArn: "rev1", ...CONFIG(digest), ...config,
      ingressPaths: [{ accessType: "PUBLIC", endpoint: ENDPOINT }],
    }] as ECSExpressGatewayService["activeConfigurations"],
    ...over,
  };
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });
const okFetch = () => vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response("[]", { status: 200 }));

/** Runs a promise to the end while advancing fake time, so polls and backoffs finish at once. */
async function drive<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let out: { value?: T; error?: unknown } | undefined;
  p.then((value) => (out = { value }), (error) => (out = { error }));
  for (let i = 0; !out && i < 4000; i++) await vi.advanceTimersByTimeAsync(1000);
  return out!;
}

async function deploy(ctx: Context, img = image(), fetchImpl = okFetch()) {
  const r = await drive(runSteps(ecsDeploySteps(ctx, img, { fetch: fetchImpl as unknown as typeof fetch }), ctx));
  const error = (r.error as PipelineError | undefined)?.cause;
  const results = r.value ?? (r.error as PipelineError | undefined)?.results ?? [];
  return { results, error, fetchImpl };
}

const names = (client: typeof ecsMock | typeof iam) => client.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));
const WRITES = [
  "CreateExpressGatewayService", "UpdateExpressGatewayService", "TagResource", "DeleteExpressGatewayService",
  "CreateRole", "AttachRolePolicy", "PutRolePolicy", "DeleteRole", "DetachRolePolicy",
];
const writes = () => [...names(ecsMock), ...names(iam)].filter((n) => WRITES.includes(n));
const statusOf = (results: StepResult[], id: string) => results.find((r) => r.id === id);
const inputs = <T>(cmd: new (input: T) => unknown) => ecsMock.commandCalls(cmd as never).map((c) => (c.args[0] as { input: T }).input);

/** The service as AWS would report it, changed by Create/Update/Delete. */
function fakeEcs(
  initial: ECSExpressGatewayService | undefined, outcome: ServiceDeploymentStatus[] = ["IN_PROGRESS", "SUCCESSFUL"], reason?: string,
  createErrors: Error[] = [],
) {
  let current = initial;
  const states = [...outcome];
  ecsMock.on(DescribeServicesCommand).callsFake(() => current
    ? { services: [{ serviceName: "log-analyzer", serviceArn: ARN, status: current.status?.statusCode }], failures: [] }
    : { services: [], failures: [{ arn: ARN, reason: "MISSING" }] });
  ecsMock.on(DescribeExpressGatewayServiceCommand).callsFake(() => {
    if (!current) throw awsError("ResourceNotFoundException", "Service not found");
    return { service: current };
  });
  ecsMock.on(ListServiceDeploymentsCommand).callsFake((input) => input.status
    ? { serviceDeployments: [] }
    : { serviceDeployments: [{ serviceDeploymentArn: DEP, targetServiceRevisionArn: "rev2", createdAt: T0, status: "PENDING" }] });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => {
    const status = states.length > 1 ? states.shift() : states[0];
    return { serviceDeployments: [{ serviceDeploymentArn: DEP, status, statusReason: reason }] };
  });
  const becomes = (cfg: { primaryContainer?: { image?: string } }) => {
    current = service(undefined, {}, { ...cfg, serviceRevisionArn: "rev2" });
    if (!outcome.includes("SUCCESSFUL") && initial) current = initial;
  };
  ecsMock.on(CreateExpressGatewayServiceCommand).callsFake((input) => {
    const fail = createErrors.shift();
    if (fail) throw fail;
    becomes(input);
    return { service: { ...current, activeConfigurations: [{ serviceRevisionArn: "rev2" }] } };
  });
  ecsMock.on(UpdateExpressGatewayServiceCommand).callsFake((input) => {
    becomes(input);
    return { service: { serviceArn: ARN, targetConfiguration: { serviceRevisionArn: "rev2" } } };
  });
  ecsMock.on(TagResourceCommand).resolves({});
}

beforeEach(() => {
  ecsMock.reset();
  iam.reset();
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

describe("deploy ecs", () => {
  it("creates a missing service by digest with cpu and memory as strings, waits, smoke-tests the endpoint", async () => {
    fakeEcs(undefined);
    const ctx = setup();
    const { results, error, fetchImpl } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(inputs(CreateExpressGatewayServiceCommand)).toEqual([{
      serviceName: "log-analyzer", cluster: "default", infrastructureRoleArn: INFRA, ...CONFIG(),
      tags: [{ key: "logship:app", value: "log-analyzer" }],
    }]);
    expect(inputs(DescribeServicesCommand)[0]).toEqual({ cluster: "default", services: ["log-analyzer"] });
    expect(inputs(ListServiceDeploymentsCommand)).toEqual([
      { cluster: "default", service: ARN, createdAt: { after: new Date(T0.getTime() - 60_000) } },
    ]);
    expect(inputs(DescribeServiceDeploymentsCommand)).toEqual([{ serviceDeploymentArns: [DEP] }, { serviceDeploymentArns: [DEP] }]);
    expect(writes()).toEqual(["CreateExpressGatewayService"]);
    expect(fetchImpl.mock.calls[0][0]).toBe(`${BASE}${SMOKE}`);
    expect(ctx.targets.ecs).toMatchObject({ url: BASE, status: 200 });
    expect(statusOf(results, "ecs.service")).toMatchObject({ status: "done", detail: `created ${BASE} (aaaaaaaaaaaa)` });
  });

  it("updates when the image changed, recording the previous image in a tag first", async () => {
    fakeEcs(service(OLD));
    const ctx = setup();
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(writes()).toEqual(["TagResource", "UpdateExpressGatewayService"]);
    expect(inputs(TagResourceCommand)).toEqual([{ resourceArn: ARN, tags: [{ key: "logship:previous-image", value: `${REPO}@${OLD}` }] }]);
    expect(inputs(UpdateExpressGatewayServiceCommand)).toEqual([{ serviceArn: ARN, ...CONFIG() }]);
    expect(inputs(ListServiceDeploymentsCommand)).toEqual([
      { cluster: "default", service: ARN, status: ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"] },
      { cluster: "default", service: ARN, createdAt: { after: new Date(T0.getTime() - 60_000) } },
    ]);
    expect(ctx.targets.ecs?.detail).toBe(`updated (image) ${BASE} (aaaaaaaaaaaa)`);
  });

  it("updates without a tag when only the configuration changed", async () => {
    fakeEcs(service(NEW, {}, { cpu: "512", memory: "1024" }));
    const { error, results } = await deploy(setup());
    expect(error).toBeUndefined();
    expect(writes()).toEqual(["UpdateExpressGatewayService"]);
    expect(statusOf(results, "ecs.service")?.detail).toContain("updated (cpu, memory)");
  });

  it("writes nothing when the service already runs this digest with this configuration", async () => {
    fakeEcs(service(NEW));
    const ctx = setup();
    const { results, error, fetchImpl } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(statusOf(results, "ecs.service")).toMatchObject({ status: "skipped", detail: "up to date: log-analyzer runs aaaaaaaaaaaa" });
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(ctx.targets.ecs?.url).toBe(BASE);
  });

  it("waits for a deployment in progress before updating", async () => {
    fakeEcs(service(OLD));
    let busy = 2;
    ecsMock.on(ListServiceDeploymentsCommand, { status: ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"] })
      .callsFake(() => ({ serviceDeployments: busy-- > 0 ? [{ serviceDeploymentArn: "dep1", status: "IN_PROGRESS" }] : [] }));
    const ctx = setup();
    const progress = vi.spyOn(ctx.reporter, "progress");
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    const order = names(ecsMock);
    expect(order.filter((n) => n === "ListServiceDeployments").length).toBe(4); // 3 while busy, 1 for ours
    expect(order.slice(0, order.indexOf("UpdateExpressGatewayService"))).toEqual([
      "DescribeServices", "DescribeExpressGatewayService", // preflight: the architecture it runs
      "DescribeServices", "DescribeExpressGatewayService",
      "ListServiceDeployments", "ListServiceDeployments", "ListServiceDeployments",
      "DescribeServices", "DescribeExpressGatewayService", // read again once it settled
      "TagResource",
    ]);
    expect(progress.mock.calls.map((c) => c[1])).toContain("waiting for the deployment in progress on log-analyzer: IN_PROGRESS (0s)");
  });

  it("deploys the same configuration again when its last rollout failed, ignoring that old deployment", async () => {
    fakeEcs(service(NEW));
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [{
        serviceName: "log-analyzer", serviceArn: ARN, status: "ACTIVE",
        deployments: [{ status: "PRIMARY", rolloutState: "FAILED", rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." }],
      }],
    });
    const OLD_DEP = `${DEP}-old`;
    ecsMock.on(ListServiceDeploymentsCommand, { createdAt: { after: new Date(T0.getTime() - 60_000) } }).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: OLD_DEP, targetServiceRevisionArn: "rev2", createdAt: new Date(T0.getTime() - 30_000), finishedAt: new Date(T0.getTime() - 1_000), status: "STOPPED" },
        { serviceDeploymentArn: DEP, targetServiceRevisionArn: "rev2", createdAt: T0, status: "PENDING" },
      ],
    });
    const { error, results } = await deploy(setup());
    expect(error).toBeUndefined();
    expect(writes()).toEqual(["UpdateExpressGatewayService"]);
    expect(inputs(UpdateExpressGatewayServiceCommand)).toEqual([{ serviceArn: ARN, ...CONFIG() }]);
    expect(inputs(DescribeServiceDeploymentsCommand).every((i) => i.serviceDeploymentArns![0] === DEP)).toBe(true);
    expect(statusOf(results, "ecs.service")?.detail).toBe(`updated (redeployed after a failed rollout) ${BASE} (aaaaaaaaaaaa)`);
  });

  it("gives up when ECS starts no deployment at all", async () => {
    fakeEcs(service(OLD));
    ecsMock.on(ListServiceDeploymentsCommand, { createdAt: { after: new Date(T0.getTime() - 60_000) } }).resolves({ serviceDeployments: [] });
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe("ECS started no deployment for log-analyzer within 3 min");
  });

  it("fails when the deployment fails, naming the reason", async () => {
    fakeEcs(service(OLD), ["IN_PROGRESS", "STOPPED"], "tasks failed to start");
    const { error, results } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe("deploying log-analyzer failed: the deployment ended STOPPED (tasks failed to start)");
    expect((error as DeployError).hint).toContain("cluster default → service log-analyzer");
    expect(statusOf(results, "ecs.smoke-test")).toBeUndefined();
  });

  it("fails when ECS rolled the deployment back, and says the previous revision still serves", async () => {
    fakeEcs(service(OLD), ["IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"], "health checks failed");
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(
      "deploying log-analyzer failed (health checks failed): ECS rolled back to the previous revision, which is still serving",
    );
    expect(inputs(DescribeServiceDeploymentsCommand)).toHaveLength(3);
  });

  it("stops waiting on Ctrl-C with an InterruptedError", async () => {
    fakeEcs(service(OLD), ["IN_PROGRESS"]);
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
    fakeEcs(undefined);
    const { error, results } = await deploy(setup(), image({ architecture: "arm64" }));
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toContain("is linux/arm64");
    expect((error as DeployError).hint).toContain("--platform linux/amd64");
    expect(writes()).toEqual([]);
    expect(results.map((r) => r.id)).toEqual(["ecs.preflight"]);
  });

  it("refuses an amd64 image for a service that runs ARM64, offering both ways out", async () => {
    fakeEcs(service(OLD, {}, { cpuArchitecture: "ARM64" }));
    const { error } = await deploy(setup());
    expect((error as DeployError).message).toContain("ECS service log-analyzer runs ARM64");
    expect((error as DeployError).hint).toContain("--platform linux/arm64");
    expect((error as DeployError).hint).toContain("set image.platform: linux/amd64 to switch the service to X86_64");
    expect(writes()).toEqual([]);
  });

  it("runs ARM64 when image.platform says so", async () => {
    fakeEcs(undefined);
    const ctx = setup(ecsTarget(), {}, { image: { platform: "linux/arm64" } });
    const { error } = await deploy(ctx, image({ architecture: "arm64" }));
    expect(error).toBeUndefined();
    expect(inputs(CreateExpressGatewayServiceCommand)[0].cpuArchitecture).toBe("ARM64");
    expect(names(ecsMock).slice(0, 1)).toEqual(["DescribeServices"]); // preflight read nothing: the config decides
  });

  it("creates both roles when missing and retries the create while they propagate", async () => {
    fakeEcs(undefined, undefined, undefined, [
      awsError("InvalidParameterException", "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/logship-log-analyzer-ecs-infra'"),
    ]);
    iam.on(GetRoleCommand).rejects(awsError("NoSuchEntityException", "not found"));
    iam.on(CreateRoleCommand).callsFake((input) => ({ Role: { Arn: `arn:aws:iam::${ACCOUNT}:role/${input.RoleName}` } }));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(AttachRolePolicyCommand).resolves({});
    iam.on(GetRolePolicyCommand).rejects(awsError("NoSuchEntityException", "no policy"));
    iam.on(PutRolePolicyCommand).resolves({});
    const ctx = setup(ecsTarget({ executionRoleArn: undefined, infrastructureRoleArn: undefined }));
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    const exec = `arn:aws:iam::${ACCOUNT}:role/logship-log-analyzer-ecs-exec`;
    const infra = `arn:aws:iam::${ACCOUNT}:role/logship-log-analyzer-ecs-infra`;
    expect(iam.commandCalls(CreateRoleCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ RoleName: "logship-log-analyzer-ecs-exec", AssumeRolePolicyDocument: trustPolicy("ecs-tasks.amazonaws.com") }),
      expect.objectContaining({ RoleName: "logship-log-analyzer-ecs-infra", AssumeRolePolicyDocument: trustPolicy("ecs.amazonaws.com") }),
    ]);
    expect(iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: "logship-log-analyzer-ecs-exec", PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
      { RoleName: "logship-log-analyzer-ecs-infra", PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices" },
    ]);
    expect(iam.commandCalls(PutRolePolicyCommand).map((c) => c.args[0].input)).toEqual([{
      RoleName: "logship-log-analyzer-ecs-exec", PolicyName: "logship-secrets",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] }] }),
    }]);
    const creates = inputs(CreateExpressGatewayServiceCommand);
    expect(creates).toHaveLength(2);
    expect(creates[1]).toMatchObject({ executionRoleArn: exec, infrastructureRoleArn: infra });
  });

  it("reuses roles that exist and does not retry a role error then", async () => {
    fakeEcs(undefined, undefined, undefined, [awsError("InvalidParameterException", "ECS was unable to assume the role")]);
    iam.on(GetRoleCommand).callsFake((input) => ({ Role: { Arn: `arn:aws:iam::${ACCOUNT}:role/${input.RoleName}` } }));
    iam.on(ListAttachedRolePoliciesCommand).callsFake((input) => ({
      AttachedPolicies: [{
        PolicyArn: input.RoleName.endsWith("exec")
          ? "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
          : "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices",
      }],
    }));
    iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: encodeURIComponent(secretsPolicy({ DB_PASSWORD: SECRET })) });
    const { error, results } = await deploy(setup(ecsTarget({ executionRoleArn: undefined, infrastructureRoleArn: undefined })));
    expect(error).toMatchObject({ name: "InvalidParameterException" });
    expect(results.filter((r) => r.id.startsWith("iam.") || r.id === "ecs.secrets-policy").map((r) => [r.id, r.status])).toEqual([
      ["iam.ensure-role", "skipped"], ["ecs.secrets-policy", "skipped"], ["iam.ensure-role", "skipped"],
    ]);
    expect(writes()).toEqual(["CreateExpressGatewayService"]);
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(inputs(CreateExpressGatewayServiceCommand)).toHaveLength(1);
  });

  it("says plainly when the configured cluster does not exist", async () => {
    fakeEcs(undefined, undefined, undefined, [awsError("ClusterNotFoundException", "Cluster not found.")]);
    const { error } = await deploy(setup(ecsTarget({ cluster: "prod" })));
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe("ECS cluster prod does not exist");
    expect((error as DeployError).hint).toContain("aws ecs create-cluster --cluster-name prod");
    expect(inputs(CreateExpressGatewayServiceCommand)).toHaveLength(1);
  });

  it("fails the smoke test when the endpoint never answers 2xx, pointing to the console", async () => {
    fakeEcs(service(NEW));
    const failing = vi.fn(async () => new Response("no", { status: 503 }));
    const { error } = await deploy(setup(), image(), failing);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toContain(`${BASE}${SMOKE} did not answer 2xx`);
    expect((error as DeployError).hint).toContain("ECS console");
    expect(failing.mock.calls.length).toBeGreaterThan(1);
  });

  it("does not smoke-test a service that only has a private endpoint", async () => {
    const inside = service(NEW);
    inside.activeConfigurations![0].ingressPaths = [{ accessType: "PRIVATE", endpoint: "internal-demo.elb.amazonaws.com" }];
    fakeEcs(inside);
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
    expect(results.map((r) => r.id)).toEqual(["ecs.preflight", "iam.ensure-role", "ecs.secrets-policy", "iam.ensure-role", "ecs.service", "ecs.smoke-test"]);
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
  it("deletes the service and waits until it is gone", async () => {
    fakeEcs(service(NEW));
    let describes = 0;
    ecsMock.on(DescribeExpressGatewayServiceCommand).callsFake(() => {
      describes++;
      if (describes === 1) return { service: service(NEW) };
      if (describes === 2) return { service: service(NEW, { status: { statusCode: "DRAINING" } }) };
      throw awsError("ResourceNotFoundException", "gone");
    });
    ecsMock.on(DeleteExpressGatewayServiceCommand).resolves({ service: service(NEW, { status: { statusCode: "DRAINING" } }) });
    const ctx = setup();
    const r = await drive(runSteps(ecs.destroySteps(ctx), ctx));
    expect(r.error).toBeUndefined();
    expect(inputs(DeleteExpressGatewayServiceCommand)).toEqual([{ serviceArn: ARN }]);
    expect(names(ecsMock)).toEqual([
      "DescribeServices", "DescribeExpressGatewayService", "DeleteExpressGatewayService",
      "DescribeExpressGatewayService", "DescribeExpressGatewayService",
    ]);
    expect(r.value?.map((s) => s.status)).toEqual(["done"]);
  });

  it("skips when there is no service", async () => {
    fakeEcs(undefined);
    const ctx = setup();
    const r = await drive(runSteps(ecs.destroySteps(ctx), ctx));
    expect(r.value?.map((s) => [s.status, s.detail])).toEqual([["skipped", "no service"]]);
    expect(writes()).toEqual([]);
  });

  it("with --with-roles deletes the roles logship created for this app and leaves others alone", async () => {
    fakeEcs(undefined);
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
    fakeEcs(service(NEW));
    vi.useRealTimers();
    expect(await ecs.status(setup())).toEqual({
      target: "ecs", exists: true, state: "ACTIVE", url: BASE, image: `${REPO}@${NEW}`,
      updatedAt: "2026-11-20T10:00:00.000Z", detail: "service log-analyzer in cluster default",
    });
  });

  it("reads the image to roll back to from the logship:previous-image tag", async () => {
    fakeEcs(service(NEW));
    ecsMock.on(DescribeExpressGatewayServiceCommand, { include: ["TAGS"] })
      .resolves({ service: service(NEW, { tags: [{ key: "logship:app", value: "log-analyzer" }, { key: "logship:previous-image", value: `${REPO}@${OLD}` }] }) });
    vi.useRealTimers();
    expect(await ecs.previousImage!(setup())).toBe(`${REPO}@${OLD}`);
    expect(inputs(DescribeExpressGatewayServiceCommand).at(-1)).toEqual({ serviceArn: ARN, include: ["TAGS"] });
  });

  it("says when there is no service (missing cluster included)", async () => {
    ecsMock.on(DescribeServicesCommand).rejects(awsError("ClusterNotFoundException", "Cluster not found."));
    vi.useRealTimers();
    expect(await ecs.status(setup())).toEqual({ target: "ecs", exists: false, detail: "no ECS Express service log-analyzer in cluster default" });
  });

  it("refuses a service of that name that is not an Express service", async () => {
    ecsMock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: "log-analyzer", serviceArn: ARN, status: "ACTIVE" }] });
    ecsMock.on(DescribeExpressGatewayServiceCommand).rejects(awsError("ResourceNotFoundException", "not an express service"));
    vi.useRealTimers();
    await expect(ecs.status(setup())).rejects.toThrow("exists but is not an Express Mode service");
  });
});

describe("secrets policy for the execution role", () => {
  it.each([
    [SECRET, SECRET],
    [`${SECRET}:password::`, SECRET],
    [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db`, `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-??????`],
    [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/token`, `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/token`],
  ])("grants %s as %s", (valueFrom, resource) => {
    expect(secretResource(valueFrom)).toBe(resource);
  });

  it("grants each service only its own ARNs, once", () => {
    const param = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/token`;
    expect(JSON.parse(secretsPolicy({ A: SECRET, B: `${SECRET}:password::`, C: param }))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] },
        { Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [param] },
      ],
    });
  });

  it("adds no step when the execution role comes from the config or there are no secrets", () => {
    expect(ecsDeploySteps(setup(), image()).map((s) => s.id)).toEqual(["ecs.preflight", "ecs.service", "ecs.smoke-test"]);
    const noSecrets = setup(ecsTarget({ secrets: {}, executionRoleArn: undefined }));
    expect(ecsDeploySteps(noSecrets, image()).map((s) => s.id)).toEqual(["ecs.preflight", "iam.ensure-role", "ecs.service", "ecs.smoke-test"]);
  });
});
