// One reading of "does this resource policy make the function URL public", for deploy and doctor
// alike: by what the statements grant (anyone, the action, the condition AWS writes), never by Sid,
// so the two cannot disagree about the same policy. Since October 2025 a public URL needs both
// grants (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html, aws-apis.md §4.5):
//   lambda:InvokeFunctionUrl  with  StringEquals lambda:FunctionUrlAuthType = NONE
//   lambda:InvokeFunction     with  Bool lambda:InvokedViaFunctionUrl = true
import { getPolicy } from "../../aws/lambda-url.js";
import type { Context } from "../../steps/types.js";

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface UrlGrants {
  /** lambda:InvokeFunctionUrl for anyone, when the URL's auth type is NONE. */
  url: boolean;
  /** lambda:InvokeFunction for anyone, when invoked through the function URL. */
  invoke: boolean;
  /** Sids of the statements that grant either: what to remove to make the URL private again. */
  sids: string[];
}

const anyone = (s: PolicyStatement) => s.Principal === "*" || (s.Principal as { AWS?: unknown } | undefined)?.AWS === "*";
const allows = (s: PolicyStatement, action: string) =>
  s.Effect !== "Deny" && [s.Action].flat().some((a) => a === action || a === "lambda:*" || a === "*");
const condition = (s: PolicyStatement, op: string, key: string) => {
  // Condition keys are case-insensitive in IAM; AWS writes these two in this case.
  const pairs = s.Condition?.[op] ?? {};
  const hit = Object.keys(pairs).find((k) => k.toLowerCase() === key.toLowerCase());
  return hit === undefined ? undefined : String(pairs[hit]);
};

const grantsUrl = (s: PolicyStatement) =>
  anyone(s) && allows(s, "lambda:InvokeFunctionUrl") && condition(s, "StringEquals", "lambda:FunctionUrlAuthType") === "NONE";
const grantsInvokeViaUrl = (s: PolicyStatement) =>
  anyone(s) && allows(s, "lambda:InvokeFunction") && condition(s, "Bool", "lambda:InvokedViaFunctionUrl")?.toLowerCase() === "true";

export function urlGrants(statements: PolicyStatement[]): UrlGrants {
  const granting = statements.filter((s) => grantsUrl(s) || grantsInvokeViaUrl(s));
  return {
    url: statements.some(grantsUrl),
    invoke: statements.some(grantsInvokeViaUrl),
    sids: granting.map((s) => s.Sid).filter((sid): sid is string => !!sid),
  };
}

export function policyStatements(policyJson: string | undefined): PolicyStatement[] {
  if (!policyJson) return [];
  const statement = JSON.parse(policyJson).Statement ?? [];
  return Array.isArray(statement) ? statement : [statement];
}

/** The resource policy of the alias the URL serves ([] when it has none). */
export async function readUrlPolicy(ctx: Context, FunctionName: string, Qualifier: string): Promise<PolicyStatement[]> {
  return policyStatements(await getPolicy(ctx.aws, FunctionName, Qualifier));
}
