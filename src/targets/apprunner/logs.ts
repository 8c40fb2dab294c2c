// Where an App Runner service's application output goes: one CloudWatch log group per service,
// named after its id, which only AWS knows (read back, never guessed).
import { findService } from "../../aws/apprunner.js";
import { notDeployed } from "../../logs/errors.js";
import type { Context } from "../../steps/types.js";

/** `/aws/apprunner/<service-name>/<service-id>/application`; the id comes from the one service look-up. */
export async function apprunnerLogGroup(ctx: Context): Promise<string> {
  const name = ctx.config.targets.apprunner!.service;
  const found = await findService(ctx.aws, name, ctx.signal);
  if (!found?.id) throw notDeployed("apprunner", `no App Runner service ${name}`);
  return `/aws/apprunner/${name}/${found.id}/application`;
}
