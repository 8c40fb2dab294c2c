// `deploy ecs`: preflight → roles → create or update the Express Mode service → smoke test.
// aws-apis.md §6. The service is found by name and compared with the config; nothing is written
// when it already runs this digest with this configuration.
import type { ECSExpressGatewayService, ExpressCpuArchitecture } from "@aws-sdk/client-ecs";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { retryOn } from "../../util/retry.js";
import { shortId } from "../build.js";
import { ensureRoleStep, roleName } from "../iam-role.js";
import type { Context, ImageState, PlannedAction, Step } from "../types.js";
import { secretsPolicyStep } from "./secrets.js";
import { consoleHint, failedRollout, findService, IN_FLIGHT, lookup, waitDeployed, waitGone, waitIdle } from "./api.js";
import {
  activeConfig, createInput, desired, dockerArch, drift, ecsArch, EXEC_POLICY, EXEC_ROLE_PURPOSE, imageRef, INFRA_POLICY,
  INFRA_ROLE_PURPOSE, PREVIOUS_IMAGE_TAG, privateUrl, publicUrl, targetConfig, updateInput, wantedArch, type Desired,
} from "./spec.js";

/** What the steps of one deploy hand each other. */
export interface EcsRun {
  execRoleArn?: string;
  infraRoleArn?: string;
  /** True when this run created a role: CreateExpressGatewayService may meet IAM propagation delay. */
  roleCreated?: boolean;
  arch?: ExpressCpuArchitecture;
  /** The service as found by the check (undefined: none). */
  existing?: ECSExpressGatewayService;
  /** Why its last rollout failed, when it did. */
  failed?: string;
}

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

/** The execution and infrastructure roles: the configured ARNs, or ones logship ensures. */
export function roleSteps(ctx: Context, state: EcsRun): Step[] {
  const t = targetConfig(ctx.config);
  const steps: Step[] = [];
  if (t.executionRoleArn) state.execRoleArn = t.executionRoleArn;
  else {
    const name = roleName(ctx.config.app, EXEC_ROLE_PURPOSE);
    steps.push(ensureRoleStep({
      name, principal: "ecs-tasks.amazonaws.com", policies: [EXEC_POLICY],
      group: "ecs", description: "ECS pulls the image, reads secrets and writes logs",
    }, (r) => { state.execRoleArn = r.arn; state.roleCreated ||= r.created; }));
    if (Object.keys(t.secrets).length) steps.push(secretsPolicyStep(name));
  }
  if (t.infrastructureRoleArn) state.infraRoleArn = t.infrastructureRoleArn;
  else {
    steps.push(ensureRoleStep({
      name: roleName(ctx.config.app, INFRA_ROLE_PURPOSE), principal: "ecs.amazonaws.com", policies: [INFRA_POLICY],
      group: "ecs", description: "ECS Express manages the load balancer, scaling and networking",
    }, (r) => { state.infraRoleArn = r.arn; state.roleCreated ||= r.created; }));
  }
  return steps;
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

/** A role this run created may not be assumable yet; the exact error is UNCONFIRMED (aws-apis.md §6.1), so match loosely. */
const isPropagation = (e: unknown) =>
  ["InvalidParameterException", "AccessDeniedException", "ClientException"].includes(errName(e)) &&
  /role|assume|trust|passrole/i.test(String((e as Error)?.message));

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
  const { CreateExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  const ecs = await ctx.aws.ecs();
  const since = new Date();
  const out = await retryOn(() => ecs.send(new CreateExpressGatewayServiceCommand(createInput(d, ctx.config.app))),
    (e) => !!state.roleCreated && isPropagation(e),
    { tries: 8, signal: ctx.signal, onRetry: () => ctx.progress("the new IAM roles are not usable yet, retrying") },
  ).catch((e) => explainCreate(e, d, ctx));
  const svc = out.service;
  if (!svc?.serviceArn) throw new DeployError(`ECS did not return the new service ${d.name}`, consoleHint(d.cluster, d.name));
  ctx.progress(`created ${d.name}; waiting for its first deployment`);
  return waitDeployed(ctx, { cluster: d.cluster, name: d.name, serviceArn: svc.serviceArn }, since, activeConfig(svc)?.serviceRevisionArn);
}

async function update(ctx: Context, svc: ECSExpressGatewayService, d: Desired, changed: string[]): Promise<ECSExpressGatewayService> {
  const sdk = await import("@aws-sdk/client-ecs");
  const ecs = await ctx.aws.ecs();
  const previous = activeConfig(svc)?.primaryContainer?.image;
  if (changed.includes("image") && previous) {
    // What ran before, for `logship rollback` (AWS is the state: DESIGN.md). Update takes no tags (§6.3).
    await ecs.send(new sdk.TagResourceCommand({ resourceArn: svc.serviceArn, tags: [{ key: PREVIOUS_IMAGE_TAG, value: previous }] }));
  }
  const since = new Date();
  const out = await ecs.send(new sdk.UpdateExpressGatewayServiceCommand(updateInput(svc.serviceArn!, d)));
  ctx.progress(`updating ${d.name}: ${changed.join(", ")}`);
  return waitDeployed(ctx, { cluster: d.cluster, name: d.name, serviceArn: svc.serviceArn! }, since, out.service?.targetConfiguration?.serviceRevisionArn);
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
      if (svc && !changed.length) ctx.progress(`deploying again: ${state.failed}`);
      const after = svc ? await update(ctx, svc, d, changed) : await create(ctx, d, state);
      const what = svc ? `updated (${changed.join(", ") || "redeployed after a failed rollout"})` : "created";
      const detail = `${what} ${publicUrl(after) ?? privateUrl(after) ?? d.name} (${shortId(image.remote!.digest)})`;
      record(ctx, after, detail);
      return detail;
    },
  };
}
