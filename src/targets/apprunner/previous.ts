// The image the service ran before the last logship deploy, from the logship:previous-image tag
// logship sets on update (read back for `logship rollback apprunner`; no local state).
import { findService, serviceTag } from "../../aws/apprunner.js";
import type { Context } from "../../steps/types.js";

export async function apprunnerPreviousImage(ctx: Context): Promise<string | undefined> {
  const name = ctx.config.targets.apprunner?.service;
  const found = name ? await findService(ctx.aws, name) : undefined;
  if (!found) return undefined;
  return serviceTag(ctx.aws, found.arn, "logship:previous-image");
}
