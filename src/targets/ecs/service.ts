// The ECS Express adapter of the service lifecycle (src/targets/service/lifecycle.ts): how ECS finds,
// settles, compares, creates and updates an Express service (aws-apis.md §6.3). A Create/Update makes
// a service revision and starts a deployment, which the waits in wait.ts follow.
import { ecsCalls, type ECSExpressGatewayService } from "../../aws/ecs.js";
import { changing } from "../../aws/call.js";
import { execute } from "../../aws/execute.js";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import type { Context } from "../../steps/types.js";
import { sendThenWait, type ServiceAdapter } from "../service/lifecycle.js";
import { sendWhileRolesPropagate } from "../service/propagation.js";
import { consoleHint, failedRollout, lookup } from "./api.js";
import { explainPassRole, isRolePropagation, PROPAGATION_RETRY, type EcsRun } from "./roles.js";
import { activeConfig, createInput, drift, PREVIOUS_IMAGE_TAG, privateUrl, publicUrl, targetConfig, updateInput, type Desired } from "./spec.js";
import { waitDeployed, waitGone, waitIdle } from "./wait.js";
import { afterInFlight, configChanges, deployedAs } from "./changes.js";

/**
 * Sends a Create/Update, retrying (about 2 min) while IAM propagates a role this run created or
 * changed (roles.ts); a missing iam:PassRole fails at once, and so does a role ECS cannot assume
 * that this run did not touch: its trust policy is wrong, and waiting will not fix it.
 */
async function sendWithRoles<T>(ctx: Context, state: EcsRun, send: () => Promise<T>): Promise<T> {
  try {
    return await sendWhileRolesPropagate(ctx, send, {
      changed: !!state.roleChanged, isPropagation: isRolePropagation, retry: PROPAGATION_RETRY, what: "the new roles usable by ECS",
    });
  } catch (e) {
    explainPassRole(e);
    if (isRolePropagation(e)) {
      throw new DeployError(`ECS cannot use the service's roles: ${(e as Error).message}`,
        state.roleChanged
          ? "IAM had not made the new roles usable after ~2 min: re-run the same command"
          : "check that the execution role trusts ecs-tasks.amazonaws.com and the infrastructure role trusts ecs.amazonaws.com", { cause: e });
    }
    throw e;
  }
}

/** The create errors a user can act on, said plainly; anything else goes up unchanged. */
async function explainCreate(e: unknown, d: Desired, ctx: Context): Promise<never> {
  if (errName(e) === "ClusterNotFoundException") {
    throw new DeployError(`ECS cluster ${d.cluster} does not exist`,
      `create it (aws ecs create-cluster --cluster-name ${d.cluster}) or remove targets.ecs.cluster to use "default", which Express Mode creates itself`, { cause: e });
  }
  if (errName(e) === "UnsupportedFeatureException") {
    throw new DeployError(`ECS Express Mode is not available in ${await ctx.aws.region()}: ${(e as Error).message}`,
      "deploy to a Region that offers it (pass --region), or use another target", { cause: e });
  }
  throw e;
}

function create(ctx: Context, d: Desired, state: EcsRun): Promise<ECSExpressGatewayService> {
  return sendThenWait({
    send: () => sendWithRoles(ctx, state, () => execute(ctx, ecsCalls.createExpressService(createInput(d, ctx.config.app)), () => deployedAs(undefined, d)))
      .catch((e) => explainCreate(e, d, ctx)),
    wait: (svc, since) => {
      if (!svc?.serviceArn) throw new DeployError(`ECS did not return the new service ${d.name}`, consoleHint(d.cluster, d.name));
      ctx.progress(`created ${d.name}; waiting for its first deployment`);
      return waitDeployed(ctx, { cluster: d.cluster, name: d.name, serviceArn: svc.serviceArn, since, revisionArn: activeConfig(svc)?.serviceRevisionArn });
    },
    planned: (svc) => svc!,
  }, ctx.dryRun);
}

/** An identical update may start nothing; when it makes a new revision its deployment shows within seconds. */
export const NO_REDEPLOYMENT_MS = 60_000;

function update(ctx: Context, svc: ECSExpressGatewayService, d: Desired, changed: string[], state: EcsRun): Promise<ECSExpressGatewayService> {
  const previous = activeConfig(svc)?.primaryContainer?.image;
  const call = changing(ecsCalls.updateExpressService(updateInput(svc.serviceArn!, d)),
    changed.length ? configChanges(activeConfig(svc), d) : [`deploy again after a failed rollout (${state.failed})`]);
  return sendThenWait({
    async tag() {
      // What ran before, for `logship rollback` (AWS is the state: DESIGN.md). Update takes no tags (§6.3).
      // Its plan says nothing of its own: it keeps the image the update beside it replaces.
      if (changed.includes("image") && previous) await execute(ctx, { ...ecsCalls.tagResource(svc.serviceArn!, [{ key: PREVIOUS_IMAGE_TAG, value: previous }]), change: [] }, () => undefined);
    },
    send: () => sendWithRoles(ctx, state, () => execute(ctx, call, () => ({ serviceArn: svc.serviceArn, targetConfiguration: activeConfig(deployedAs(svc, d)) }))),
    wait(updated, since) {
      const revisionArn = updated?.targetConfiguration?.serviceRevisionArn;
      const at = { cluster: d.cluster, name: d.name, serviceArn: svc.serviceArn!, since, revisionArn };
      if (changed.length) {
        ctx.progress(`updating ${d.name}: ${changed.join(", ")}`);
        return waitDeployed(ctx, at);
      }
      // The same configuration again, after its rollout failed. UpdateExpressGatewayService has no
      // forceNewDeployment (unlike UpdateService; the SDK's client-ecs 3.1142.0 model), so an update
      // identical to the live revision may make no new revision and start no deployment (issue 9 §3).
      const noDeployment = () => new DeployError(
        `ECS started no new deployment of ${d.name}: the configuration is the same as the live one, whose rollout failed (${state.failed})`,
        "Express Mode cannot be told to deploy the same configuration again (UpdateExpressGatewayService has no forceNewDeployment): " +
          "fix the cause, then deploy a new image (`logship ship ecs`) or change the configuration; " + consoleHint(d.cluster, d.name),
      );
      if (revisionArn && revisionArn === activeConfig(svc)?.serviceRevisionArn) throw noDeployment();
      ctx.progress(`deploying ${d.name} again: ${state.failed}`);
      return waitDeployed(ctx, { ...at, noDeploymentMs: NO_REDEPLOYMENT_MS, noDeployment });
    },
    planned: () => deployedAs(svc, d),
  }, ctx.dryRun);
}

type Adapter = ServiceAdapter<ECSExpressGatewayService, Desired>;

/** The lifecycle's ECS parts; `want` builds the desired service once the roles are known. */
export function ecsService(state: EcsRun, want: (ctx: Context) => Desired): Omit<Adapter, "title" | "plan"> {
  return {
    group: "ecs",
    name: (ctx) => targetConfig(ctx.config).service,
    async settle(ctx) {
      const t = targetConfig(ctx.config);
      let found = await lookup(ctx, t.cluster, t.service);
      if (found.express?.status?.statusCode === "DRAINING") {
        ctx.progress(`${t.service} is being deleted; waiting, then creating it anew`);
        if (!ctx.dryRun) await waitGone(ctx, found.express.serviceArn!, t.service);
        found = {};
      }
      // A dry run waits for nothing: a deployment in flight is taken as ending well.
      if (ctx.dryRun) found = { ...found, express: afterInFlight(found.express) };
      else if (found.express && (await waitIdle(ctx, t.cluster, found.express))) found = await lookup(ctx, t.cluster, t.service);
      state.failed = failedRollout(found.ecs);
      return found.express;
    },
    desired: want,
    // A failed last rollout is not up to date even when its configuration is ours: it is deployed again.
    upToDate: (_ctx, svc, d) => !state.failed && !drift(activeConfig(svc), d()).length,
    async update(ctx, svc, d) {
      const changed = drift(activeConfig(svc), d);
      return { svc: await update(ctx, svc, d, changed, state), what: `updated (${changed.join(", ") || "redeployed after a failed rollout"})` };
    },
    create: (ctx, d) => create(ctx, d, state),
    address: (svc) => publicUrl(svc) ?? privateUrl(svc),
    record(ctx, svc, detail) {
      ctx.targets.ecs = { ...ctx.targets.ecs, url: publicUrl(svc), privateUrl: privateUrl(svc), detail, serviceArn: svc.serviceArn };
    },
  };
}
