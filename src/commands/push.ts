import { createContext, executePlan, makeReporter } from "./run.js";
import { prepareDocker, prepareImages, requireConfigured, requireLocalImage } from "./prepare.js";
import { pushSteps } from "./plans.js";
import { parseTargetName } from "../targets/index.js";
import type { GlobalOptions, Io } from "./globals.js";

export async function push(targetNames: string[], opts: GlobalOptions, io: Io): Promise<void> {
  const targets = targetNames.map(parseTargetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  requireConfigured(ctx, targets);
  const images = await prepareImages(ctx, targets);
  await prepareDocker(ctx);
  for (const image of images) await requireLocalImage(ctx, image, "push");
  if (!ctx.dryRun && images.some((i) => i.spec.registry.type === "ecr")) await ctx.aws.region();
  await executePlan("push", ctx, { sequence: pushSteps(ctx, images) }, opts, io);
  if (!ctx.dryRun) for (const i of images) if (i.remote) reporter.data(`${i.remote.repository}@${i.remote.digest}`);
}
