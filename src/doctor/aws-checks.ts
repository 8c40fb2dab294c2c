// doctor: AWS identity and region; audits of what is deployed (read-only unless --fix).
import { PUBLIC_INVOKE_SID } from "../steps/lambda/shared.js";
import { getCallerIdentity } from "../aws/sts.js";
import { addPermission, getFunctionUrlConfig, getPolicy } from "../aws/lambda-url.js";
import { describeService, findService } from "../aws/apprunner.js";
import { hintOf } from "../errors.js";
import { policyStatements, urlGrants } from "../steps/lambda/url-policy.js";
import type { Context } from "../steps/types.js";
import type { Finding } from "./finding.js";

export async function identityChecks(ctx: Context): Promise<{ findings: Finding[]; ok: boolean }> {
  let region: string;
  try {
    region = await ctx.aws.region();
  } catch (e) {
    return { ok: false, findings: [{ id: "aws.region", severity: "error", what: (e as Error).message, fix: hintOf(e) }] };
  }
  const findings: Finding[] = [{ id: "aws.region", severity: "ok", what: `region ${region} (from ${ctx.loaded.regionSource ?? "the profile"})` }];
  try {
    const me = await getCallerIdentity(ctx.aws);
    findings.push({ id: "aws.identity", severity: "ok", what: `AWS account ${me.Account} as ${me.Arn}` });
    return { findings, ok: true };
  } catch (e) {
    const { explainAwsError } = await import("../aws/errors.js");
    const err = explainAwsError(e) ?? (e as Error);
    findings.push({ id: "aws.identity", severity: "error", what: err.message, fix: hintOf(err) });
    return { findings, ok: false };
  }
}

/** Since Oct 2025 a public URL needs InvokeFunctionUrl (auth NONE) AND InvokeFunction (via URL); read
 * as deploy reads it (src/steps/lambda/url-policy.ts), so the two agree about any policy. aws-apis.md §4.5. */
export function missingUrlPermissions(policyJson: string | undefined): { urlPermission: boolean; invokePermission: boolean } {
  const grants = urlGrants(policyStatements(policyJson));
  return { urlPermission: !grants.url, invokePermission: !grants.invoke };
}

export async function lambdaUrlAudit(ctx: Context, fix: boolean): Promise<Finding[]> {
  const t = ctx.config.targets.lambda;
  if (!t) return [];
  const url = await getFunctionUrlConfig(ctx.aws, t.function, t.alias);
  if (!url) return [{ id: "lambda.url", severity: "info", what: `lambda: no function URL on ${t.function}:${t.alias} yet` }];
  const auth = url.AuthType;
  if (auth !== "NONE") return [{ id: "lambda.url", severity: "ok", what: `lambda: function URL uses ${auth} auth` }];
  const policy = await getPolicy(ctx.aws, t.function, t.alias);
  const missing = missingUrlPermissions(policy);
  const findings: Finding[] = [];
  if (missing.invokePermission) {
    const f: Finding = {
      id: "lambda.url-invoke-permission", severity: "error",
      what: `lambda: the public function URL of ${t.function}:${t.alias} lacks the lambda:InvokeFunction permission`,
      why: "since October 2025 a public URL needs both InvokeFunctionUrl and InvokeFunction; older URLs lost their exception on 1 November 2026 and answer 403",
      fix: "run `logship doctor --fix` (adds exactly that permission), or redeploy with `logship deploy lambda`",
    };
    if (fix) {
      await addPermission(ctx.aws, {
        FunctionName: t.function, Qualifier: t.alias, StatementId: PUBLIC_INVOKE_SID, Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true,
      });
      f.fixed = true;
    }
    findings.push(f);
  }
  if (missing.urlPermission) {
    findings.push({
      id: "lambda.url-permission", severity: "error",
      what: `lambda: the public function URL of ${t.function}:${t.alias} lacks the lambda:InvokeFunctionUrl permission`,
      why: "without it every request answers 403", fix: "redeploy with `logship deploy lambda` (url.public: true adds both permissions)",
    });
  }
  if (!findings.length) findings.push({ id: "lambda.url", severity: "ok", what: "lambda: public function URL has both permissions" });
  return findings;
}

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
