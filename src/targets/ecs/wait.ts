// ECS Express Mode waits. There is no Express waiter in the SDK, so we poll like AWS's own deploy
// action does (aws-apis.md §6.4), every 5 s backing off to 15 s at most (src/util/poll.ts).
import {
  describeExpressService, describeServiceDeployment, listServiceDeployments,
  type ECSExpressGatewayService, type ServiceDeployment, type ServiceDeploymentBrief,
} from "../../aws/ecs.js";
import { parseDuration } from "../../config/rules.js";
import { DeployError } from "../../errors.js";
import { poll as pollUntil, type PollCheck } from "../../util/poll.js";
import type { Context } from "../../steps/types.js";
import { earliestOurs, endedBefore, SERVICE_WAIT } from "../service/wait.js";
import { consoleHint, IN_FLIGHT, isGone } from "./api.js";
import { deploymentPhase } from "./phase.js";
import { targetConfig } from "./spec.js";

/** Deletes: Terraform's provider allows 20 min (express_gateway_service.go); we allow the same 30 as deploys by default. */
export const WAIT = SERVICE_WAIT;

/** A deployment shows up within seconds of Create/Update; none after this long means none is coming. */
export const NO_DEPLOYMENT_MS = 3 * 60_000;

/** targets.ecs.waitTimeout in ms (30m by default: a canary update alone bakes 2 × 3 min). */
export const deployTimeoutMs = (ctx: Context) => parseDuration(targetConfig(ctx.config).waitTimeout) ?? WAIT.timeoutMs;

const poll = <T>(ctx: Context, what: string, check: PollCheck<T>, timeoutMs = WAIT.timeoutMs): Promise<T> =>
  pollUntil(ctx, what, check, {
    service: "ECS", ...WAIT, timeoutMs, explainInterrupt: true,
    timeoutHint: "ECS is still working on it: check the ECS console and re-run logship when it has settled, or raise targets.ecs.waitTimeout",
  });

/**
 * Waits until no deployment of the service is in flight (one started elsewhere, or by a run we
 * interrupted); true when it had to wait, so the caller reads the service again.
 */
export function waitIdle(ctx: Context, cluster: string, svc: ECSExpressGatewayService): Promise<boolean> {
  let waited = false;
  return poll(ctx, `waiting for the deployment in progress on ${svc.serviceName} to end`, async () => {
    const busy = await listServiceDeployments(ctx.aws, cluster, svc.serviceArn!, { status: IN_FLIGHT });
    if (!busy.length) return { done: true, value: waited };
    waited = true;
    return { done: false, state: busy[0].status ?? "IN_PROGRESS" };
  }, deployTimeoutMs(ctx));
}

/** Waits until the service is deleted (INACTIVE or no longer found, in any of the ways Express says so). */
export function waitGone(ctx: Context, serviceArn: string, name: string): Promise<void> {
  return poll(ctx, `waiting for ECS to delete ${name}`, async () => {
    const svc = await describeExpressService(ctx.aws, serviceArn);
    return isGone(svc) ? { done: true, value: undefined } : { done: false, state: svc!.status?.statusCode ?? "unknown" };
  });
}

const newest = (list: ServiceDeploymentBrief[]) =>
  [...list].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];

export interface DeployWait {
  cluster: string;
  name: string;
  serviceArn: string;
  /** Local time just before the Create/Update call. */
  since: Date;
  /** The revision the call made, when the answer said. */
  revisionArn?: string;
  /** How long to look for the deployment before saying none started (NO_DEPLOYMENT_MS by default). */
  noDeploymentMs?: number;
  /** What to say when none started, in place of the general message. */
  noDeployment?: () => DeployError;
}

/**
 * Follows the deployment a Create/Update started until it ends: the service must be ACTIVE, then its
 * deployment (the one for `revisionArn` when known, else the newest since `since`) SUCCESSFUL.
 * AWS's action avoids `currentDeployment` ("DB consistency issues"), and so do we.
 */
export async function waitDeployed(ctx: Context, w: DeployWait): Promise<ECSExpressGatewayService> {
  const { cluster, name, serviceArn, since } = w;
  // targets.ecs.waitTimeout bounds the whole wait: both polls share one deadline.
  const deadline = Date.now() + deployTimeoutMs(ctx);
  await poll(ctx, `waiting for ${name} to be ACTIVE`, async () => {
    const svc = await describeExpressService(ctx.aws, serviceArn);
    const code = svc?.status?.statusCode;
    if (code === "ACTIVE") return { done: true, value: svc };
    if (code === "INACTIVE" || code === "DRAINING") {
      throw new DeployError(`ECS service ${name} is ${code}${svc?.status?.statusReason ? `: ${svc.status.statusReason}` : ""}`, consoleHint(cluster, name));
    }
    return { done: false, state: code ?? "not visible yet" };
  }, deadline - Date.now());
  let deploymentArn: string | undefined;
  const after = earliestOurs(since);
  const looking = Date.now();
  const noneWithin = w.noDeploymentMs ?? NO_DEPLOYMENT_MS;
  const dep = await poll<ServiceDeployment>(ctx, `waiting for ECS to deploy ${name}`, async () => {
    if (!deploymentArn) {
      // One that finished before our call cannot be ours (an earlier, failed one for the same revision).
      const list = (await listServiceDeployments(ctx.aws, cluster, serviceArn, { after })).filter((d) => !endedBefore(d.finishedAt, since));
      deploymentArn = (list.find((d) => w.revisionArn && d.targetServiceRevisionArn === w.revisionArn) ?? newest(list))?.serviceDeploymentArn;
      if (!deploymentArn && Date.now() - looking >= noneWithin) {
        throw w.noDeployment?.() ??
          new DeployError(`ECS started no deployment for ${name} within ${Math.round(noneWithin / 60_000)} min`, consoleHint(cluster, name));
      }
      if (!deploymentArn) return { done: false, state: "no deployment started yet" };
    }
    const d = await describeServiceDeployment(ctx.aws, deploymentArn);
    if (d?.status && !IN_FLIGHT.includes(d.status)) return { done: true, value: d };
    return { done: false, state: d ? deploymentPhase(d) : "PENDING" };
  }, Math.max(0, deadline - Date.now()));
  failUnlessSuccessful(dep, cluster, name);
  const svc = await describeExpressService(ctx.aws, serviceArn);
  if (isGone(svc)) throw new DeployError(`ECS service ${name} disappeared during the deployment`, consoleHint(cluster, name));
  return svc!;
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
