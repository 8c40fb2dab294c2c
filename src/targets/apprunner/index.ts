// The App Runner target (aws-apis.md §5): runs the pushed image by digest.
import { accessRoleSteps, preflightStep, serviceStep, type DeployState } from "./deploy.js";
import { deleteAccessRoleStep, deleteServiceStep } from "./destroy.js";
import { smokeStep, type SmokeDeps } from "./smoke.js";
import { apprunnerStatus } from "./status.js";
import { apprunnerPreviousImage } from "./previous.js";
import { apprunnerLogGroup } from "./logs.js";
import { appRunnerAudit } from "./doctor.js";
import type { Context, ImageState, Step } from "../../steps/types.js";
import type { Target } from "../types.js";
import { destroyList } from "../service/destroy.js";

/** Preflight first: nothing is written for an image App Runner cannot run. */
export function apprunnerDeploySteps(ctx: Context, image: ImageState, deps: SmokeDeps = {}): Step[] {
  const state: DeployState = {};
  return [preflightStep(image), ...accessRoleSteps(ctx, state), serviceStep(image, state), smokeStep(state, deps)];
}

export function apprunnerDestroySteps(ctx: Context): Step[] {
  return destroyList(ctx, [deleteServiceStep()], () => [deleteAccessRoleStep()]);
}

export const apprunner: Target = {
  needsRegistry: true,
  deploySteps: (ctx, image) => apprunnerDeploySteps(ctx, image),
  destroySteps: apprunnerDestroySteps,
  status: apprunnerStatus,
  previousImage: apprunnerPreviousImage,
  logGroup: apprunnerLogGroup,
  audit: { id: "apprunner", run: (ctx) => appRunnerAudit(ctx) },
};
