// The image the service ran before the last logship deploy, from the logship:previous-image tag
// logship sets on update (read back for `logship rollback apprunner`; no local state).
import { findService } from "./api.js";
import type { Context } from "../types.js";

export async function apprunnerPreviousImage(ctx: Context): Promise<string | undefined> {
  const name = ctx.config.targets.apprunner?.service;
  const found = name ? await findService(ctx, name) : undefined;
  if (!found) return undefined;
  const sdk = await import("@aws-sdk/client-apprunner");
  const tags = await (await ctx.aws.apprunner()).send(new sdk.ListTagsForResourceCommand({ ResourceArn: found.arn }));
  return tags.Tags?.find((t) => t.Key === "logship:previous-image")?.Value;
}
