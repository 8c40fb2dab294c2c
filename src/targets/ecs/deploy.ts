// `deploy ecs`: preflight → roles → create or update the Express Mode service → smoke test.
// aws-apis.md §6. The service is found by name and compared with the config; nothing is written
// when it already runs this digest with this configuration.
import { createExpressService, tagResource, updateExpressService, type ECSExpressGatewayService } from "../../aws/ecs.js";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { retryOn } from "../../util/retry.js";
import { shortId } from "../../steps/build.js";
import { roleName } from "../../steps/iam-role.js";
import type { Context, ImageState, PlannedAction, Step } from "../../steps/types.js";
import { consoleHint, failedRollout, findService, IN_FLIGHT, lookup } from "./api.js";
import { explainPassRole, isRolePropagation, PROPAGATION_RETRY, type EcsRun } from "./roles.js";
import {
  activeConfig, createInput, desired, dockerArch, drift, ecsArch, EXEC_ROLE_PURPOSE, imageRef,
  INFRA_ROLE_PURPOSE, PREVIOUS_IMAGE_TAG, privateUrl, publicUrl, targetConfig, updateInput, wantedArch, type Desired,
} from "./spec.js";
import { waitDeployed, waitGone, waitIdle } from "./wait.js";

export { roleSteps, type EcsRun } from "./roles.js";

export function preflightStep(image: ImageState, state: EcsRun): Step {
  return {
    id: "ecs.preflight",
    group: "ecs",
    title: () => "Check the image suits the ECS service",
    describe: (ctx) => [{
      kind: "check", command: `image architecture is linux/${dockerArch(wantedArch(ctx.config))}`,
      note: ctx.config.image.platform ? "from image.platform" : "X86_64 unless the service already runs ARM64 (ECS.DescribeServices, ECS.DescribeExpressGatewayService)",
    }],
    async run(ctx) {
      if (!image.remote) throw new DeployError("no pushed image to deploy", "run `logship push` first, or `logship ship ecs`");
      const t = targetConfig(ctx.config);
      const arch = image.architecture ?? image.spec.platform.split("/")[1];
      const known = ctx.config.image.platform ? undefined : activeConfig(await findService(ctx, t.cluster, t.service));
      const want = wantedArch(ctx.config, known);
      if (dockerArch(want) !== arch) {
        const why = ctx.config.image.platform ? `image.platform is linux/${dockerArch(want)}` : `ECS service ${t.service} runs ${want}`;
        throw new DeployError(
          `${why}, but ${image.localRefs[0] ?? imageRef(image)} is linux/${arch}: refusing to deploy an image that cannot start`,
          `rebuild with --platform linux/${dockerArch(want)} (or set image.platform: linux/${dockerArch(want)} in logship.yaml) and push again` +
            (known ? `; or set image.platform: linux/${arch} to switch the service to ${ecsArch(arch)}` : ""),
        );
      }
      state.arch = want;
      return `linux/${arch} (${want}) ${shortId(image.remote.digest)}`;
    },
  };
}

const roleOr = (arn: string | undefined, app: string, purpose: string) => arn ?? `<ARN of role ${roleName(app, purpose)}>`;

function plan(ctx: Context, image: ImageState, state: EcsRun): PlannedAction[] {
  const t = targetConfig(ctx.config);
  const d = desired(ctx.config, imageRef(image), {
    exec: roleOr(state.execRoleArn, ctx.config.app, EXEC_ROLE_PURPOSE),
    infra: roleOr(state.infraRoleArn, ctx.config.app, INFRA_ROLE_PURPOSE),
  }, state.arch ?? wantedArch(ctx.config));
  const arn = `<ARN of service ${t.service}>`;
  return [
    { kind: "aws", command: "ECS.DescribeServices", input: { cluster: t.cluster, services: [t.service] }, note: "find the service" },
    { kind: "aws", command: "ECS.DescribeExpressGatewayService", input: { serviceArn: arn }, note: "if it exists" },
    { kind: "aws", command: "ECS.ListServiceDeployments", input: { cluster: t.cluster, service: arn, status: IN_FLIGHT }, note: "wait for a deployment in progress" },
    { kind: "aws", command: "ECS.CreateExpressGatewayService", input: createInput(d, ctx.config.app), note: "if it does not exist" },
    { kind: "aws", command: "ECS.TagResource", input: { resourceArn: arn, tags: [{ key: PREVIOUS_IMAGE_TAG, value: "<image it runs now>" }] }, note: "if the image changed" },
    { kind: "aws", command: "ECS.UpdateExpressGatewayService", input: updateInput(arn, d), note: "if the image or configuration differ" },
    { kind: "aws", command: "ECS.DescribeServiceDeployments", input: { serviceDeploymentArns: ["<the deployment>"] }, note: "until SUCCESSFUL; a rollback is a failure" },
  ];
}

function record(ctx: Context, svc: ECSExpressGatewayService, detail: string) {
  ctx.targets.ecs = { ...ctx.targets.ecs, url: publicUrl(svc), privateUrl: privateUrl(svc), detail, serviceArn: svc.serviceArn };
}

/**
 * Sends a Create/Update, retrying (about 2 min) while IAM propagates a role this run created or
 * changed (roles.ts); a missing iam:PassRole fails at once, and so does a role ECS cannot assume
 * that this run did not touch: its trust policy is wrong, and waiting will not fix it.
 */
async function sendWithRoles<T>(ctx: Context, state: EcsRun, send: () => Promise<T>): Promise<T> {
  try {
    return await retryOn(send, (e) => !!state.roleChanged && isRolePropagation(e), {
      ...PROPAGATION_RETRY, signal: ctx.signal,
      onRetry: (_e, attempt, delay) => ctx.progress(
        `waiting for IAM to make the new roles usable by ECS (retry ${attempt} of ${PROPAGATION_RETRY.tries - 1} in ${Math.round(delay / 1000)}s)`),
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

async function create(ctx: Context, d: Desired, state: EcsRun): Promise<ECSExpressGatewayService> {
  const since = new Date();
  const svc = await sendWithRoles(ctx, state, () => createExpressService(ctx.aws, createInput(d, ctx.config.app)))
    .catch((e) => explainCreate(e, d, ctx));
  if (!svc?.serviceArn) throw new DeployError(`ECS did not return the new service ${d.name}`, consoleHint(d.cluster, d.name));
  ctx.progress(`created ${d.name}; waiting for its first deployment`);
  return waitDeployed(ctx, { cluster: d.cluster, name: d.name, serviceArn: svc.serviceArn, since, revisionArn: activeConfig(svc)?.serviceRevisionArn });
}

/** An identical update may start nothing; when it makes a new revision its deployment shows within seconds. */
export const NO_REDEPLOYMENT_MS = 60_000;

async function update(ctx: Context, svc: ECSExpressGatewayService, d: Desired, changed: string[], state: EcsRun): Promise<ECSExpressGatewayService> {
  const previous = activeConfig(svc)?.primaryContainer?.image;
  if (changed.includes("image") && previous) {
    // What ran before, for `logship rollback` (AWS is the state: DESIGN.md). Update takes no tags (§6.3).
    await tagResource(ctx.aws, svc.serviceArn!, [{ key: PREVIOUS_IMAGE_TAG, value: previous }]);
  }
  const since = new Date();
  const updated = await sendWithRoles(ctx, state, () => updateExpressService(ctx.aws, updateInput(svc.serviceArn!, d)));
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
}

export function serviceStep(image: ImageState, state: EcsRun): Step {
  const want = (ctx: Context) => {
    if (!state.execRoleArn || !state.infraRoleArn) throw new Error("ecs: roles not resolved before the service step");
    return desired(ctx.config, imageRef(image), { exec: state.execRoleArn, infra: state.infraRoleArn },
      state.arch ?? wantedArch(ctx.config, activeConfig(state.existing)));
  };
  return {
    id: "ecs.service",
    group: "ecs",
    title: (ctx) => `Deploy ECS Express service ${targetConfig(ctx.config).service}`,
    describe: (ctx) => plan(ctx, image, state),
    async isDone(ctx) {
      const t = targetConfig(ctx.config);
      let found = await lookup(ctx, t.cluster, t.service);
      if (found.express?.status?.statusCode === "DRAINING") {
        ctx.progress(`${t.service} is being deleted; waiting, then creating it anew`);
        await waitGone(ctx, found.express.serviceArn!, t.service);
        found = {};
      }
      if (found.express && (await waitIdle(ctx, t.cluster, found.express))) found = await lookup(ctx, t.cluster, t.service);
      const svc = found.express;
      state.existing = svc;
      state.failed = failedRollout(found.ecs);
      if (!svc || state.failed || drift(activeConfig(svc), want(ctx)).length) return false;
      const detail = `up to date: ${t.service} runs ${shortId(image.remote!.digest)}`;
      record(ctx, svc, detail);
      return detail;
    },
    async run(ctx) {
      const d = want(ctx);
      const svc = state.existing;
      const changed = svc ? drift(activeConfig(svc), d) : [];
      // Same configuration, but its rollout failed (e.g. a secret it could not read yet): deploy it again.
      const after = svc ? await update(ctx, svc, d, changed, state) : await create(ctx, d, state);
      const what = svc ? `updated (${changed.join(", ") || "redeployed after a failed rollout"})` : "created";
      const detail = `${what} ${publicUrl(after) ?? privateUrl(after) ?? d.name} (${shortId(image.remote!.digest)})`;
      record(ctx, after, detail);
      return detail;
    },
  };
}
