// IAM roles an AWS service assumes: the shared pieces (name, trust policy) and the deletion step
// (the IAM calls are src/aws/iam.ts). Ensuring one is src/steps/managed-role.ts. `destroy --with-roles` deletes a role,
// but only one logship tagged for this app. aws-apis.md §4.2 (Lambda), §5.1 (App Runner), §6.1 (ECS).
import { attachedPolicies, getRole, iamCalls, inlinePolicies } from "../aws/iam.js";
import { execute } from "../aws/execute.js";
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
      const role = await getRole(ctx.aws, name(ctx));
      if (!role) return "no role";
      const tagged = role.Tags?.some((t) => t.Key === "logship:app" && t.Value === ctx.config.app);
      return tagged ? false : `role ${name(ctx)} was not created by logship for ${ctx.config.app}: left alone`;
    },
    async run(ctx) {
      const RoleName = name(ctx);
      const done = () => undefined;
      for (const PolicyArn of await attachedPolicies(ctx.aws, RoleName)) await execute(ctx, iamCalls.detachRolePolicy(RoleName, PolicyArn), done);
      if (inline) {
        for (const PolicyName of await inlinePolicies(ctx.aws, RoleName)) await execute(ctx, iamCalls.deleteRolePolicy(RoleName, PolicyName), done);
      }
      await execute(ctx, iamCalls.deleteRole(RoleName), done);
      return `deleted ${RoleName}`;
    },
  };
}
