import { createContext, executePlan, makeReporter } from "./run.js";
import { prepareDocker, prepareImages, requireLocalImage } from "./prepare.js";
import { deployGroups, imageForTarget } from "./plans.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import { warnIfStateful } from "../doctor/dockerfile-checks.js";
import type { GlobalOptions, Io } from "./globals.js";

export async function deploy(targetName: string, opts: GlobalOptions, io: Io): Promise<void> {
  const target = parseTargetName(targetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  targetFor(ctx, target);
  await prepareImages(ctx, [target]);
  await prepareDocker(ctx);
  await warnIfStateful(ctx, [target]);
  await requireLocalImage(ctx, imageForTarget(ctx, target), "deploy", target !== "local");
  if (target !== "local" && !ctx.dryRun) await ctx.aws.region();
  await executePlan(`deploy ${target}`, ctx, { sequence: [], groups: deployGroups(ctx, [target], true) }, opts, io);
  const url = ctx.targets[target]?.url;
  if (url && !ctx.dryRun) reporter.data(url);
}
