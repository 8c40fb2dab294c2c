// The App Runner ECR access role (the configured ARN, or one logship ensures), and what the steps of
// one deploy hand each other.
import type { Service } from "../../aws/apprunner.js";
import { roleName } from "../../steps/iam-role.js";
import { ensureManagedRoleStep } from "../../steps/managed-role.js";
import type { Context, Step } from "../../steps/types.js";
import type { ServiceRun } from "../service/lifecycle.js";
import { targetConfig } from "./spec.js";

export const ACCESS_ROLE_PURPOSE = "apprunner-ecr-access";
/** A managed policy path; the ARN gets the caller's partition when the role step runs (src/aws/partition.ts). */
export const ECR_ACCESS_POLICY = "service-role/AWSAppRunnerServicePolicyForECRAccess";

/** What the steps of one deploy hand each other. */
export interface DeployState extends ServiceRun<Service> {
  accessRoleArn?: string;
  /** True when this run created the access role or attached its policy: App Runner may not assume it yet. */
  roleCreated?: boolean;
  /** Where its logs are, for the smoke test's hint. */
  logsHint?: string;
}

/** The ECR access role: the configured ARN, or one logship ensures. */
export function accessRoleSteps(ctx: Context, state: DeployState): Step[] {
  const given = targetConfig(ctx.config).accessRoleArn;
  if (given) {
    state.accessRoleArn = given;
    return [];
  }
  return [ensureManagedRoleStep({
    name: roleName(ctx.config.app, ACCESS_ROLE_PURPOSE),
    principal: "build.apprunner.amazonaws.com",
    managedPolicies: [ECR_ACCESS_POLICY],
    group: "apprunner",
    description: "App Runner pulls from ECR",
  }, (r) => {
    state.accessRoleArn = r.arn;
    state.roleCreated = r.changed;
  })];
}

