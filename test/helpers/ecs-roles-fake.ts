// IAM as it answers for the ECS Express roles, for aws-sdk-client-mock: roles that do not exist yet
// (GetRole and GetRolePolicy: NoSuchEntityException, API_GetRole.html, API_GetRolePolicy.html), and
// roles that exist, trusted by their ECS principals, with their policies attached (test/helpers/iam-role.ts).
import {
  AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, ListAttachedRolePoliciesCommand, PutRolePolicyCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { secretsPolicy } from "../../src/targets/ecs/secrets.js";
import { awsError } from "./ecs-express-fake.js";
import { SECRET } from "./ecs-run.js";
import { iamRole } from "./iam-role.js";

/** IAM as it answers for roles that do not exist yet (GetRole: NoSuchEntity), in `account` and `partition`. */
export function missingRolesIn(iam: AwsClientStub<IAMClient>, partition = "aws", account = "123456789012") {
  iam.on(GetRoleCommand).rejects(awsError("NoSuchEntityException", "The role with name logship-log-analyzer-ecs-exec cannot be found."));
  iam.on(CreateRoleCommand).callsFake((input) => ({ Role: { Arn: `arn:${partition}:iam::${account}:role/${input.RoleName}`, RoleName: input.RoleName } }));
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
  iam.on(AttachRolePolicyCommand).resolves({});
  iam.on(GetRolePolicyCommand).rejects(awsError("NoSuchEntityException", "The role policy with name logship-secrets cannot be found."));
  iam.on(PutRolePolicyCommand).resolves({});
}

/** Roles that exist, trusted by their ECS principals, with their policies attached: nothing to change. */
export function existingRolesIn(iam: AwsClientStub<IAMClient>, partition = "aws") {
  iam.on(GetRoleCommand).callsFake((input) => ({
    Role: iamRole(`arn:${partition}:iam::123456789012:role/${input.RoleName}`, input.RoleName.endsWith("exec") ? "ecs-tasks.amazonaws.com" : "ecs.amazonaws.com"),
  }));
  iam.on(ListAttachedRolePoliciesCommand).callsFake((input) => ({
    AttachedPolicies: [{
      PolicyArn: input.RoleName.endsWith("exec")
        ? "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        : "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices",
    }],
    IsTruncated: false,
  }));
  iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: encodeURIComponent(secretsPolicy({ DB_PASSWORD: SECRET })) });
}
