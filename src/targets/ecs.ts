// The ECS Express Mode target (aws-apis.md §6): App Runner's successor for new AWS accounts.
// Runs the pushed image by digest behind the load balancer and HTTPS endpoint ECS provisions.
import { preflightStep, roleSteps, serviceStep, type EcsRun } from "../steps/ecs/deploy.js";
import { ecsDestroySteps } from "../steps/ecs/destroy.js";
import { smokeStep, type SmokeDeps } from "../steps/ecs/smoke.js";
import { ecsStatus } from "../steps/ecs/status.js";
import { ecsPreviousImage } from "../steps/ecs/previous.js";
import type { Context, ImageState, Step } from "../steps/types.js";
import type { Target } from "./types.js";

/** Preflight first: nothing is written for an image the service cannot run. */
export function ecsDeploySteps(ctx: Context, image: ImageState, deps: SmokeDeps = {}): Step[] {
  const state: EcsRun = {};
  return [preflightStep(image, state), ...roleSteps(ctx, state), serviceStep(image, state), smokeStep(deps)];
}

export const ecs: Target = {
  needsRegistry: true,
  deploySteps: (ctx, image) => ecsDeploySteps(ctx, image),
  destroySteps: ecsDestroySteps,
  status: ecsStatus,
  previousImage: ecsPreviousImage,
};
