import { createContext, executePlan, makeReporter, withData } from "./run.js";
import { prepareDocker, prepareImages, requireConfigured, requireLocalImage } from "./prepare.js";
import { pushSteps } from "./plans.js";
import { parseTargetName } from "../targets/index.js";
import type { ImageOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export async function push(targetNames: string[], opts: ImageOptions, io: Io): Promise<CommandResult> {
  const targets = targetNames.map(parseTargetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  requireConfigured(ctx, targets);
  const images = await prepareImages(ctx, targets);
  await prepareDocker(ctx);
  for (const image of images) await requireLocalImage(ctx, image, "push");
  if (!ctx.dryRun && images.some((i) => i.spec.registry.type === "ecr")) await ctx.aws.region();
  const result = await executePlan("push", ctx, { sequence: pushSteps(ctx, images) });
  return withData(result, images.flatMap((i) => (i.remote ? [`${i.remote.repository}@${i.remote.digest}`] : [])));
}
