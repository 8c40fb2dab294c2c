// doctor: AWS identity and region. The audits of what is deployed live with their targets
// (Target.audit, src/targets/<name>/doctor.ts).
import { getCallerIdentity } from "../aws/sts.js";
import { hintOf } from "../errors.js";
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
