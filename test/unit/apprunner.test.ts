// The App Runner target against aws-sdk-client-mock, with fake timers for every wait.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  AppRunnerClient, CreateServiceCommand, DeleteServiceCommand, DescribeServiceCommand, ListOperationsCommand,
  ListServicesCommand, TagResourceCommand, UpdateServiceCommand, type Service,
} from "@aws-sdk/client-apprunner";
import {
  AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DetachRolePolicyCommand, GetRoleCommand, IAMClient,
  ListAttachedRolePoliciesCommand, ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { runSteps, type PipelineError, type StepResult } from "../../src/pipeline.js";
import { apprunner, apprunnerDeploySteps, apprunnerDestroySteps } from "../../src/targets/apprunner/index.js";
import { isAccountClosed } from "../../src/aws/apprunner.js";
import { units } from "../../src/targets/apprunner/spec.js";
import { DeployError, InterruptedError } from "../../src/errors.js";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { iamRole } from "../helpers/iam-role.js";
import {
  REPO, OLD, NEW, ARN, ROLE, SECRET, HOST, appRunnerTarget, setup, image, SOURCE, service, listed, op, awsError, okFetch, drive, deploy,
} from "../helpers/apprunner-run.js";

const ar = mockClient(AppRunnerClient);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

const names = (client: typeof ar | typeof iam) => client.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));
const WRITES = ["CreateService", "UpdateService", "TagResource", "DeleteService", "CreateRole", "AttachRolePolicy"];
const writes = () => [...names(ar), ...names(iam)].filter((n) => WRITES.includes(n));
const statusOf = (results: StepResult[], id: string) => results.find((r) => r.id === id);

beforeEach(() => {
  ar.reset();
  iam.reset();
  sts.reset();
  // The partition of managed policy ARNs comes from the caller (src/aws/partition.ts).
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/ci" });
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe("deploy apprunner", () => {
  it("creates a missing service by digest, waits for the operation, smoke-tests the URL", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    ar.on(CreateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }, NEW), OperationId: "op-1" });
    ar.on(ListOperationsCommand)
      .resolvesOnce(op("op-1", "IN_PROGRESS", "CREATE_SERVICE"))
      .resolves(op("op-1", "SUCCEEDED", "CREATE_SERVICE"));
    ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
    const ctx = setup();
    const { error, results, fetchImpl } = await deploy(ctx);

    expect(error).toBeUndefined();
    expect(ar.commandCalls(CreateServiceCommand)[0].args[0].input).toEqual({
      ServiceName: "log-analyzer-v1",
      SourceConfiguration: SOURCE(NEW),
      InstanceConfiguration: { Cpu: "1024", Memory: "2048" },
      Tags: [{ Key: "logship:app", Value: "log-analyzer" }, { Key: "logship:image", Value: NEW }],
    });
    expect(ar.commandCalls(ListOperationsCommand)[0].args[0].input).toEqual({ ServiceArn: ARN, NextToken: undefined });
    expect(writes()).toEqual(["CreateService"]);
    expect(ctx.targets.apprunner?.url).toBe(`https://${HOST}`);
    expect(fetchImpl.mock.calls[0][0]).toBe(`https://${HOST}/logs?start_time=2021-04-23T10:00:00`);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["apprunner.preflight", "done"], ["apprunner.service", "done"], ["apprunner.smoke-test", "done"],
    ]);
  });

  it("passes start command, instance role and health check through", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    ar.on(CreateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }, NEW), OperationId: "op-1" });
    ar.on(ListOperationsCommand).resolves(op("op-1", "SUCCEEDED", "CREATE_SERVICE"));
    ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
    const instanceRole = "arn:aws:iam::123456789012:role/app-instance";
    const ctx = setup(appRunnerTarget({
      cpu: 2048, memory: 4096, startCommand: "uvicorn app:app", instanceRoleArn: instanceRole,
      healthCheck: { protocol: "HTTP", path: "/health" },
    }));
    expect((await deploy(ctx)).error).toBeUndefined();
    const input = ar.commandCalls(CreateServiceCommand)[0].args[0].input;
    expect(input.SourceConfiguration?.ImageRepository?.ImageConfiguration?.StartCommand).toBe("uvicorn app:app");
    expect(input.InstanceConfiguration).toEqual({ Cpu: "2048", Memory: "4096", InstanceRoleArn: instanceRole });
    expect(input.HealthCheckConfiguration).toEqual({
      Protocol: "HTTP", Path: "/health", Interval: 5, Timeout: 2, HealthyThreshold: 1, UnhealthyThreshold: 5,
    });
  });

  it("updates a service running another image, and tags the previous image", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolvesOnce({ Service: service() }).resolves({ Service: service({}, NEW) });
    ar.on(UpdateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }), OperationId: "op-2" });
    ar.on(ListOperationsCommand).resolves(op("op-2", "SUCCEEDED"));
    const ctx = setup();
    const { error, results } = await deploy(ctx);

    expect(error).toBeUndefined();
    expect(writes()).toEqual(["TagResource", "UpdateService"]);
    expect(ar.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
      ResourceArn: ARN,
      Tags: [{ Key: "logship:previous-image", Value: `${REPO}@${OLD}` }, { Key: "logship:image", Value: NEW }],
    });
    // Only the source changed: instance and health check are left out.
    expect(ar.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({ ServiceArn: ARN, SourceConfiguration: SOURCE(NEW) });
    expect(statusOf(results, "apprunner.service")?.detail).toMatch(/^updated https:\/\/xyz/);
  });

  it("sends InstanceConfiguration when only cpu/memory changed, without retagging", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service({ InstanceConfiguration: { Cpu: "1 vCPU", Memory: "3 GB" } }, NEW) });
    ar.on(UpdateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }), OperationId: "op-3" });
    ar.on(ListOperationsCommand).resolves(op("op-3", "SUCCEEDED"));
    expect((await deploy(setup())).error).toBeUndefined();
    expect(writes()).toEqual(["UpdateService"]);
    expect(ar.commandCalls(UpdateServiceCommand)[0].args[0].input).toEqual({
      ServiceArn: ARN, SourceConfiguration: SOURCE(NEW), InstanceConfiguration: { Cpu: "1024", Memory: "2048" },
    });
  });

  it("writes nothing when the service already runs this digest with this configuration", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    // Describe answers sizes in either form; "1 vCPU" / "2 GB" equal 1024 / 2048.
    ar.on(DescribeServiceCommand).resolves({ Service: service({ InstanceConfiguration: { Cpu: "1 vCPU", Memory: "2 GB" } }, NEW) });
    const ctx = setup();
    const { error, results } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(writes()).toEqual([]);
    expect(names(ar)).toEqual(["ListServices", "DescribeService"]);
    expect(statusOf(results, "apprunner.service")).toMatchObject({ status: "skipped", detail: expect.stringMatching(/^up to date/) });
    expect(ctx.targets.apprunner?.url).toBe(`https://${HOST}`);
  });

  it("pages through ListServices to find the service", async () => {
    ar.on(ListServicesCommand)
      .resolvesOnce({ ServiceSummaryList: [{ ServiceName: "other", ServiceArn: "arn:other", Status: "RUNNING" }], NextToken: "page-2" })
      .resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
    expect((await deploy(setup())).error).toBeUndefined();
    expect(ar.commandCalls(ListServicesCommand).map((c) => c.args[0].input)).toEqual([
      { NextToken: undefined, MaxResults: 20 }, { NextToken: "page-2", MaxResults: 20 },
    ]);
    expect(ar.commandCalls(DescribeServiceCommand)[0].args[0].input).toEqual({ ServiceArn: ARN });
    expect(writes()).toEqual([]);
  });

  it("waits while the service is busy, then updates", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand)
      .resolvesOnce({ Service: service({ Status: "OPERATION_IN_PROGRESS" }) })
      .resolvesOnce({ Service: service({ Status: "OPERATION_IN_PROGRESS" }) })
      .resolvesOnce({ Service: service() })
      .resolves({ Service: service({}, NEW) });
    ar.on(UpdateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }), OperationId: "op-2" });
    ar.on(ListOperationsCommand).resolves(op("op-2", "SUCCEEDED"));
    expect((await deploy(setup())).error).toBeUndefined();
    expect(names(ar)).toEqual([
      "ListServices", "DescribeService", "DescribeService", "DescribeService",
      "TagResource", "UpdateService", "ListOperations", "DescribeService",
    ]);
  });

  it("stops waiting on Ctrl-C with InterruptedError", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }) });
    const abort = new AbortController();
    const ctx = setup(appRunnerTarget(), { signal: abort.signal });
    let settled: unknown;
    runSteps(apprunnerDeploySteps(ctx, image()), ctx).catch((e: PipelineError) => (settled = e.cause));
    await vi.advanceTimersByTimeAsync(12_000);
    expect(settled).toBeUndefined();
    abort.abort();
    await vi.advanceTimersByTimeAsync(0); // no more waiting: the sleep ends on the abort itself
    expect(settled).toBeInstanceOf(InterruptedError);
    expect(ar.commandCalls(DescribeServiceCommand).length).toBeLessThan(5);
    expect(writes()).toEqual([]);
  });

  it("finds the operation by type and start time when UpdateService returns no OperationId", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolvesOnce({ Service: service() }).resolves({ Service: service({}, NEW) });
    ar.on(UpdateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }) } as never);
    const later = new Date(Date.now() + 60_000);
    ar.on(ListOperationsCommand).resolves({
      OperationSummaryList: [
        { Id: "ours", Type: "UPDATE_SERVICE", Status: "SUCCEEDED", StartedAt: later },
        { Id: "old", Type: "UPDATE_SERVICE", Status: "FAILED", StartedAt: new Date("2026-01-01T00:00:00Z") },
      ],
    });
    expect((await deploy(setup())).error).toBeUndefined();
  });

  it("gives up on a service that stays busy, with a DeployError", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }) });
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toMatch(/still OPERATION_IN_PROGRESS after \d+ min/);
    expect(writes()).toEqual([]);
  });

  it("fails when the operation FAILED", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service() });
    ar.on(UpdateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }), OperationId: "op-2" });
    ar.on(ListOperationsCommand).resolvesOnce(op("op-2", "IN_PROGRESS")).resolves(op("op-2", "FAILED"));
    const { error, fetchImpl } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe("deploying to App Runner service log-analyzer-v1 failed (operation FAILED)");
    expect((error as DeployError).hint).toContain("/aws/apprunner/log-analyzer-v1/svc123/application");
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it("treats an automatic rollback as a failed deploy, though the service is RUNNING again", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service() });
    ar.on(UpdateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }), OperationId: "op-2" });
    ar.on(ListOperationsCommand)
      .resolvesOnce(op("op-2", "ROLLBACK_IN_PROGRESS"))
      .resolves(op("op-2", "ROLLBACK_SUCCEEDED"));
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).exitCode).toBe(1);
    expect((error as DeployError).message).toMatch(/rolled back to the previous version/);
    expect((error as DeployError).hint).toMatch(/App Runner console .*CloudWatch log group \/aws\/apprunner\/log-analyzer-v1\/svc123\/application/);
  });

  it("deletes and re-creates a CREATE_FAILED service with --recreate", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand)
      .resolvesOnce({ Service: service({ Status: "CREATE_FAILED" }) })
      .resolvesOnce({ Service: service({ Status: "OPERATION_IN_PROGRESS" }) })
      .resolvesOnce({ Service: service({ Status: "DELETED" }) })
      .resolves({ Service: service({}, NEW) });
    ar.on(DeleteServiceCommand).resolves({ OperationId: "op-del" });
    ar.on(CreateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }, NEW), OperationId: "op-new" });
    ar.on(ListOperationsCommand).resolves(op("op-new", "SUCCEEDED", "CREATE_SERVICE"));
    const ctx = setup();
    ctx.options.recreate = true;
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(writes()).toEqual(["DeleteService", "CreateService"]);
    expect(ar.commandCalls(DeleteServiceCommand)[0].args[0].input).toEqual({ ServiceArn: ARN });
    expect(ar.commandCalls(CreateServiceCommand)[0].args[0].input.SourceConfiguration).toEqual(SOURCE(NEW));
  });

  it("refuses a PAUSED service, writing nothing", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service({ Status: "PAUSED" }, NEW) });
    const { error } = await deploy(setup());
    expect((error as DeployError).message).toBe("App Runner service log-analyzer-v1 is PAUSED and serves nothing");
    expect((error as DeployError).hint).toContain(`resume-service --service-arn ${ARN}`);
    expect(writes()).toEqual([]);
  });

  it.each([["1024", 1024], ["1 vCPU", 1024], ["0.25 vCPU", 256], ["2 GB", 2048], ["0.5 GB", 512], [undefined, undefined]])(
    "units(%s) = %s", (v, n) => expect(units(v)).toBe(n),
  );

  it("refuses an arm64 image before any AWS call", async () => {
    const ctx = setup(appRunnerTarget({ accessRoleArn: undefined }));
    const { error } = await deploy(ctx, image({ architecture: "arm64" }));
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toMatch(/linux\/amd64 images only.*linux\/arm64/);
    expect((error as DeployError).hint).toContain("--platform linux/amd64");
    expect(ar.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });

  it("points a closed account to `logship deploy ecs`", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    ar.on(CreateServiceCommand).rejects(awsError("SubscriptionRequiredException", "The AWS Access Key Id needs a subscription for the service"));
    const { error } = await deploy(setup());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toContain("`logship deploy ecs`");
    expect((error as DeployError).message.split("\n")).toHaveLength(1);
  });

  it.each([
    ["SubscriptionRequiredException", "needs a subscription", true],
    ["AccessDeniedException", "App Runner is no longer open to new customers", true],
    ["InvalidRequestException", "Your account is not subscribed; opt-in required", true],
    ["AccessDeniedException", "User x is not authorized to perform: apprunner:CreateService", false],
    ["InvalidRequestException", "Error in assuming access role arn:aws:iam::1:role/r", false],
    ["InvalidRequestException", "Service with the provided name already exists: x", false],
  ])("isAccountClosed(%s: %s) = %s", (name, message, closed) => {
    expect(isAccountClosed(awsError(name, message))).toBe(closed);
  });

  it("reuses an existing access role", async () => {
    iam.on(GetRoleCommand).resolves({ Role: iamRole("arn:aws:iam::123456789012:role/logship-log-analyzer-apprunner-ecr-access", "build.apprunner.amazonaws.com") });
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: [{ PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess" }],
    });
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    ar.on(CreateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }, NEW), OperationId: "op-1" });
    ar.on(ListOperationsCommand).resolves(op("op-1", "SUCCEEDED", "CREATE_SERVICE"));
    ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
    const { error, results } = await deploy(setup(appRunnerTarget({ accessRoleArn: undefined })));
    expect(error).toBeUndefined();
    expect(iam.commandCalls(GetRoleCommand)[0].args[0].input).toEqual({ RoleName: "logship-log-analyzer-apprunner-ecr-access" });
    expect(statusOf(results, "iam.ensure-role")?.status).toBe("skipped");
    expect(writes()).toEqual(["CreateService"]);
    expect(ar.commandCalls(CreateServiceCommand)[0].args[0].input.SourceConfiguration?.AuthenticationConfiguration)
      .toEqual({ AccessRoleArn: "arn:aws:iam::123456789012:role/logship-log-analyzer-apprunner-ecr-access" });
  });

  it("creates the access role, and retries CreateService while the new role propagates", async () => {
    const roleArn = "arn:aws:iam::123456789012:role/logship-log-analyzer-apprunner-ecr-access";
    iam.on(GetRoleCommand).rejects(awsError("NoSuchEntityException", "not found"));
    iam.on(CreateRoleCommand).resolves({ Role: { Arn: roleArn } as never });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    ar.on(CreateServiceCommand)
      .rejectsOnce(awsError("InvalidRequestException", `Error in assuming access role ${roleArn}`))
      .resolves({ Service: service({}, NEW), OperationId: "op-1" });
    ar.on(ListOperationsCommand).resolves(op("op-1", "SUCCEEDED", "CREATE_SERVICE"));
    ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
    const ctx = setup(appRunnerTarget({ accessRoleArn: undefined }));
    const progress = vi.spyOn(ctx.reporter, "progress");
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(progress.mock.calls.map((c) => c[1])).toContain("waiting for IAM to make the new access role usable by App Runner (retry 1 of 7 in 2s)");
    const trust = JSON.parse(iam.commandCalls(CreateRoleCommand)[0].args[0].input.AssumeRolePolicyDocument!);
    expect(trust.Statement[0].Principal).toEqual({ Service: "build.apprunner.amazonaws.com" });
    expect(iam.commandCalls(AttachRolePolicyCommand)[0].args[0].input).toEqual({
      RoleName: "logship-log-analyzer-apprunner-ecr-access",
      PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess",
    });
    expect(ar.commandCalls(CreateServiceCommand)).toHaveLength(2);
    expect(ar.commandCalls(CreateServiceCommand)[1].args[0].input.SourceConfiguration?.AuthenticationConfiguration)
      .toEqual({ AccessRoleArn: roleArn });
  });

  it("fails the smoke test when the URL never answers 2xx", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
    const fetch503 = vi.fn(async () => new Response("no", { status: 503 }));
    const { error, results } = await deploy(setup(), image(), fetch503 as never);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toMatch(/did not answer 2xx within 10s \(last: HTTP 503\)/);
    expect((error as DeployError).hint).toContain("/aws/apprunner/log-analyzer-v1/svc123/application");
    expect(statusOf(results, "apprunner.smoke-test")?.status).toBe("failed");
    expect(fetch503.mock.calls.length).toBeGreaterThan(1);
  });

  it("describes every call for --dry-run without calling AWS", async () => {
    const ctx = setup(appRunnerTarget({ accessRoleArn: undefined }));
    ctx.dryRun = true;
    const results = await runSteps(apprunnerDeploySteps(ctx, image({ remote: undefined, repositoryUri: REPO })), ctx);
    expect(ar.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
    const actions = results.flatMap((r) => r.actions ?? []);
    const create = actions.find((a) => a.command === "AppRunner.CreateService")!;
    expect(create.input).toMatchObject({
      ServiceName: "log-analyzer-v1",
      SourceConfiguration: {
        ImageRepository: { ImageIdentifier: `${REPO}@<digest of the pushed image>` },
        AuthenticationConfiguration: { AccessRoleArn: "<ARN of role logship-log-analyzer-apprunner-ecr-access>" },
      },
    });
    expect(actions.map((a) => a.command)).toContain("AppRunner.UpdateService");
    expect(JSON.stringify(actions)).toContain(SECRET); // only ARN references, never values
  });
});

describe("destroy apprunner", () => {
  it("deletes the service and waits until it is gone; with --with-roles the role logship created", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand)
      .resolvesOnce({ Service: service() })
      .resolvesOnce({ Service: service({ Status: "OPERATION_IN_PROGRESS" }) })
      .rejects(awsError("ResourceNotFoundException", "gone"));
    ar.on(DeleteServiceCommand).resolves({ OperationId: "op-del" });
    iam.on(GetRoleCommand).resolves({ Role: { Arn: "arn:r", Tags: [{ Key: "logship:app", Value: "log-analyzer" }] } as never });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: "arn:policy" }] });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    const ctx = setup(appRunnerTarget({ accessRoleArn: undefined }));
    ctx.options.withRoles = true;
    const r = await drive(runSteps(apprunnerDestroySteps(ctx), ctx));
    expect(r.error).toBeUndefined();
    expect(ar.commandCalls(DeleteServiceCommand).map((c) => c.args[0].input)).toEqual([{ ServiceArn: ARN }]);
    expect(ar.commandCalls(DescribeServiceCommand)).toHaveLength(3);
    expect(iam.commandCalls(DetachRolePolicyCommand)[0].args[0].input)
      .toEqual({ RoleName: "logship-log-analyzer-apprunner-ecr-access", PolicyArn: "arn:policy" });
    expect(iam.commandCalls(DeleteRoleCommand)[0].args[0].input).toEqual({ RoleName: "logship-log-analyzer-apprunner-ecr-access" });
  });

  it("skips a missing service, and leaves a role not tagged for this app", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    iam.on(GetRoleCommand).resolves({ Role: { Arn: "arn:r", Tags: [{ Key: "logship:app", Value: "another-app" }] } as never });
    const ctx = setup(appRunnerTarget({ accessRoleArn: undefined }));
    ctx.options.withRoles = true;
    const results = (await drive(runSteps(apprunnerDestroySteps(ctx), ctx))).value!;
    expect(results.map((r) => [r.status, r.detail])).toEqual([
      ["skipped", "no service"],
      ["skipped", "role logship-log-analyzer-apprunner-ecr-access was not created by logship for log-analyzer: left alone"],
    ]);
    expect(ar.commandCalls(DeleteServiceCommand)).toHaveLength(0);
    expect(iam.commandCalls(DeleteRoleCommand)).toHaveLength(0);
  });

  it("leaves roles alone without --with-roles", () => {
    expect(apprunnerDestroySteps(setup()).map((s) => s.id)).toEqual(["apprunner.delete-service"]);
  });
});

describe("status apprunner", () => {
  it("reads the service back from AWS", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
    expect(await apprunner.status(setup())).toEqual({
      target: "apprunner", exists: true, state: "RUNNING", url: `https://${HOST}`,
      image: `${REPO}@${NEW}`, updatedAt: "2026-11-20T10:00:00.000Z", detail: "service log-analyzer-v1",
    });
  });

  it("says when there is no service", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    expect(await apprunner.status(setup())).toEqual({ target: "apprunner", exists: false, detail: "no App Runner service log-analyzer-v1" });
  });
});
