// The execution and infrastructure roles of an ECS Express service, and how to tell "a role that just
// changed is not usable yet" (retry) from "the deploying identity may not pass it" (fail at once).
import type { ExpressCpuArchitecture, ECSExpressGatewayService } from "../../aws/ecs.js";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { roleName } from "../../steps/iam-role.js";
import { ensureManagedRoleStep } from "../../steps/managed-role.js";
import type { Context, Step } from "../../steps/types.js";
import type { ServiceRun } from "../service/lifecycle.js";
import { secretsPolicyStep } from "./secrets.js";
import { EXEC_POLICY, EXEC_ROLE_PURPOSE, INFRA_POLICY, INFRA_ROLE_PURPOSE, targetConfig } from "./spec.js";

/** What the steps of one deploy hand each other. */
export interface EcsRun extends ServiceRun<ECSExpressGatewayService> {
  execRoleArn?: string;
  infraRoleArn?: string;
  /** True when this run created a role or attached a policy to one: ECS may not be able to use it yet. */
  roleChanged?: boolean;
  arch?: ExpressCpuArchitecture;
  /** Why its last rollout failed, when it did. */
  failed?: string;
}

/** The execution and infrastructure roles: the configured ARNs, or ones logship ensures. */
export function roleSteps(ctx: Context, state: EcsRun): Step[] {
  const t = targetConfig(ctx.config);
  const steps: Step[] = [];
  if (t.executionRoleArn) state.execRoleArn = t.executionRoleArn;
  else {
    const name = roleName(ctx.config.app, EXEC_ROLE_PURPOSE);
    steps.push(ensureManagedRoleStep({
      id: `iam.ensure-role-${EXEC_ROLE_PURPOSE}`, name, principal: "ecs-tasks.amazonaws.com", managedPolicies: [EXEC_POLICY],
      group: "ecs", description: "ECS pulls the image, reads secrets and writes logs",
    }, (r) => { state.execRoleArn = r.arn; state.roleChanged ||= r.changed; }));
    if (Object.keys(t.secrets).length) steps.push(secretsPolicyStep(name));
  }
  if (t.infrastructureRoleArn) state.infraRoleArn = t.infrastructureRoleArn;
  else {
    steps.push(ensureManagedRoleStep({
      id: `iam.ensure-role-${INFRA_ROLE_PURPOSE}`, name: roleName(ctx.config.app, INFRA_ROLE_PURPOSE), principal: "ecs.amazonaws.com", managedPolicies: [INFRA_POLICY],
      group: "ecs", description: "ECS Express manages the load balancer, scaling and networking",
    }, (r) => { state.infraRoleArn = r.arn; state.roleChanged ||= r.changed; }));
  }
  return steps;
}

const message = (e: unknown) => String((e as Error | undefined)?.message ?? "");

/**
 * IAM propagation: a role created or changed seconds ago cannot be assumed yet. Exactly the errors
 * Terraform's provider retries Create and Update on (express_gateway_service.go,
 * retryExpressGatewayServiceCreate/Update): AccessDeniedException "Cannot assume role",
 * ClientException "AWS was not able to validate the provided access credentials", and
 * AccessDeniedException "is not authorized to perform: sts:AssumeRole".
 * This settles aws-apis.md §6.1's UNCONFIRMED role-propagation text: read in hashicorp/terraform-provider-aws
 * internal/service/ecs/express_gateway_service.go (commit 17bcec8), both retry predicates match these exact
 * error types and substrings (errs.IsAErrorMessageContains), for Create and for Update alike.
 */
export const isRolePropagation = (e: unknown) =>
  (errName(e) === "AccessDeniedException" && /Cannot assume role|is not authorized to perform: sts:AssumeRole/i.test(message(e))) ||
  (errName(e) === "ClientException" && /AWS was not able to validate the provided access credentials/i.test(message(e)));

/** How long the retry runs: Terraform allows its propagationTimeout (2 min) plus the call's own 2 min; ~2 min is ours. */
export const PROPAGATION_RETRY = { tries: 11, baseMs: 2_000, maxMs: 15_000 };

/**
 * "User: … is not authorized to perform: iam:PassRole on resource: <role>" is the deploying identity's
 * own permission, which no wait will grant: said at once, naming the permission and the role.
 */
export function explainPassRole(e: unknown): void {
  const m = /not authorized to perform: iam:PassRole on resource: (\S+)/i.exec(message(e));
  if (!m) return;
  const role = m[1].replace(/[.,;]+$/, "");
  throw new DeployError(
    `ECS refused the role ${role}: the AWS identity running logship lacks iam:PassRole on it`,
    `allow iam:PassRole on ${role} for this identity (condition iam:PassedToService ecs-tasks.amazonaws.com or ecs.amazonaws.com), ` +
      "or set targets.ecs.executionRoleArn / infrastructureRoleArn to roles it may pass",
    { cause: e },
  );
}
