// IAM roles an AWS service assumes: the shared pieces (name, trust policy, paged reads) and the
// deletion step. Ensuring one is src/steps/managed-role.ts. `destroy --with-roles` deletes a role,
// but only one logship tagged for this app. aws-apis.md §4.2 (Lambda), §5.1 (App Runner), §6.1 (ECS).
import type { Role } from "@aws-sdk/client-iam";
import { errName } from "../util/err-name.js";
import type { Context, Step } from "./types.js";

export interface RoleResult {
  arn: string;
  /** True when this run created it. */
  created: boolean;
  /** True when this run created it or attached a policy to it: the service may not be able to use it
   * yet (IAM propagation), so callers retry their create/update while this is true. */
  changed: boolean;
}

export const trustPolicy = (principal: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: principal }, Action: "sts:AssumeRole" }],
  });

/** IAM role names: 1–64 of [\w+=,.@-]. App names are short and safe; trim to fit. */
export const roleName = (app: string, purpose: string) => `logship-${app}-${purpose}`.slice(0, 64);

/**
 * Every page of a List* call that pages with Marker / IsTruncated, as ListAttachedRolePolicies and
 * ListRolePolicies do (at most 100 items a page by default, "IsTruncated: true" while more follow:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html).
 */
async function allPages<T>(page: (Marker?: string) => Promise<{ items: T[]; IsTruncated?: boolean; Marker?: string }>): Promise<T[]> {
  const out: T[] = [];
  let Marker: string | undefined;
  do {
    const p = await page(Marker);
    out.push(...p.items);
    Marker = p.IsTruncated ? p.Marker : undefined;
  } while (Marker);
  return out;
}

export async function attachedPolicies(ctx: Context, RoleName: string): Promise<string[]> {
  const { ListAttachedRolePoliciesCommand } = await import("@aws-sdk/client-iam");
  const iam = await ctx.aws.iam();
  return allPages(async (Marker) => {
    const out = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName, Marker }));
    return { ...out, items: (out.AttachedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean) };
  });
}

export async function inlinePolicies(ctx: Context, RoleName: string): Promise<string[]> {
  const { ListRolePoliciesCommand } = await import("@aws-sdk/client-iam");
  const iam = await ctx.aws.iam();
  return allPages(async (Marker) => {
    const out = await iam.send(new ListRolePoliciesCommand({ RoleName, Marker }));
    return { ...out, items: out.PolicyNames ?? [] };
  });
}

export async function getRole(ctx: Context, RoleName: string): Promise<Role | undefined> {
  const { GetRoleCommand } = await import("@aws-sdk/client-iam");
  try {
    return (await (await ctx.aws.iam()).send(new GetRoleCommand({ RoleName }))).Role;
  } catch (e) {
    if (errName(e) === "NoSuchEntityException") return undefined;
    throw e;
  }
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
      const role = await getRole(ctx, name(ctx));
      if (!role) return "no role";
      const tagged = role.Tags?.some((t) => t.Key === "logship:app" && t.Value === ctx.config.app);
      return tagged ? false : `role ${name(ctx)} was not created by logship for ${ctx.config.app}: left alone`;
    },
    async run(ctx) {
      const sdk = await import("@aws-sdk/client-iam");
      const iam = await ctx.aws.iam();
      const RoleName = name(ctx);
      for (const PolicyArn of await attachedPolicies(ctx, RoleName)) {
        await iam.send(new sdk.DetachRolePolicyCommand({ RoleName, PolicyArn }));
      }
      if (inline) {
        for (const PolicyName of await inlinePolicies(ctx, RoleName)) await iam.send(new sdk.DeleteRolePolicyCommand({ RoleName, PolicyName }));
      }
      await iam.send(new sdk.DeleteRoleCommand({ RoleName }));
      return `deleted ${RoleName}`;
    },
  };
}
