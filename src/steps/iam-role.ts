// Ensure an IAM role that an AWS service assumes: trusted by `principal`, with managed policies
// attached. Reused when it exists (policies re-attached if missing); created and tagged otherwise.
// `destroy --with-roles` deletes it again, but only a role logship tagged for this app.
// aws-apis.md §4.2 (Lambda), §5.1 (App Runner), §6.1 (ECS).
import { errName } from "../util/err-name.js";
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
    if (errName(e) === "NoSuchEntityException") return undefined;
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
          if (errName(e) !== "EntityAlreadyExistsException") throw e;
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

export interface RoleDeletion {
  /** Step id and report group, e.g. "ecs.delete-role-ecs-exec" in "ecs". */
  id: string;
  group: string;
  /** As passed to roleName(): the role is logship-<app>-<purpose>. */
  purpose: string;
  /** A role ARN from logship.yaml: the user's role, so logship's own is not in use and is left alone. */
  configured?: (ctx: Context) => string | undefined;
  /** List and delete inline policies too (IAM refuses to delete a role that still has any). Default true. */
  inlinePolicies?: boolean;
}

/** Deletes logship-<app>-<purpose>, but only when tagged logship:app=<this app>; never someone else's role. */
export function deleteRoleStep(d: RoleDeletion): Step {
  const name = (ctx: Context) => roleName(ctx.config.app, d.purpose);
  const inline = d.inlinePolicies ?? true;
  return {
    id: d.id,
    group: d.group,
    title: (ctx) => `Delete IAM role ${name(ctx)}`,
    describe: (ctx) => [
      { kind: "aws", command: "IAM.GetRole", input: { RoleName: name(ctx) }, note: `only a role tagged logship:app=${ctx.config.app}` },
      { kind: "aws", command: "IAM.DetachRolePolicy", input: { RoleName: name(ctx), PolicyArn: "<each attached policy>" } },
      ...(inline ? [{ kind: "aws" as const, command: "IAM.DeleteRolePolicy", input: { RoleName: name(ctx), PolicyName: "<each inline policy>" } }] : []),
      { kind: "aws", command: "IAM.DeleteRole", input: { RoleName: name(ctx) } },
    ],
    async isDone(ctx) {
      if (d.configured?.(ctx)) return "the role comes from the config";
      const { GetRoleCommand } = await import("@aws-sdk/client-iam");
      try {
        const role = (await (await ctx.aws.iam()).send(new GetRoleCommand({ RoleName: name(ctx) }))).Role;
        const tagged = role?.Tags?.some((t) => t.Key === "logship:app" && t.Value === ctx.config.app);
        return tagged ? false : `role ${name(ctx)} was not created by logship for ${ctx.config.app}: left alone`;
      } catch (e) {
        if (errName(e) === "NoSuchEntityException") return "no role";
        throw e;
      }
    },
    async run(ctx) {
      const sdk = await import("@aws-sdk/client-iam");
      const iam = await ctx.aws.iam();
      const RoleName = name(ctx);
      for (const PolicyArn of await attachedPolicies(ctx, RoleName)) {
        await iam.send(new sdk.DetachRolePolicyCommand({ RoleName, PolicyArn }));
      }
      if (inline) {
        const out = await iam.send(new sdk.ListRolePoliciesCommand({ RoleName }));
        for (const PolicyName of out.PolicyNames ?? []) await iam.send(new sdk.DeleteRolePolicyCommand({ RoleName, PolicyName }));
      }
      await iam.send(new sdk.DeleteRoleCommand({ RoleName }));
      return `deleted ${RoleName}`;
    },
  };
}
