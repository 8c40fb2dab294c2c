// `logship status` for App Runner: read back from AWS, no local state.
import type { TargetStatus } from "../types.js";
import type { Context } from "../../steps/types.js";
import { describeService, findService } from "../../aws/apprunner.js";
import { targetConfig, urlOf } from "./spec.js";

export async function apprunnerStatus(ctx: Context): Promise<TargetStatus> {
  const name = targetConfig(ctx.config).service;
  const found = await findService(ctx.aws, name);
  const svc = found && (await describeService(ctx.aws, found.arn));
  if (!svc) return { target: "apprunner", exists: false, detail: `no App Runner service ${name}` };
  return {
    target: "apprunner",
    exists: true,
    state: svc.Status,
    url: urlOf(svc),
    image: svc.SourceConfiguration?.ImageRepository?.ImageIdentifier,
    updatedAt: svc.UpdatedAt?.toISOString(),
    detail: `service ${name}`,
  };
}
