// `logship destroy <target>`: removes what the target runs. AWS targets ask first (or need --yes),
// and refuse without a terminal to ask on unless --yes is given.
import { createContext, executePlan, makeReporter } from "./run.js";
import { prepareDocker } from "./prepare.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import { deleteRepositoryStep } from "../steps/ecr.js";
import { imagesFor } from "../images.js";
import { UserError } from "../errors.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export interface DestroyOptions extends GlobalOptions {
  withRepository?: boolean;
  withRoles?: boolean;
  yes?: boolean;
}

export async function destroy(targetName: string, opts: DestroyOptions, io: Io): Promise<CommandResult> {
  const target = parseTargetName(targetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const steps = targetFor(ctx, target).destroySteps(ctx);
  if (opts.withRepository) {
    const [image] = imagesFor(ctx.config, ctx.loaded.root, [target]);
    if (image.registry.type !== "ecr") throw new UserError("--with-repository: only ECR repositories can be deleted by logship");
    steps.push(deleteRepositoryStep(image.registry.repository, target));
  }
  if (target === "local") await prepareDocker(ctx);
  else if (!ctx.dryRun && !opts.yes) {
    const what = `${target} of ${ctx.config.app}${opts.withRepository ? " and its ECR repository (every image in it)" : ""}${opts.withRoles ? " and the IAM roles logship created" : ""}`;
    if (!io.interactive || !io.confirm) {
      throw new UserError(`destroy ${target}: refusing to delete ${what} without confirmation`, "pass --yes to confirm (there is no terminal to ask on)");
    }
    if (!(await io.confirm(`Delete ${what} in ${await ctx.aws.region()}? This cannot be undone.`))) {
      throw new UserError(`destroy ${target}: not confirmed; nothing was deleted`);
    }
  }
  return executePlan(`destroy ${target}`, ctx, { sequence: [], groups: [{ group: target, steps }], lock: "destroy" });
}
