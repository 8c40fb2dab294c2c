import { createContext, executePlan, makeReporter } from "./run.js";
import { prepareDocker, prepareImages, requireConfigured } from "./prepare.js";
import { buildSteps } from "./plans.js";
import { parseTargetName } from "../targets/index.js";
import type { GlobalOptions, Io } from "./globals.js";

export async function build(targetNames: string[], opts: GlobalOptions, io: Io): Promise<void> {
  const targets = targetNames.map(parseTargetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  requireConfigured(ctx, targets);
  const images = await prepareImages(ctx, targets);
  await prepareDocker(ctx);
  await executePlan("build", ctx, { sequence: buildSteps(ctx, images) }, opts, io);
  if (!ctx.dryRun) for (const i of images) reporter.data(`${i.localRefs[0]} ${i.imageId}`);
}
