// The App Runner target (aws-apis.md §5): runs the pushed image by digest.
import { accessRoleSteps, preflightStep, serviceStep, type DeployState } from "../steps/apprunner/deploy.js";
import { deleteAccessRoleStep, deleteServiceStep } from "../steps/apprunner/destroy.js";
import { smokeStep, type SmokeDeps } from "../steps/apprunner/smoke.js";
import { apprunnerStatus } from "../steps/apprunner/status.js";
import type { Context, ImageState, Step } from "../steps/types.js";
import type { Target } from "./types.js";

/** Preflight first: nothing is written for an image App Runner cannot run. */
export function apprunnerDeploySteps(ctx: Context, image: ImageState, deps: SmokeDeps = {}): Step[] {
  const state: DeployState = {};
  return [preflightStep(image), ...accessRoleSteps(ctx, state), serviceStep(image, state), smokeStep(state, deps)];
}

export function apprunnerDestroySteps(ctx: Context): Step[] {
  return [deleteServiceStep(), ...(ctx.options.withRoles ? [deleteAccessRoleStep()] : [])];
}

export const apprunner: Target = {
  needsRegistry: true,
  deploySteps: (ctx, image) => apprunnerDeploySteps(ctx, image),
  destroySteps: apprunnerDestroySteps,
  status: apprunnerStatus,
};
