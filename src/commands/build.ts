import { createContext, executePlan, makeReporter, withData } from "./run.js";
import { prepareDocker, prepareImages, requireConfigured } from "./prepare.js";
import { buildSteps } from "./plans.js";
import { parseTargetName } from "../targets/index.js";
import type { ImageOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export async function build(targetNames: string[], opts: ImageOptions, io: Io): Promise<CommandResult> {
  const targets = targetNames.map(parseTargetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  requireConfigured(ctx, targets);
  const images = await prepareImages(ctx, targets);
  await prepareDocker(ctx);
  const result = await executePlan("build", ctx, { sequence: buildSteps(ctx, images) });
  return withData(result, images.map((i) => `${i.localRefs[0]} ${i.imageId}`));
}
