// ECS Express Mode look-ups shared by the deploy, destroy and status paths (aws-apis.md §6.3), on the
// calls in src/aws/ecs.ts. The waits built on them are in wait.ts.
import { describeExpressService, findService as findEcsService, type ECSExpressGatewayService, type Service, type ServiceDeploymentStatus } from "../../aws/ecs.js";
import { DeployError } from "../../errors.js";
import type { Context } from "../../steps/types.js";

export const IN_FLIGHT: ServiceDeploymentStatus[] = ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"];

export function consoleHint(cluster: string, name: string): string {
  return `see the ECS console: cluster ${cluster} → service ${name} → Deployments and Logs`;
}

export const isGone = (svc: ECSExpressGatewayService | undefined) => !svc || svc.status?.statusCode === "INACTIVE";

/**
 * The live Express service with this name in the cluster, or undefined. Found the way AWS's action
 * does (aws-apis.md §6.2): DescribeServices by name — a missing one comes back as a `failures`
 * entry, a deleted one as INACTIVE, a missing cluster as ClusterNotFoundException — then described.
 * A DRAINING one (being deleted) is returned as such: callers decide what that means for them.
 * An INACTIVE one is treated as absent, and its name can be reused: CreateExpressGatewayService succeeds over an
 * INACTIVE service of the same name (checked with the AWS CLI in terraform-provider-aws#47743; the provider now
 * allows it, PR #48098, acceptance test TestAccECSExpressGatewayService_recreateAfterDeleting in #47701).
 * Still unconfirmed: the API's own error for a duplicate of a live service (aws-apis.md §6.2), because the SDK
 * 3.1142.0 model lists no AlreadyExists error ("must be unique within the specified cluster" only) and Terraform,
 * like AWS's action, checks with DescribeServices first, as we do, so no source shows the call failing.
 */
export async function lookup(ctx: Context, cluster: string, name: string): Promise<{ express?: ECSExpressGatewayService; ecs?: Service }> {
  const found = await findEcsService(ctx.aws, cluster, name);
  if (!found) return {};
  const svc = await describeExpressService(ctx.aws, found.serviceArn!);
  if (!svc && found.status === "ACTIVE") {
    throw new DeployError(
      `ECS service ${name} in cluster ${cluster} exists but is not an Express Mode service`,
      "choose another targets.ecs.service (or targets.ecs.cluster), or delete that service",
    );
  }
  return isGone(svc) ? {} : { express: svc, ecs: found };
}

/** Just the Express service that lookup() finds (undefined when none is live). */
export async function findService(ctx: Context, cluster: string, name: string): Promise<ECSExpressGatewayService | undefined> {
  return (await lookup(ctx, cluster, name)).express;
}

/**
 * Why the service's last rollout failed, if it did: the circuit breaker leaves a FAILED primary
 * deployment. The configuration then matches ours but nothing healthy runs it.
 */
export function failedRollout(svc: Service | undefined): string | undefined {
  const primary = svc?.deployments?.find((d) => d.status === "PRIMARY");
  if (primary?.rolloutState !== "FAILED") return undefined;
  return primary.rolloutStateReason ?? "its last deployment FAILED";
}
