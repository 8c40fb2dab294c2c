// The ECS Express Mode target (aws-apis.md §6): App Runner's successor for new AWS accounts.
// Runs the pushed image by digest behind the load balancer and HTTPS endpoint ECS provisions.
import { preflightStep, roleSteps, serviceStep, type EcsRun } from "./deploy.js";
import { ecsDestroySteps } from "./destroy.js";
import { smokeStep, type SmokeDeps } from "./smoke.js";
import { ecsStatus } from "./status.js";
import { ecsPreviousImage } from "./previous.js";
import { ecsLogGroup } from "./logs.js";
import type { Context, ImageState, Step } from "../../steps/types.js";
import type { Target } from "../types.js";

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
  logGroup: ecsLogGroup,
};
