import { createContext, executePlan, makeReporter, withData } from "./run.js";
import { prepareDocker, prepareImages } from "./prepare.js";
import { buildSteps, deployGroups, imagesToPush, pushSteps } from "./plans.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import { UserError } from "../errors.js";
import type { TargetName } from "../config/schema.js";
import { warnIfStateful } from "../doctor/dockerfile-checks.js";
import type { DeployOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export async function ship(targetNames: string[], opts: DeployOptions, io: Io): Promise<CommandResult> {
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const configured = (Object.keys(ctx.config.targets) as TargetName[]).filter((t) => ctx.config.targets[t]);
  const targets = targetNames.length ? targetNames.map(parseTargetName) : configured;
  if (!targets.length) {
    throw new UserError("no targets to ship to", "name one (`logship ship local`) or add a targets block to logship.yaml");
  }
  for (const t of targets) targetFor(ctx, t);
  const images = await prepareImages(ctx, targets);
  await prepareDocker(ctx);
  await warnIfStateful(ctx, targets);
  const toPush = imagesToPush(ctx, targets);
  if (!ctx.dryRun && toPush.some((i) => i.spec.registry.type === "ecr")) await ctx.aws.region();
  const result = await executePlan(`ship ${targets.join(" ")}`, ctx, {
    sequence: [...buildSteps(ctx, images), ...pushSteps(ctx, toPush)],
    groups: deployGroups(ctx, targets),
    lock: "deploy",
  });
  return withData(result, targets.flatMap((t) => (ctx.targets[t]?.url ? [`${t}: ${ctx.targets[t].url}`] : [])));
}
