// Ensure an IAM role that an AWS service assumes: trusted by `principal`, with managed policies
// attached. Reused when it exists (policies re-attached if missing); created and tagged otherwise.
// aws-apis.md §4.2 (Lambda), §5.1 (App Runner), §6.1 (ECS).
import type { Context, Step } from "./types.js";

export interface RoleSpec {
  /** Role name, e.g. logship-myapp-lambda-exec. */
  name: string;
  /** Service principal, e.g. lambda.amazonaws.com. */
  principal: string;
  /** Managed policy ARNs to attach. */
  policies: string[];
  /** Which target it serves (for the report group). */
  group: string;
  description: string;
}

export interface RoleResult {
  arn: string;
  /** True when this run created it: callers retry while the new role propagates. */
  created: boolean;
}

export const trustPolicy = (principal: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: principal }, Action: "sts:AssumeRole" }],
  });

/** IAM role names: 1–64 of [\w+=,.@-]. App names are short and safe; trim to fit. */
export const roleName = (app: string, purpose: string) => `logship-${app}-${purpose}`.slice(0, 64);

async function attachedPolicies(ctx: Context, name: string): Promise<string[]> {
  const { ListAttachedRolePoliciesCommand } = await import("@aws-sdk/client-iam");
  const iam = await ctx.aws.iam();
  const arns: string[] = [];
  let Marker: string | undefined;
  do {
    const out = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker }));
    arns.push(...(out.AttachedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean));
    Marker = out.IsTruncated ? out.Marker : undefined;
  } while (Marker);
  return arns;
}

async function getRoleArn(ctx: Context, name: string): Promise<string | undefined> {
  const { GetRoleCommand } = await import("@aws-sdk/client-iam");
  try {
    return (await (await ctx.aws.iam()).send(new GetRoleCommand({ RoleName: name }))).Role?.Arn;
  } catch (e) {
    if ((e as Error).name === "NoSuchEntityException") return undefined;
    throw e;
  }
}

/** `onRole` receives the ARN (and whether it was just created) for the steps after it. */
export function ensureRoleStep(spec: RoleSpec, onRole: (r: RoleResult) => void): Step {
  return {
    id: "iam.ensure-role",
    group: spec.group,
    title: () => `Ensure IAM role ${spec.name} (${spec.description})`,
    describe: (ctx) => [
      { kind: "aws", command: "IAM.GetRole", input: { RoleName: spec.name } },
      {
        kind: "aws", command: "IAM.CreateRole", note: "only if it does not exist",
        input: { RoleName: spec.name, AssumeRolePolicyDocument: trustPolicy(spec.principal), Tags: [{ Key: "logship:app", Value: ctx.config.app }] },
      },
      ...spec.policies.map((PolicyArn) => ({ kind: "aws" as const, command: "IAM.AttachRolePolicy", input: { RoleName: spec.name, PolicyArn }, note: "only if not attached" })),
    ],
    async isDone(ctx) {
      const arn = await getRoleArn(ctx, spec.name);
      if (!arn) return false;
      const attached = await attachedPolicies(ctx, spec.name);
      if (!spec.policies.every((p) => attached.includes(p))) return false;
      onRole({ arn, created: false });
      return `exists: ${arn}`;
    },
    async run(ctx) {
      const sdk = await import("@aws-sdk/client-iam");
      const iam = await ctx.aws.iam();
      let arn = await getRoleArn(ctx, spec.name);
      let created = false;
      if (!arn) {
        try {
          const out = await iam.send(new sdk.CreateRoleCommand({
            RoleName: spec.name,
            AssumeRolePolicyDocument: trustPolicy(spec.principal),
            Description: `logship: ${spec.description} for ${ctx.config.app}`,
            Tags: [{ Key: "logship:app", Value: ctx.config.app }],
          }));
          arn = out.Role!.Arn!;
          created = true;
        } catch (e) {
          // A concurrent run created it first: use theirs.
          if ((e as Error).name !== "EntityAlreadyExistsException") throw e;
          arn = (await getRoleArn(ctx, spec.name))!;
        }
      }
      const attached = await attachedPolicies(ctx, spec.name);
      for (const PolicyArn of spec.policies.filter((p) => !attached.includes(p))) {
        await iam.send(new sdk.AttachRolePolicyCommand({ RoleName: spec.name, PolicyArn }));
      }
      onRole({ arn, created });
      return created ? `created ${arn}` : `attached policies to ${arn}`;
    },
  };
}
