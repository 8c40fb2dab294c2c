// ECS Express Mode reads and waits shared by the deploy, destroy and status paths. There is no
// Express waiter in the SDK, so we poll like AWS's own deploy action does (aws-apis.md §6.4).
import type { ECSExpressGatewayService, Service, ServiceDeployment, ServiceDeploymentBrief, ServiceDeploymentStatus } from "@aws-sdk/client-ecs";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { poll as pollUntil, type PollCheck } from "../../util/poll.js";
import type { Context } from "../types.js";

export const WAIT = {
  /** A first deployment provisions a load balancer, certificate and DNS: it can take many minutes. */
  timeoutMs: 30 * 60_000,
  firstDelayMs: 5_000,
  maxDelayMs: 15_000,
};

/** Local clock vs AWS's: deployments created up to this long "before" our call still count as ours. */
export const CLOCK_SKEW_MS = 60_000;
/** A deployment shows up within seconds of Create/Update; none after this long means none is coming. */
export const NO_DEPLOYMENT_MS = 3 * 60_000;

const NOT_FOUND = new Set(["ResourceNotFoundException", "ServiceNotFoundException", "ClusterNotFoundException"]);
export const isNotFound = (e: unknown) => NOT_FOUND.has(errName(e));

export const IN_FLIGHT: ServiceDeploymentStatus[] = ["PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "STOP_REQUESTED"];

export function consoleHint(cluster: string, name: string): string {
  return `see the ECS console: cluster ${cluster} → service ${name} → Deployments and Logs`;
}

export async function describeExpress(ctx: Context, serviceArn: string): Promise<ECSExpressGatewayService | undefined> {
  const { DescribeExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  try {
    return (await (await ctx.aws.ecs()).send(new DescribeExpressGatewayServiceCommand({ serviceArn }))).service;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const gone = (svc: ECSExpressGatewayService | undefined) => !svc || svc.status?.statusCode === "INACTIVE";

/**
 * The live Express service with this name in the cluster, or undefined. Found the way AWS's action
 * does (aws-apis.md §6.2): DescribeServices by name — a missing one comes back as a `failures`
 * entry, a deleted one as INACTIVE, a missing cluster as ClusterNotFoundException — then described.
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
  return gone(svc) ? {} : { express: svc, ecs: found };
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

const poll = <T>(ctx: Context, what: string, check: PollCheck<T>): Promise<T> =>
  pollUntil(ctx, what, check, { service: "ECS", ...WAIT, explainInterrupt: true });

async function listDeployments(ctx: Context, cluster: string, serviceArn: string, filter: { status?: ServiceDeploymentStatus[]; after?: Date }): Promise<ServiceDeploymentBrief[]> {
  const { ListServiceDeploymentsCommand } = await import("@aws-sdk/client-ecs");
  const out = await (await ctx.aws.ecs()).send(new ListServiceDeploymentsCommand({
    cluster, service: serviceArn,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.after ? { createdAt: { after: filter.after } } : {}),
  }));
  return out.serviceDeployments ?? [];
}

/**
 * Waits until no deployment of the service is in flight (one started elsewhere, or by a run we
 * interrupted); true when it had to wait, so the caller reads the service again.
 */
export function waitIdle(ctx: Context, cluster: string, svc: ECSExpressGatewayService): Promise<boolean> {
  let waited = false;
  return poll(ctx, `waiting for the deployment in progress on ${svc.serviceName}`, async () => {
    const busy = await listDeployments(ctx, cluster, svc.serviceArn!, { status: IN_FLIGHT });
    if (!busy.length) return { done: true, value: waited };
    waited = true;
    return { done: false, state: busy[0].status ?? "IN_PROGRESS" };
  });
}

/** Waits until the service is deleted (INACTIVE or no longer found). */
export function waitGone(ctx: Context, serviceArn: string, name: string): Promise<void> {
  return poll(ctx, `deleting ${name}`, async () => {
    const svc = await describeExpress(ctx, serviceArn);
    return gone(svc) ? { done: true, value: undefined } : { done: false, state: svc!.status?.statusCode ?? "unknown" };
  });
}

const newest = (list: ServiceDeploymentBrief[]) =>
  [...list].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];

/**
 * Follows the deployment a Create/Update started until it ends: the service must be ACTIVE, then its
 * deployment (the one for `revisionArn` when known, else the newest since `since`) SUCCESSFUL.
 * AWS's action avoids `currentDeployment` ("DB consistency issues"), and so do we.
 */
export async function waitDeployed(
  ctx: Context, at: { cluster: string; name: string; serviceArn: string }, since: Date, revisionArn?: string,
): Promise<ECSExpressGatewayService> {
  const { DescribeServiceDeploymentsCommand } = await import("@aws-sdk/client-ecs");
  const { cluster, name, serviceArn } = at;
  await poll(ctx, `waiting for ${name} to be ACTIVE`, async () => {
    const svc = await describeExpress(ctx, serviceArn);
    const code = svc?.status?.statusCode;
    if (code === "ACTIVE") return { done: true, value: svc };
    if (code === "INACTIVE" || code === "DRAINING") {
      throw new DeployError(`ECS service ${name} is ${code}${svc?.status?.statusReason ? `: ${svc.status.statusReason}` : ""}`, consoleHint(cluster, name));
    }
    return { done: false, state: code ?? "not visible yet" };
  });
  let deploymentArn: string | undefined;
  const after = new Date(since.getTime() - CLOCK_SKEW_MS);
  const looking = Date.now();
  const dep = await poll<ServiceDeployment>(ctx, `deploying ${name}`, async () => {
    if (!deploymentArn) {
      // One that finished before our call cannot be ours (an earlier, failed one for the same revision).
      const list = (await listDeployments(ctx, cluster, serviceArn, { after })).filter((d) => !(d.finishedAt && d.finishedAt < since));
      deploymentArn = (list.find((d) => revisionArn && d.targetServiceRevisionArn === revisionArn) ?? newest(list))?.serviceDeploymentArn;
      if (!deploymentArn && Date.now() - looking >= NO_DEPLOYMENT_MS) {
        throw new DeployError(`ECS started no deployment for ${name} within ${NO_DEPLOYMENT_MS / 60_000} min`, consoleHint(cluster, name));
      }
      if (!deploymentArn) return { done: false, state: "waiting for the deployment to start" };
    }
    const out = await (await ctx.aws.ecs()).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [deploymentArn] }));
    const d = out.serviceDeployments?.[0];
    if (d?.status && !IN_FLIGHT.includes(d.status)) return { done: true, value: d };
    return { done: false, state: d?.status ?? "PENDING" };
  });
  failUnlessSuccessful(dep, cluster, name);
  const svc = await describeExpress(ctx, serviceArn);
  if (!svc) throw new DeployError(`ECS service ${name} disappeared during the deployment`, consoleHint(cluster, name));
  return svc;
}

function failUnlessSuccessful(d: ServiceDeployment, cluster: string, name: string): void {
  if (d.status === "SUCCESSFUL") return;
  const why = d.rollback?.reason ?? d.statusReason;
  const reason = why ? ` (${why})` : "";
  const hint = consoleHint(cluster, name);
  switch (d.status) {
    case "ROLLBACK_SUCCESSFUL":
      throw new DeployError(`deploying ${name} failed${reason}: ECS rolled back to the previous revision, which is still serving`, hint);
    case "ROLLBACK_FAILED":
      throw new DeployError(`deploying ${name} failed${reason} and so did ECS's rollback: the service may be unhealthy`, hint);
    default:
      throw new DeployError(`deploying ${name} failed: the deployment ended ${d.status}${reason}`, hint);
  }
}
