// `deploy ecs`: preflight → roles → create or update the Express Mode service → smoke test.
// aws-apis.md §6. The service is found by name and compared with the config; nothing is written
// when it already runs this digest with this configuration.
import { DeployError } from "../../errors.js";
import { shortId } from "../../steps/build.js";
import { roleName } from "../../steps/iam-role.js";
import type { Context, ImageState, PlannedAction, Step } from "../../steps/types.js";
import { pushedDigest, serviceStep as lifecycleStep } from "../service/lifecycle.js";
import { findService, IN_FLIGHT } from "./api.js";
import type { EcsRun } from "./roles.js";
import { ecsService } from "./service.js";
import {
  activeConfig, createInput, desired, dockerArch, ecsArch, EXEC_ROLE_PURPOSE, imageRef,
  INFRA_ROLE_PURPOSE, PREVIOUS_IMAGE_TAG, targetConfig, updateInput, wantedArch,
} from "./spec.js";

export { roleSteps, type EcsRun } from "./roles.js";

export function preflightStep(image: ImageState, state: EcsRun): Step {
  return {
    id: "ecs.preflight",
    group: "ecs",
    // A check (and reads): a dry run makes it as a real run does.
    dryRun: "live",
    title: () => "Check the image suits the ECS service",
    describe: (ctx) => [{
      kind: "check", command: `image architecture is linux/${dockerArch(wantedArch(ctx.config))}`,
      note: ctx.config.image.platform ? "from image.platform" : "X86_64 unless the service already runs ARM64 (ECS.DescribeServices, ECS.DescribeExpressGatewayService)",
    }],
    async run(ctx) {
      const digest = pushedDigest(image, "ecs");
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
      return `linux/${arch} (${want}) ${shortId(digest)}`;
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

/** Find → settle → compare → create | update → wait → record, with ECS's parts (service.ts). */
export function serviceStep(image: ImageState, state: EcsRun): Step {
  const want = (ctx: Context) => {
    if (!state.execRoleArn || !state.infraRoleArn) throw new Error("ecs: roles not resolved before the service step");
    return desired(ctx.config, imageRef(image), { exec: state.execRoleArn, infra: state.infraRoleArn },
      state.arch ?? wantedArch(ctx.config, activeConfig(state.existing)));
  };
  return lifecycleStep(image, state, {
    ...ecsService(state, want),
    title: (ctx) => `Deploy ECS Express service ${targetConfig(ctx.config).service}`,
    plan: (ctx) => plan(ctx, image, state),
  });
}
