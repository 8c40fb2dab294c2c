// The role step every AWS target shares (src/steps/managed-role.ts), against IAM as its API reference
// answers: GetRole's Role with the trust policy URL-encoded (API_Role.html), NoSuchEntityException
// "The role with name X cannot be found." (API_GetRole.html), List* pages with IsTruncated / Marker
// (API_ListAttachedRolePolicies.html, API_ListRolePolicies.html), CreateRole answering the new Role.
import { beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, GetRoleCommand,
  IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { DeployError } from "../../src/errors.js";
import { runSteps } from "../../src/pipeline.js";
import { deleteRoleStep, type RoleResult } from "../../src/steps/iam-role.js";
import { ensureManagedRoleStep } from "../../src/steps/managed-role.js";
import { lambdaTarget } from "../../src/targets/lambda/index.js";
import { awsError } from "../helpers/ecs-express-fake.js";
import { iamRole } from "../helpers/iam-role.js";
import { testContext } from "../helpers/context.js";

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const NAME = "logship-demo-lambda-exec";
const BASIC = "service-role/AWSLambdaBasicExecutionRole";
const arnIn = (partition: string) => `arn:${partition}:iam::123456789012:role/${NAME}`;
const policyIn = (partition: string) => `arn:${partition}:iam::aws:policy/${BASIC}`;

const ctx = () => testContext({ app: "demo", targets: { lambda: { function: "demo-fn" } } }).ctx;
const spec = { name: NAME, principal: "lambda.amazonaws.com", managedPolicies: [BASIC], group: "lambda", description: "Lambda execution role" };
const writes = () => iam.calls().map((c) => c.args[0].constructor.name.replace(/Command$/, ""))
  .filter((n) => !/^(Get|List)/.test(n));

async function ensure(): Promise<{ result?: RoleResult; error?: unknown; status?: string }> {
  let result: RoleResult | undefined;
  try {
    const [r] = await runSteps([ensureManagedRoleStep(spec, (x) => (result = x))], ctx());
    return { result, status: r.status };
  } catch (e) {
    return { result, error: (e as { cause?: unknown }).cause ?? e };
  }
}

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).rejects(new Error("the role step must not ask STS"));
});

describe("managed policy ARNs in the role's partition (no STS call)", () => {
  it.each(["aws", "aws-cn", "aws-us-gov"])("a role that exists in %s with its policy is reused untouched", async (partition) => {
    iam.on(GetRoleCommand).resolves({ Role: iamRole(arnIn(partition), "lambda.amazonaws.com") });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyName: "AWSLambdaBasicExecutionRole", PolicyArn: policyIn(partition) }], IsTruncated: false });
    const { result, status } = await ensure();
    expect(status).toBe("skipped");
    expect(result).toEqual({ arn: arnIn(partition), created: false, changed: false });
    expect(writes()).toEqual([]);
    expect(sts.calls()).toHaveLength(0);
  });

  it("a new role in aws-us-gov gets the arn:aws-us-gov policy, the partition read from CreateRole's answer", async () => {
    iam.on(GetRoleCommand).rejects(awsError("NoSuchEntityException", `The role with name ${NAME} cannot be found.`));
    iam.on(CreateRoleCommand).callsFake((input) => ({ Role: iamRole(arnIn("aws-us-gov"), "lambda.amazonaws.com", { RoleName: input.RoleName }) }));
    iam.on(AttachRolePolicyCommand).resolves({});
    const { result, error } = await ensure();
    expect(error).toBeUndefined();
    expect(iam.commandCalls(AttachRolePolicyCommand).map((c) => c.args[0].input)).toEqual([{ RoleName: NAME, PolicyArn: policyIn("aws-us-gov") }]);
    expect(result).toEqual({ arn: arnIn("aws-us-gov"), created: true, changed: true });
    expect(sts.calls()).toHaveLength(0);
  });

  it("the Lambda target's execution role is this step (and --dry-run shows the commercial ARN)", () => {
    const c = ctx();
    const steps = lambdaTarget().deploySteps(c, { spec: {} as never, localRefs: [] });
    const role = steps.find((s) => s.id === "iam.ensure-role")!;
    expect(role.describe(c).filter((a) => a.command === "IAM.AttachRolePolicy").map((a) => (a.input as { PolicyArn: string }).PolicyArn))
      .toEqual([policyIn("aws")]);
  });
});

describe("reusing a role", () => {
  it("refuses a role that trusts another principal, naming the one it needs, before any write", async () => {
    iam.on(GetRoleCommand).resolves({ Role: iamRole(arnIn("aws"), "ecs-tasks.amazonaws.com") });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    const { error } = await ensure();
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).message).toBe(
      `IAM role ${NAME} exists but does not let lambda.amazonaws.com assume it (its trust policy names ecs-tasks.amazonaws.com)`,
    );
    expect((error as DeployError).hint).toContain(`aws iam update-assume-role-policy --role-name ${NAME}`);
    expect((error as DeployError).hint).toContain('"Service":"lambda.amazonaws.com"');
    expect(writes()).toEqual([]);
  });

  it("accepts a trust policy that lists the principal among others, in a Service array", async () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: ["edgelambda.amazonaws.com", "lambda.amazonaws.com"] }, Action: ["sts:AssumeRole", "sts:TagSession"] }] };
    iam.on(GetRoleCommand).resolves({ Role: iamRole(arnIn("aws"), "x", { AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(doc)) }) });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: policyIn("aws") }], IsTruncated: false });
    expect((await ensure()).status).toBe("skipped");
  });

  it("reads every page of attached policies (the wanted one on page 2: nothing attached)", async () => {
    iam.on(GetRoleCommand).resolves({ Role: iamRole(arnIn("aws"), "lambda.amazonaws.com") });
    iam.on(ListAttachedRolePoliciesCommand, { RoleName: NAME, Marker: undefined })
      .resolves({ AttachedPolicies: [{ PolicyArn: "arn:aws:iam::123456789012:policy/team-logs" }], IsTruncated: true, Marker: "page-2" });
    iam.on(ListAttachedRolePoliciesCommand, { RoleName: NAME, Marker: "page-2" })
      .resolves({ AttachedPolicies: [{ PolicyArn: policyIn("aws") }], IsTruncated: false });
    const { status } = await ensure();
    expect(status).toBe("skipped");
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, "page-2"]);
    expect(writes()).toEqual([]);
  });

  it("a policy just attached to an existing role counts as changed (callers retry while IAM propagates)", async () => {
    iam.on(GetRoleCommand).resolves({ Role: iamRole(arnIn("aws"), "lambda.amazonaws.com") });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iam.on(AttachRolePolicyCommand).resolves({});
    const { result, status } = await ensure();
    expect(status).toBe("done");
    expect(result).toEqual({ arn: arnIn("aws"), created: false, changed: true });
    expect(writes()).toEqual(["AttachRolePolicy"]);
    // What the check read is what the step acts on: each read once.
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1);
    expect(iam.commandCalls(ListAttachedRolePoliciesCommand)).toHaveLength(1);
  });
});

describe("deleting a role", () => {
  it("detaches and deletes every inline policy across pages, then the role", async () => {
    iam.on(GetRoleCommand).resolves({ Role: iamRole(arnIn("aws"), "lambda.amazonaws.com", { Tags: [{ Key: "logship:app", Value: "demo" }] }) });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: policyIn("aws") }], IsTruncated: false });
    iam.on(ListRolePoliciesCommand, { RoleName: NAME, Marker: undefined }).resolves({ PolicyNames: ["a"], IsTruncated: true, Marker: "m2" });
    iam.on(ListRolePoliciesCommand, { RoleName: NAME, Marker: "m2" }).resolves({ PolicyNames: ["b"], IsTruncated: false });
    iam.on(DetachRolePolicyCommand).resolves({});
    iam.on(DeleteRolePolicyCommand).resolves({});
    iam.on(DeleteRoleCommand).resolves({});
    await runSteps([deleteRoleStep({ id: "lambda.delete-role", group: "lambda", purpose: "lambda-exec" })], ctx());
    expect(iam.commandCalls(DeleteRolePolicyCommand).map((c) => c.args[0].input.PolicyName)).toEqual(["a", "b"]);
    expect(writes()).toEqual(["DetachRolePolicy", "DeleteRolePolicy", "DeleteRolePolicy", "DeleteRole"]);
  });
});
