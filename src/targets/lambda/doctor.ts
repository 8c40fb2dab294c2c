// doctor's audit of the Lambda target: the public function URL's two permissions (--fix adds the missing one).
import { PUBLIC_INVOKE_SID } from "./shared.js";
import { getFunctionUrlConfig, getPolicy, lambdaUrlCalls } from "../../aws/lambda-url.js";
import { execute } from "../../aws/execute.js";
import { policyStatements, urlGrants } from "./url-policy.js";
import type { Context } from "../../steps/types.js";
import type { Finding } from "../../doctor/finding.js";

/** Since Oct 2025 a public URL needs InvokeFunctionUrl (auth NONE) AND InvokeFunction (via URL); read
 * as deploy reads it (./url-policy.ts), so the two agree about any policy. aws-apis.md §4.5. */
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
      await execute(ctx, lambdaUrlCalls.addPermission({
        FunctionName: t.function, Qualifier: t.alias, StatementId: PUBLIC_INVOKE_SID, Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true,
      }), () => undefined);
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
