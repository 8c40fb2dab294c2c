// `deploy apprunner`: preflight → access role → create or update the service → smoke test.
// aws-apis.md §5. The service is found by name and compared with the config; nothing is written
// when it already runs this digest with this configuration.
import { DeployError } from "../../errors.js";
import { shortId } from "../../steps/build.js";
import { roleName } from "../../steps/iam-role.js";
import type { Context, ImageState, PlannedAction, Step } from "../../steps/types.js";
import { pushedDigest, serviceStep as lifecycleStep } from "../service/lifecycle.js";
import { ACCESS_ROLE_PURPOSE, type DeployState } from "./roles.js";
import { appRunnerService } from "./service.js";
import { createInput, desired, imageIdentifier, plannedIdentifier, targetConfig, updateInput } from "./spec.js";

export { ACCESS_ROLE_PURPOSE, accessRoleSteps, ECR_ACCESS_POLICY, type DeployState } from "./roles.js";

export function preflightStep(image: ImageState): Step {
  return {
    id: "apprunner.preflight",
    group: "apprunner",
    // A check (and reads): a dry run makes it as a real run does.
    dryRun: "live",
    title: () => "Check the image suits App Runner",
    describe: () => [{ kind: "check", command: "image architecture is amd64", note: "App Runner runs linux/amd64 images only" }],
    async run() {
      const arch = image.architecture ?? image.spec.platform.split("/")[1];
      if (arch !== "amd64") {
        throw new DeployError(
          `App Runner runs linux/amd64 images only, and ${image.localRefs[0] ?? image.spec.name} is linux/${arch}`,
          "rebuild with --platform linux/amd64 (or set image.platform: linux/amd64 in logship.yaml) and push again",
        );
      }
      return `linux/amd64 ${shortId(pushedDigest(image, "apprunner"))}`;
    },
  };
}

function plan(ctx: Context, image: ImageState, state: DeployState): PlannedAction[] {
  const name = targetConfig(ctx.config).service;
  const role = state.accessRoleArn ?? `<ARN of role ${roleName(ctx.config.app, ACCESS_ROLE_PURPOSE)}>`;
  const d = desired(ctx.config, plannedIdentifier(image), role);
  const arn = `<ARN of service ${name}>`;
  const all = { image: true, source: [], instance: ["all"], healthCheck: ["all"] };
  return [
    { kind: "aws", command: "AppRunner.ListServices", input: { MaxResults: 20 }, note: `find ${name}, every page` },
    { kind: "aws", command: "AppRunner.DescribeService", input: { ServiceArn: arn }, note: "if it exists; waits while OPERATION_IN_PROGRESS" },
    { kind: "aws", command: "AppRunner.CreateService", input: createInput(d, ctx.config.app, image.remote?.digest ?? "<digest>"), note: "if it does not exist" },
    {
      kind: "aws", command: "AppRunner.TagResource", note: "if the image changed",
      input: { ResourceArn: arn, Tags: [{ Key: "logship:previous-image", Value: "<image it runs now>" }, { Key: "logship:image", Value: image.remote?.digest ?? "<digest>" }] },
    },
    { kind: "aws", command: "AppRunner.UpdateService", input: updateInput(arn, d, all), note: "if the image or configuration differ (only the parts that do)" },
    { kind: "aws", command: "AppRunner.ListOperations", input: { ServiceArn: arn }, note: "until the operation SUCCEEDED; a rollback is a failure" },
  ];
}

/** Find → settle → compare → create | update → wait → record, with App Runner's parts (service.ts). */
export function serviceStep(image: ImageState, state: DeployState): Step {
  const want = (ctx: Context) => {
    if (!state.accessRoleArn) throw new Error("apprunner: access role not resolved before the service step");
    return desired(ctx.config, imageIdentifier(image)!, state.accessRoleArn);
  };
  return lifecycleStep(image, state, {
    ...appRunnerService(image, state, want),
    title: (ctx) => `Deploy App Runner service ${targetConfig(ctx.config).service}`,
    plan: (ctx) => plan(ctx, image, state),
  });
}
