// doctor's audit of the deployed App Runner service (read-only): automatic deployments must be off,
// or a push to the tracked tag redeploys outside logship.
import { describeService, findService } from "../../aws/apprunner.js";
import type { Finding } from "../../doctor/finding.js";
import type { Context } from "../../steps/types.js";

export async function appRunnerAudit(ctx: Context): Promise<Finding[]> {
  const t = ctx.config.targets.apprunner;
  if (!t) return [];
  // The one look-up deploy uses (src/aws/apprunner.ts): a DELETED service of that name is not this one.
  const found = await findService(ctx.aws, t.service);
  if (!found) return [{ id: "apprunner.service", severity: "info", what: `apprunner: service ${t.service} is not deployed yet` }];
  const svc = await describeService(ctx.aws, found.arn);
  if (svc?.SourceConfiguration?.AutoDeploymentsEnabled) {
    return [{
      id: "apprunner.auto-deploy", severity: "warning",
      what: `apprunner: automatic deployments are on for ${t.service}`,
      why: "any push to the tracked tag redeploys outside logship, so what runs may not be what you shipped",
      fix: "run `logship deploy apprunner` (it sets AutoDeploymentsEnabled: false and deploys by digest)",
    }];
  }
  return [{ id: "apprunner.auto-deploy", severity: "ok", what: `apprunner: ${t.service} deploys only when logship says so` }];
}
