// The task execution role reads targets.ecs.secrets when a task starts, but the managed
// AmazonECSTaskExecutionRolePolicy grants no access to Secrets Manager or SSM Parameter Store
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
// For a role logship manages, an inline policy grants read access to exactly the configured ARNs.
import { changing } from "../../aws/call.js";
import { execute } from "../../aws/execute.js";
import { getRolePolicy, iamCalls } from "../../aws/iam.js";
import type { Context, Step } from "../../steps/types.js";
import { targetConfig } from "./spec.js";

export const SECRETS_POLICY_NAME = "logship-secrets";

/**
 * The IAM resources that grant one valueFrom. A Secrets Manager ARN is
 * arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters AWS appended>, and
 * valueFrom may add :<json-key>:<version-stage>:<version-id> after it
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html):
 * the secret's ARN is the first seven fields. Whether it is complete cannot be told from its last
 * characters: a secret named db-passwd has a partial ARN ending in "-passwd", six characters like
 * AWS's suffix ("Finding a secret from a partial ARN",
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen).
 * So an ARN whose name ends in -XXXXXX is granted as given (complete) and with -?????? (partial);
 * any other is partial and gets -?????? only, matching the suffix AWS appended.
 */
export function secretResources(valueFrom: string): string[] {
  if (!/^arn:[^:]+:secretsmanager:/.test(valueFrom)) return [valueFrom];
  const arn = valueFrom.split(":").slice(0, 7).join(":");
  return /-[A-Za-z0-9]{6}$/.test(arn) ? [arn, `${arn}-??????`] : [`${arn}-??????`];
}

export function secretsPolicy(secrets: Record<string, string>): string {
  const arns = [...new Set(Object.values(secrets))].sort();
  const sm = [...new Set(arns.filter((a) => a.includes(":secretsmanager:")).flatMap(secretResources))].sort();
  const ssm = arns.filter((a) => a.includes(":ssm:"));
  const Statement = [
    ...(sm.length ? [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: sm }] : []),
    ...(ssm.length ? [{ Effect: "Allow", Action: ["ssm:GetParameters"], Resource: ssm }] : []),
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement });
}

/** Only for a role logship ensures (`roleName`) and only when there are secrets. */
export function secretsPolicyStep(roleName: string): Step {
  const want = (ctx: Context) => secretsPolicy(targetConfig(ctx.config).secrets);
  let had: boolean | undefined;
  return {
    id: "ecs.secrets-policy",
    group: "ecs",
    dryRun: "live",
    title: () => `Let ${roleName} read the configured secrets`,
    describe: (ctx) => [
      { kind: "aws", command: "IAM.GetRolePolicy", input: { RoleName: roleName, PolicyName: SECRETS_POLICY_NAME } },
      { kind: "aws", command: "IAM.PutRolePolicy", input: { RoleName: roleName, PolicyName: SECRETS_POLICY_NAME, PolicyDocument: want(ctx) }, note: "if it differs" },
    ],
    async isDone(ctx) {
      const doc = await getRolePolicy(ctx.aws, roleName, SECRETS_POLICY_NAME);
      had = doc !== undefined;
      return doc && JSON.stringify(JSON.parse(doc)) === want(ctx) ? "up to date" : false;
    },
    async run(ctx) {
      const n = Object.keys(targetConfig(ctx.config).secrets).length;
      const change = `inline policy ${SECRETS_POLICY_NAME} ${had ? "changed" : "added"}: read ${n} secret(s)`;
      await execute(ctx, changing(iamCalls.putRolePolicy(roleName, SECRETS_POLICY_NAME, want(ctx)), [change]), () => undefined);
      return `${Object.keys(targetConfig(ctx.config).secrets).length} secret(s)`;
    },
  };
}
