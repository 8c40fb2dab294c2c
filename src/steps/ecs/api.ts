// ECS Express Mode reads shared by the deploy, destroy and status paths (aws-apis.md §6.3). The waits
// built on them are in wait.ts.
import type { ECSExpressGatewayService, Service, ServiceDeploymentBrief, ServiceDeploymentStatus } from "@aws-sdk/client-ecs";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import type { Context } from "../types.js";

const NOT_FOUND = new Set(["ResourceNotFoundException", "ServiceNotFoundException", "ClusterNotFoundException"]);
const message = (e: unknown) => String((e as Error | undefined)?.message ?? "");

/**
 * "The service does not exist, or is gone". Express answers that in more ways than
 * ResourceNotFoundException: Terraform's provider (internal/service/ecs/express_gateway_service.go,
 * findExpressGatewayService and Delete, v6.23+) also treats InvalidParameterException "Resource not
 * found" and ServiceNotActiveException "Cannot perform this operation on a service in INACTIVE status"
 * as gone.
 */
export const isNotFound = (e: unknown) =>
  NOT_FOUND.has(errName(e)) ||
  (errName(e) === "InvalidParameterException" && /Resource not found/i.test(message(e))) ||
  (errName(e) === "ServiceNotActiveException" && /INACTIVE status/i.test(message(e)));

/** ServiceNotActiveException "Service is in DRAINING status": a delete is under way (same source). */
export const isDraining = (e: unknown) => errName(e) === "ServiceNotActiveException" && /DRAINING status/i.test(message(e));

export const IN_FLIGHT: ServiceDeploymentStatus[] = ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"];

export function consoleHint(cluster: string, name: string): string {
  return `see the ECS console: cluster ${cluster} → service ${name} → Deployments and Logs`;
}

/**
 * The Express service, or undefined when it is gone. A service being deleted can answer with
 * ServiceNotActiveException instead of its description: it is reported as DRAINING, as Terraform
 * stands in a status for an INACTIVE one (statusExpressGatewayServiceForDeletion).
 */
export async function describeExpress(ctx: Context, serviceArn: string): Promise<ECSExpressGatewayService | undefined> {
  const { DescribeExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  try {
    return (await (await ctx.aws.ecs()).send(new DescribeExpressGatewayServiceCommand({ serviceArn }))).service;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    if (isDraining(e)) return { serviceArn, status: { statusCode: "DRAINING", statusReason: message(e) } };
    throw e;
  }
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
  const { DescribeServicesCommand } = await import("@aws-sdk/client-ecs");
  let services;
  try {
    services = (await (await ctx.aws.ecs()).send(new DescribeServicesCommand({ cluster, services: [name] }))).services ?? [];
  } catch (e) {
    if (isNotFound(e)) return {};
    throw e;
  }
  const found = services.find((s) => s.serviceName === name && s.status !== "INACTIVE" && s.serviceArn);
  if (!found) return {};
  const svc = await describeExpress(ctx, found.serviceArn!);
  if (!svc && found.status === "ACTIVE") {
    throw new DeployError(
      `ECS service ${name} in cluster ${cluster} exists but is not an Express Mode service`,
      "choose another targets.ecs.service (or targets.ecs.cluster), or delete that service",
    );
  }
  return isGone(svc) ? {} : { express: svc, ecs: found };
}

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

export async function listDeployments(ctx: Context, cluster: string, serviceArn: string, filter: { status?: ServiceDeploymentStatus[]; after?: Date }): Promise<ServiceDeploymentBrief[]> {
  const { ListServiceDeploymentsCommand } = await import("@aws-sdk/client-ecs");
  const out = await (await ctx.aws.ecs()).send(new ListServiceDeploymentsCommand({
    cluster, service: serviceArn,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.after ? { createdAt: { after: filter.after } } : {}),
  }));
  return out.serviceDeployments ?? [];
}
