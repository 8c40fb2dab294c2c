// ECS Express roles: created in the caller's partition, retried only while IAM propagates a role this
// run created or changed, and a missing iam:PassRole said at once. The error names and texts are the
// ones Terraform's provider matches (internal/service/ecs/express_gateway_service.go,
// retryExpressGatewayServiceCreate/Update); ECS itself answers from test/helpers/ecs-express-fake.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { CreateExpressGatewayServiceCommand, ECSClient, UpdateExpressGatewayServiceCommand } from "@aws-sdk/client-ecs";
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { DeployError } from "../../src/errors.js";
import { trustPolicy } from "../../src/steps/iam-role.js";
import { awsError, ExpressFake } from "../helpers/ecs-express-fake.js";
import { wireExpress } from "../helpers/ecs-express-wire.js";
import { existingRolesIn, missingRolesIn } from "../helpers/ecs-roles-fake.js";
import { CONFIG, deploy, ecsTarget, inputsOf, progressLines, setup, statusOf, writes } from "../helpers/ecs-run.js";

const ecsMock = mockClient(ECSClient);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
let fake: ExpressFake;
const noRoles = () => setup(ecsTarget({ executionRoleArn: undefined, infrastructureRoleArn: undefined }));
const EXEC_NAME = "logship-log-analyzer-ecs-exec";
const INFRA_NAME = "logship-log-analyzer-ecs-infra";

const missingRoles = (partition?: string, account?: string) => missingRolesIn(iam, partition, account);
const existingRoles = (partition?: string) => existingRolesIn(iam, partition);

beforeEach(() => {
  ecsMock.reset();
  iam.reset();
  sts.reset();
  vi.useFakeTimers();
  vi.setSystemTime(new Date("2026-11-25T09:00:00Z"));
  fake = new ExpressFake();
  wireExpress(ecsMock, fake);
});
afterEach(() => vi.useRealTimers());

describe("ECS roles: propagation and partitions", () => {
  it("creates both roles, then retries the create while ECS cannot assume them yet", async () => {
    missingRoles();
    fake.createErrors.push(
      awsError("AccessDeniedException", `Cannot assume role arn:aws:iam::123456789012:role/${INFRA_NAME}.`),
      awsError("ClientException", "AWS was not able to validate the provided access credentials"),
    );
    const ctx = noRoles();
    const lines = progressLines(ctx);
    const { error } = await deploy(ctx);
    expect(error).toBeUndefined();
    expect(iam.commandCalls(CreateRoleCommand).map((c) => c.args[0].input)).toEqual([
      expect.objectContaining({ RoleName: EXEC_NAME, AssumeRolePolicyDocument: trustPolicy("ecs-tasks.amazonaws.com") }),
      expect.objectContaining({ RoleName: INFRA_NAME, AssumeRolePolicyDocument: trustPolicy("ecs.amazonaws.com") }),
    ]);
    expect(iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([
      { RoleName: EXEC_NAME, PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
      { RoleName: INFRA_NAME, PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices" },
    ]);
    const creates = inputsOf(ecsMock, CreateExpressGatewayServiceCommand);
    expect(creates).toHaveLength(3);
    expect(creates[2]).toMatchObject({ executionRoleArn: `arn:aws:iam::123456789012:role/${EXEC_NAME}`, infrastructureRoleArn: `arn:aws:iam::123456789012:role/${INFRA_NAME}` });
    expect(lines()).toContain("waiting for IAM to make the new roles usable by ECS (retry 1 of 10 in 2s)");
  });

  it("builds the managed policy ARNs in the caller's partition (aws-cn), read from the role CreateRole answers", async () => {
    missingRoles("aws-cn");
    const { error } = await deploy(noRoles());
    expect(error).toBeUndefined();
    // The partition comes from the role's own ARN: no STS call.
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
    expect(iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input.PolicyArn)).toEqual([
      "arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      "arn:aws-cn:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices",
    ]);
  });

  it("a role that already has its arn:aws-us-gov policy is left as it is", async () => {
    existingRoles("aws-us-gov");
    iam.on(ListAttachedRolePoliciesCommand).callsFake((input) => ({
      AttachedPolicies: [{ PolicyArn: `arn:aws-us-gov:iam::aws:policy/service-role/${input.RoleName.endsWith("exec") ? "AmazonECSTaskExecutionRolePolicy" : "AmazonECSInfrastructureRoleforExpressGatewayServices"}` }],
    }));
    const { error, results } = await deploy(noRoles());
    expect(error).toBeUndefined();
    expect(results.filter((r) => r.id.startsWith("iam.ensure-role")).map((r) => [r.id, r.status])).toEqual([
      ["iam.ensure-role-ecs-exec", "skipped"], ["iam.ensure-role-ecs-infra", "skipped"],
    ]);
    expect(iam.commandCalls(AttachRolePolicyCommand)).toHaveLength(0);
  });

  it("retries the update too, while a policy just attached to an existing role propagates", async () => {
    existingRoles();
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] }); // the managed policy was missing
    iam.on(AttachRolePolicyCommand).resolves({});
    fake.seed({ infrastructureRoleArn: "arn:aws:iam::123456789012:role/logship-log-analyzer-ecs-infra", ...CONFIG("sha256:" + "b".repeat(64), `arn:aws:iam::123456789012:role/${EXEC_NAME}`) });
    ecsMock.resetHistory();
    fake.updateErrors.push(awsError("AccessDeniedException", `User: arn:aws:sts::123456789012:assumed-role/ecs/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/${EXEC_NAME}`));
    const { error } = await deploy(noRoles());
    expect(error).toBeUndefined();
    expect(iam.commandCalls(CreateRoleCommand)).toHaveLength(0);
    expect(inputsOf(ecsMock, UpdateExpressGatewayServiceCommand)).toHaveLength(2);
  });

  it("does not retry when no role changed: a role ECS cannot assume then has a wrong trust policy", async () => {
    existingRoles();
    fake.createErrors.push(awsError("AccessDeniedException", `Cannot assume role arn:aws:iam::123456789012:role/${INFRA_NAME}.`));
    const { error, results } = await deploy(noRoles());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(`ECS cannot use the service's roles: Cannot assume role arn:aws:iam::123456789012:role/${INFRA_NAME}.`);
    expect((error as DeployError).hint).toContain("trusts ecs.amazonaws.com");
    expect(statusOf(results, "ecs.secrets-policy")?.status).toBe("skipped");
    expect(writes(ecsMock, iam)).toEqual(["CreateExpressGatewayService"]);
  });

  it("fails at once, naming iam:PassRole, when the deploying identity may not pass a role it just created", async () => {
    missingRoles();
    const denied = `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/${INFRA_NAME}`;
    fake.createErrors.push(awsError("AccessDeniedException", denied), awsError("AccessDeniedException", denied));
    const started = Date.now();
    const { error } = await deploy(noRoles());
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(`ECS refused the role arn:aws:iam::123456789012:role/${INFRA_NAME}: the AWS identity running logship lacks iam:PassRole on it`);
    expect((error as DeployError).hint).toContain(`allow iam:PassRole on arn:aws:iam::123456789012:role/${INFRA_NAME}`);
    expect(inputsOf(ecsMock, CreateExpressGatewayServiceCommand)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
