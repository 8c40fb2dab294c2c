// The image the service ran before the last logship deploy, from the logship:previous-image tag
// logship sets on update (read back for `logship rollback ecs`; no local state).
import { expressServiceTags } from "../../aws/ecs.js";
import type { Context } from "../../steps/types.js";
import { findService } from "./api.js";
import { PREVIOUS_IMAGE_TAG, targetConfig } from "./spec.js";

export async function ecsPreviousImage(ctx: Context): Promise<string | undefined> {
  const t = targetConfig(ctx.config);
  const svc = await findService(ctx, t.cluster, t.service);
  // A DRAINING service is being deleted: nothing to roll back to (and Describe may refuse it).
  if (!svc?.serviceArn || svc.status?.statusCode === "DRAINING") return undefined;
  return (await expressServiceTags(ctx.aws, svc.serviceArn)).find((tag) => tag.key === PREVIOUS_IMAGE_TAG)?.value;
}
