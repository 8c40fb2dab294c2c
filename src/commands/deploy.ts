import { createContext, executePlan, makeReporter, withData } from "./run.js";
import { prepareDocker, prepareImages, requireLocalImage } from "./prepare.js";
import { deployGroups, imageForTarget } from "./plans.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import { warnIfStateful } from "../doctor/dockerfile-checks.js";
import type { DeployOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export async function deploy(targetName: string, opts: DeployOptions, io: Io): Promise<CommandResult> {
  const target = parseTargetName(targetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  targetFor(ctx, target);
  await prepareImages(ctx, [target]);
  await prepareDocker(ctx);
  await warnIfStateful(ctx, [target]);
  await requireLocalImage(ctx, imageForTarget(ctx, target), "deploy", target !== "local");
  if (target !== "local" && !ctx.dryRun) await ctx.aws.region();
  const result = await executePlan(`deploy ${target}`, ctx, { sequence: [], groups: deployGroups(ctx, [target], true), lock: "deploy" });
  const url = ctx.targets[target]?.url;
  return withData(result, url ? [url] : []);
}
