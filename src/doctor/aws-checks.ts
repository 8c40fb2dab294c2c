// doctor: AWS identity and region; audits of what is deployed (read-only unless --fix).
import { PUBLIC_INVOKE_SID } from "../steps/lambda/shared.js";
import { policyStatements, urlGrants } from "../steps/lambda/url-policy.js";
import type { Context } from "../steps/types.js";
import type { Finding } from "./finding.js";

export async function identityChecks(ctx: Context): Promise<{ findings: Finding[]; ok: boolean }> {
  let region: string;
  try {
    region = await ctx.aws.region();
  } catch (e) {
    return { ok: false, findings: [{ id: "aws.region", severity: "error", what: (e as Error).message, fix: (e as { hint?: string }).hint }] };
  }
  const findings: Finding[] = [{ id: "aws.region", severity: "ok", what: `region ${region} (from ${ctx.loaded.regionSource ?? "the profile"})` }];
  try {
    const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
    const me = await (await ctx.aws.sts()).send(new GetCallerIdentityCommand({}));
    findings.push({ id: "aws.identity", severity: "ok", what: `AWS account ${me.Account} as ${me.Arn}` });
    return { findings, ok: true };
  } catch (e) {
    const { explainAwsError } = await import("../aws/errors.js");
    const err = explainAwsError(e) ?? (e as Error);
    findings.push({ id: "aws.identity", severity: "error", what: err.message, fix: (err as { hint?: string }).hint });
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
  const sdk = await import("@aws-sdk/client-lambda");
  const lambda = await ctx.aws.lambda();
  const target = { FunctionName: t.function, Qualifier: t.alias };
  let auth: string | undefined;
  try {
    auth = (await lambda.send(new sdk.GetFunctionUrlConfigCommand(target))).AuthType;
  } catch (e) {
    if ((e as Error).name === "ResourceNotFoundException") return [{ id: "lambda.url", severity: "info", what: `lambda: no function URL on ${t.function}:${t.alias} yet` }];
    throw e;
  }
  if (auth !== "NONE") return [{ id: "lambda.url", severity: "ok", what: `lambda: function URL uses ${auth} auth` }];
  let policy: string | undefined;
  try {
    policy = (await lambda.send(new sdk.GetPolicyCommand(target))).Policy;
  } catch (e) {
    if ((e as Error).name !== "ResourceNotFoundException") throw e;
  }
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
      await lambda.send(new sdk.AddPermissionCommand({
        ...target, StatementId: PUBLIC_INVOKE_SID, Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true,
      }));
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
  const sdk = await import("@aws-sdk/client-apprunner");
  const client = await ctx.aws.apprunner();
  let NextToken: string | undefined;
  do {
    const page = await client.send(new sdk.ListServicesCommand({ NextToken }));
    const hit = page.ServiceSummaryList?.find((s) => s.ServiceName === t.service);
    if (hit?.ServiceArn) {
      const svc = (await client.send(new sdk.DescribeServiceCommand({ ServiceArn: hit.ServiceArn }))).Service;
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
    NextToken = page.NextToken;
  } while (NextToken);
  return [{ id: "apprunner.service", severity: "info", what: `apprunner: service ${t.service} is not deployed yet` }];
}
