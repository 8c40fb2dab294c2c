// App Runner as its API reference documents it: a CREATE_FAILED service is rebuilt with UpdateService
// (API_ServiceSummary.html), an operation is found by its start time when the OperationId is missing
// (apprunner-roadmap#139) even with a skewed clock, and the access role's policy ARN is built in the
// caller's partition. ListOperations answers newest first ("sorted in reverse chronological order",
// API_ListOperations.html); a service in the middle of an operation is OPERATION_IN_PROGRESS.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  AppRunnerClient, CreateServiceCommand, DeleteServiceCommand, DescribeServiceCommand, ListOperationsCommand, ListServicesCommand,
  TagResourceCommand, UpdateServiceCommand, type OperationSummary, type Service,
} from "@aws-sdk/client-apprunner";
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { runSteps, type PipelineError } from "../../src/pipeline.js";
import { apprunnerDeploySteps } from "../../src/targets/apprunner/index.js";
import { AwsClients } from "../../src/aws/clients.js";
import { DeployError } from "../../src/errors.js";
import type { Context, ImageState } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";

const ar = mockClient(AppRunnerClient);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/log-analyzer";
const NEW = "sha256:" + "a".repeat(64);
const ARN = "arn:aws:apprunner:us-east-1:123456789012:service/log-analyzer-v1/svc123";
const ROLE = "arn:aws:iam::123456789012:role/my-access-role";
const T0 = new Date("2026-11-25T09:00:00Z");
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });

function setup(target: Record<string, unknown> = {}, over: Partial<Context> = {}) {
  const aws = new AwsClients({ region: "us-east-1", regionSource: "flag", env: {} });
  return testContext({
    app: "log-analyzer", smoke: { path: "/", timeout: "10s" },
    targets: { apprunner: { service: "log-analyzer-v1", port: 80, accessRoleArn: ROLE, ...target } },
  }, { aws, ...over }).ctx;
}

const image = (): ImageState => ({
  spec: {
    key: "app", name: "log-analyzer", dockerfile: "Dockerfile", context: ".", platform: "linux/amd64", buildArgs: {}, labels: {}, tagSuffix: "",
    targets: ["apprunner"], registry: { type: "ecr", repository: "log-analyzer", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 },
  },
  tag: "0.0.1", localRefs: ["log-analyzer:0.0.1"], architecture: "amd64", remote: { repository: REPO, tag: "0.0.1", digest: NEW },
});

/** A service as DescribeService reports it (sizes as App Runner writes them back: "1024", "2048"). */
const service = (Status: Service["Status"], digest = NEW, role = ROLE): Service => ({
  ServiceName: "log-analyzer-v1", ServiceId: "svc123", ServiceArn: ARN, ServiceUrl: "xyz.us-east-1.awsapprunner.com", Status,
  CreatedAt: new Date("2026-11-01T10:00:00Z"), UpdatedAt: new Date("2026-11-20T10:00:00Z"),
  SourceConfiguration: {
    ImageRepository: { ImageIdentifier: `${REPO}@${digest}`, ImageRepositoryType: "ECR", ImageConfiguration: { Port: "80", RuntimeEnvironmentVariables: {}, RuntimeEnvironmentSecrets: {} } },
    AutoDeploymentsEnabled: false, AuthenticationConfiguration: { AccessRoleArn: role },
  },
  InstanceConfiguration: { Cpu: "1024", Memory: "2048" },
  HealthCheckConfiguration: { Protocol: "TCP", Path: "/", Interval: 5, Timeout: 2, HealthyThreshold: 1, UnhealthyThreshold: 5 },
  // The defaults App Runner fills in when none were given (API_Service.html, API_NetworkConfiguration.html).
  AutoScalingConfigurationSummary: {
    AutoScalingConfigurationArn: "arn:aws:apprunner:us-east-1:123456789012:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001",
    AutoScalingConfigurationName: "DefaultConfiguration", AutoScalingConfigurationRevision: 1,
  },
  NetworkConfiguration: { EgressConfiguration: { EgressType: "DEFAULT" }, IngressConfiguration: { IsPubliclyAccessible: true }, IpAddressType: "IPV4" },
});

async function deploy(ctx: Context) {
  let out: { value?: unknown; error?: unknown } | undefined;
  runSteps(apprunnerDeploySteps(ctx, image(), { fetch: (async () => new Response("ok")) as typeof fetch }), ctx)
    .then((value) => (out = { value }), (error) => (out = { error }));
  for (let i = 0; !out && i < 2000; i++) await vi.advanceTimersByTimeAsync(1000);
  return { error: (out!.error as PipelineError | undefined)?.cause, results: (out!.value ?? (out!.error as PipelineError)?.results) as { id: string; detail?: string }[] };
}

const lines = (ctx: Context) => {
  const spy = vi.spyOn(ctx.reporter, "progress");
  return () => spy.mock.calls.map((c) => String(c[1]));
};

beforeEach(() => {
  ar.reset();
  iam.reset();
  sts.reset();
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [{ ServiceName: "log-analyzer-v1", ServiceArn: ARN, ServiceId: "svc123", Status: "CREATE_FAILED" }] });
});
afterEach(() => vi.useRealTimers());

/** The service moves: OPERATION_IN_PROGRESS while the operation runs, then what it ends as. */
function operation(type: OperationSummary["Type"], ends: "SUCCEEDED" | "FAILED", id = "op-7") {
  let started: Date | undefined;
  ar.on(UpdateServiceCommand).callsFake(() => {
    started = new Date();
    return { Service: service("OPERATION_IN_PROGRESS"), OperationId: id };
  });
  ar.on(ListOperationsCommand).callsFake(() => {
    const done = started && Date.now() - started.getTime() >= 40_000;
    const ours = started ? [{ Id: id, Type: type, Status: done ? ends : "IN_PROGRESS", StartedAt: started, ...(done ? { EndedAt: new Date() } : {}) }] : [];
    return { OperationSummaryList: [...ours, { Id: "op-1", Type: "CREATE_SERVICE", Status: "FAILED", StartedAt: new Date("2026-11-01T10:00:00Z"), EndedAt: new Date("2026-11-01T10:20:00Z") }] };
  });
  ar.on(DescribeServiceCommand).callsFake(() => ({
    Service: !started ? service("CREATE_FAILED") : Date.now() - started.getTime() < 40_000 ? service("OPERATION_IN_PROGRESS") : service(ends === "SUCCEEDED" ? "RUNNING" : "CREATE_FAILED"),
  }));
}

describe("App Runner: a CREATE_FAILED service", () => {
  it("is rebuilt with UpdateService carrying the whole configuration, before any --recreate", async () => {
    operation("UPDATE_SERVICE", "SUCCEEDED");
    const ctx = setup();
    const shown = lines(ctx);
    const { error, results } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(ar.commandCalls(DeleteServiceCommand)).toHaveLength(0);
    expect(ar.commandCalls(CreateServiceCommand)).toHaveLength(0);
    expect(ar.commandCalls(TagResourceCommand).map((c) => c.args[0].input)).toEqual([{ ResourceArn: ARN, Tags: [{ Key: "logship:image", Value: NEW }] }]);
    const input = ar.commandCalls(UpdateServiceCommand)[0].args[0].input;
    expect(Object.keys(input)).toEqual(["ServiceArn", "SourceConfiguration", "InstanceConfiguration"]);
    expect(input.SourceConfiguration?.ImageRepository?.ImageIdentifier).toBe(`${REPO}@${NEW}`);
    expect(results.find((r) => r.id === "apprunner.service")?.detail).toBe(`rebuilt the failed service https://xyz.us-east-1.awsapprunner.com (aaaaaaaaaaaa)`);
    expect(shown()).toContain("waiting for App Runner to deploy log-analyzer-v1: IN_PROGRESS (0s)");
  });

  it("points to --recreate when App Runner refuses the update", async () => {
    ar.on(DescribeServiceCommand).resolves({ Service: service("CREATE_FAILED") });
    // The SDK model's text for InvalidStateException.
    ar.on(UpdateServiceCommand).rejects(awsError("InvalidStateException", "You can't perform this action when the resource is in its current state."));
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(
      "App Runner refused to rebuild the CREATE_FAILED service log-analyzer-v1: You can't perform this action when the resource is in its current state.",
    );
    expect((error as DeployError).hint).toContain("logship deploy apprunner --recreate");
  });

  it("fails, with the logs to read, when the rebuild fails too", async () => {
    operation("UPDATE_SERVICE", "FAILED");
    const { error } = await deploy(setup());
    expect((error as DeployError).message).toBe("deploying to App Runner service log-analyzer-v1 failed (operation FAILED)");
    expect((error as DeployError).hint).toContain("/aws/apprunner/log-analyzer-v1/svc123/application");
  });
});

describe("App Runner: the operation found by start time", () => {
  it("allows a local clock up to a minute ahead of AWS's, and skips an operation that ended before the call", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [{ ServiceName: "log-analyzer-v1", ServiceArn: ARN, Status: "RUNNING" }] });
    ar.on(DescribeServiceCommand).resolvesOnce({ Service: service("RUNNING", "sha256:" + "b".repeat(64)) }).resolves({ Service: service("RUNNING") });
    ar.on(UpdateServiceCommand).resolves({ Service: service("OPERATION_IN_PROGRESS") }); // no OperationId (apprunner-roadmap#139)
    ar.on(TagResourceCommand).resolves({});
    // AWS's clock is 40 s behind ours: our operation "started" before our call, by our clock.
    const awsNow = () => new Date(Date.now() - 40_000);
    const startedAt = awsNow();
    ar.on(ListOperationsCommand).callsFake(() => ({
      OperationSummaryList: [
        { Id: "ours", Type: "UPDATE_SERVICE", Status: "SUCCEEDED", StartedAt: startedAt, EndedAt: awsNow() },
        { Id: "earlier", Type: "UPDATE_SERVICE", Status: "FAILED", StartedAt: new Date(T0.getTime() - 50_000), EndedAt: new Date(T0.getTime() - 45_000) },
      ],
    }));
    const started = Date.now();
    const { error } = await deploy(setup());
    expect(error).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe("App Runner: the access role in the caller's partition", () => {
  it("attaches arn:aws-us-gov:…AWSAppRunnerServicePolicyForECRAccess in GovCloud", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws-us-gov:iam::123456789012:user/ci" });
    iam.on(GetRoleCommand).rejects(awsError("NoSuchEntityException", "The role with name logship-log-analyzer-apprunner-ecr-access cannot be found."));
    iam.on(CreateRoleCommand).callsFake((i) => ({ Role: { Arn: `arn:aws-us-gov:iam::123456789012:role/${i.RoleName}` } }));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    iam.on(AttachRolePolicyCommand).resolves({});
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    ar.on(CreateServiceCommand).resolves({ Service: service("OPERATION_IN_PROGRESS"), OperationId: "op-1" });
    ar.on(ListOperationsCommand).resolves({ OperationSummaryList: [{ Id: "op-1", Type: "CREATE_SERVICE", Status: "SUCCEEDED", StartedAt: T0 }] });
    ar.on(DescribeServiceCommand).resolves({ Service: service("RUNNING", NEW, "arn:aws-us-gov:iam::123456789012:role/logship-log-analyzer-apprunner-ecr-access") });
    const { error } = await deploy(setup({ accessRoleArn: undefined }));
    expect(error).toBeUndefined();
    expect(iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([{
      RoleName: "logship-log-analyzer-apprunner-ecr-access", PolicyArn: "arn:aws-us-gov:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess",
    }]);
  });
});
