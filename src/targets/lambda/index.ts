// The Lambda target: a container-image function behind a function URL on an alias.
// Order (aws-apis.md §4.7): check the pushed image → execution role → create/update the function
// → publish a version + move the alias → function URL (+ the two public permissions) → smoke test.
import { roleName } from "../../steps/iam-role.js";
import { ensureManagedRoleStep } from "../../steps/managed-role.js";
import { aliasStep } from "./alias.js";
import { lambdaDestroySteps } from "./destroy.js";
import { deployFunctionStep } from "./function.js";
import { imageGuardStep } from "./image-guard.js";
import { BASIC_EXECUTION_POLICY, EXEC_ROLE_PURPOSE, target, type LambdaRun } from "./shared.js";
import { lambdaSmokeStep } from "./smoke.js";
import { lambdaStatus } from "./status.js";
import { functionUrlStep } from "./url.js";
import { lambdaLogGroup } from "./logs.js";
import { lambdaUrlAudit } from "./doctor.js";
import { lambdaReleases, lambdaRollbackSteps } from "./rollback.js";
import type { Step } from "../../steps/types.js";
import type { Target } from "../types.js";

export interface LambdaDeps {
  /** For tests: the smoke test's fetch. */
  fetch?: typeof fetch;
}

export function lambdaTarget(deps: LambdaDeps = {}): Target {
  return {
    needsRegistry: true,
    deploySteps(ctx, image) {
      const run: LambdaRun = { roleArn: target(ctx).roleArn, roleCreated: false };
      const steps: Step[] = [imageGuardStep(image)];
      if (!target(ctx).roleArn) {
        steps.push(ensureManagedRoleStep({
          name: roleName(ctx.config.app, EXEC_ROLE_PURPOSE),
          principal: "lambda.amazonaws.com",
          managedPolicies: [BASIC_EXECUTION_POLICY],
          group: "lambda",
          description: "Lambda execution role",
        }, (r) => {
          run.roleArn = r.arn;
          // Created, or a policy just attached: CreateFunction may meet IAM propagation delay either way.
          run.roleCreated = r.changed;
        }));
      }
      steps.push(deployFunctionStep(image, run), aliasStep(run), functionUrlStep(), lambdaSmokeStep(deps.fetch));
      return steps;
    },
    destroySteps: lambdaDestroySteps,
    status: lambdaStatus,
    logGroup: lambdaLogGroup,
    audit: { id: "lambda.url", fixes: true, run: lambdaUrlAudit },
    // Rollback moves the alias back to an earlier version, not "redeploy an earlier digest".
    releases: lambdaReleases,
    rollbackSteps: lambdaRollbackSteps,
  };
}

export const lambda: Target = lambdaTarget();
