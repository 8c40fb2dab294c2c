// The step lists commands share: build each image, push each image, deploy each target.
import { buildStep } from "../steps/build.js";
import { ensureRepositoryStep, lifecycleStep } from "../steps/ecr.js";
import { ecrLoginStep } from "../steps/login.js";
import { pushStep } from "../steps/push.js";
import { targetFor } from "../targets/index.js";
import { hookSteps } from "../steps/hook.js";
import { resolvePushedImageStep } from "../steps/resolve-image.js";
import type { TargetName } from "../config/schema.js";
import type { Context, ImageState, Step } from "../steps/types.js";

export const buildSteps = (ctx: Context, images: ImageState[]): Step[] =>
  [...hookSteps(ctx, "pre-build"), ...images.map(buildStep)];

export function pushSteps(ctx: Context, images: ImageState[]): Step[] {
  if (!images.length) return [];
  const steps: Step[] = [...hookSteps(ctx, "pre-push")];
  const pushes = images.map(pushStep);
  const ecr = pushes.filter((_, i) => images[i].spec.registry.type === "ecr");
  images.forEach((image, i) => {
    if (image.spec.registry.type === "ecr") steps.push(ensureRepositoryStep(image), lifecycleStep(image, pushes[i]));
  });
  if (ecr.length) steps.push(ecrLoginStep(undefined, ecr));
  return [...steps, ...pushes];
}

/** The image a target runs: its own (Lambda with its own Dockerfile) or the app's. */
export function imageForTarget(ctx: Context, target: TargetName): ImageState {
  return [...ctx.images.values()].find((i) => i.spec.targets.includes(target)) ?? ctx.images.get("app")!;
}

/** `resolve`: no push in this run, so AWS targets first look up what ECR holds for the tag. */
export function deployGroups(ctx: Context, targets: TargetName[], resolve = false): { group: string; steps: Step[] }[] {
  return targets.map((t) => ({
    group: t,
    steps: [
      ...(resolve && targetFor(ctx, t).needsRegistry ? [resolvePushedImageStep(imageForTarget(ctx, t), t)] : []),
      ...hookSteps(ctx, "pre-deploy", t),
      ...targetFor(ctx, t).deploySteps(ctx, imageForTarget(ctx, t)),
      ...hookSteps(ctx, "post-deploy", t),
    ],
  }));
}

/** Images that some remote target needs from a registry (local runs the local image). */
export function imagesToPush(ctx: Context, targets: TargetName[]): ImageState[] {
  const remote = targets.filter((t) => targetFor(ctx, t).needsRegistry);
  return [...ctx.images.values()].filter((i) => i.spec.targets.some((t) => remote.includes(t)));
}
