// Ensure an IAM role that an AWS service assumes, with AWS managed policies attached: the one
// mechanism for the Lambda execution role, App Runner's ECR access role and ECS's two roles.
// - Reused when it exists, but only if its trust policy lets the service assume it (else an error
//   that names the principal: deploying with it would fail later, less clearly).
// - Managed policy ARNs are built in the role's own partition (arn:aws-cn:…, arn:aws-us-gov:…), read
//   from the ARN that GetRole (or CreateRole) answers: a role lives in its account's partition
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html), so no STS call is needed
//   and a no-op deploy makes none.
// - `changed` tells the caller it created the role or attached a policy: the service may not be able
//   to use it for a while (IAM propagation), so callers retry while it is true.
import { attachedPolicies, getRole, iamCalls, type Role } from "../aws/iam.js";
import { changing } from "../aws/call.js";
import { execute } from "../aws/execute.js";
import { managedPolicyArn, partitionOfArn } from "../aws/partition.js";
import { DeployError } from "../errors.js";
import { trustPolicy, type RoleResult } from "./iam-role.js";
import { trustedServices, trusts } from "./iam-trust.js";
import type { Step } from "./types.js";

export interface ManagedRoleSpec {
  /** Role name, e.g. logship-myapp-lambda-exec. */
  name: string;
  /** Service principal, e.g. lambda.amazonaws.com. */
  principal: string;
  /** Managed policy paths after "policy/": "service-role/AmazonECSTaskExecutionRolePolicy". */
  managedPolicies: string[];
  /** Which target it serves (for the report group). */
  group: string;
  description: string;
  /** Step id (default "iam.ensure-role"): a target with two roles gives each its own. */
  id?: string;
}

function refuseTrust(spec: ManagedRoleSpec, role: Role): DeployError {
  const others = trustedServices(role);
  return new DeployError(
    `IAM role ${spec.name} exists but does not let ${spec.principal} assume it ` +
      `(its trust policy ${others.length ? `names ${others.join(", ")}` : "names no service"})`,
    `allow ${spec.principal} in its trust policy: aws iam update-assume-role-policy --role-name ${spec.name} ` +
      `--policy-document '${trustPolicy(spec.principal)}' (or delete the role and logship creates it, or configure another role ARN)`,
  );
}

/** The role CreateRole would make, for a dry run: IAM names the account, which no read here told. */
const plannedRole = (RoleName: string): Role => ({ RoleName, Arn: `arn:aws:iam::<account>:role/${RoleName}`, Path: "/", RoleId: "<new>", CreateDate: new Date(0) });

export function ensureManagedRoleStep(spec: ManagedRoleSpec, onRole: (r: RoleResult) => void): Step {
  const policies = (partition: string) => spec.managedPolicies.map((p) => managedPolicyArn(partition, p));
  const forRole = (arn: string) => policies(partitionOfArn(arn) ?? "aws");
  const checkTrust = (role: Role) => {
    if (!trusts(role, spec.principal)) throw refuseTrust(spec, role);
  };
  let seen: { role: Role | undefined; attached?: string[] } | undefined;
  return {
    id: spec.id ?? "iam.ensure-role",
    group: spec.group,
    dryRun: "live",
    title: () => `Ensure IAM role ${spec.name} (${spec.description})`,
    describe: (ctx) => [
      { kind: "aws", command: "IAM.GetRole", input: { RoleName: spec.name }, note: `reused only if it trusts ${spec.principal}` },
      {
        kind: "aws", command: "IAM.CreateRole", note: "only if it does not exist",
        input: { RoleName: spec.name, AssumeRolePolicyDocument: trustPolicy(spec.principal), Tags: [{ Key: "logship:app", Value: ctx.config.app }] },
      },
      ...policies("aws").map((PolicyArn) => ({
        kind: "aws" as const, command: "IAM.AttachRolePolicy", input: { RoleName: spec.name, PolicyArn },
        note: "only if not attached; in the role's partition",
      })),
    ],
    async isDone(ctx) {
      const role = await getRole(ctx.aws, spec.name);
      seen = { role };
      if (!role?.Arn) return false;
      checkTrust(role);
      const attached = await attachedPolicies(ctx.aws, spec.name);
      seen.attached = attached;
      if (!forRole(role.Arn).every((p) => attached.includes(p))) return false;
      onRole({ arn: role.Arn, created: false, changed: false });
      return `exists: ${role.Arn}`;
    },
    async run(ctx) {
      // What isDone just read, so a role that needs a policy is not read twice.
      const read = seen;
      seen = undefined;
      let role = read ? read.role : await getRole(ctx.aws, spec.name);
      let created = false;
      if (!role) {
        const made = await execute(ctx, iamCalls.createRole({
          RoleName: spec.name,
          AssumeRolePolicyDocument: trustPolicy(spec.principal),
          Description: `logship: ${spec.description} for ${ctx.config.app}`,
          Tags: [{ Key: "logship:app", Value: ctx.config.app }],
        }), () => ({ role: plannedRole(spec.name) }));
        // A concurrent run created it first: use theirs, as any existing role.
        if (made === "exists") role = await getRole(ctx.aws, spec.name);
        else {
          role = made.role;
          created = true;
        }
      }
      if (!role?.Arn) throw new DeployError(`IAM role ${spec.name} could not be read back`, "re-run; if it persists, check iam:GetRole");
      if (!created) checkTrust(role);
      // A role created this moment has no policies: nothing to list.
      const attached = created ? [] : read?.attached && read.role === role ? read.attached : await attachedPolicies(ctx.aws, spec.name);
      const missing = forRole(role.Arn).filter((p) => !attached.includes(p));
      for (const PolicyArn of missing) {
        await execute(ctx, changing(iamCalls.attachRolePolicy(spec.name, PolicyArn), [`attach ${PolicyArn.split("/").pop()}`]), () => undefined);
      }
      onRole({ arn: role.Arn, created, changed: created || missing.length > 0 });
      if (created) return `created ${role.Arn}`;
      return missing.length ? `attached ${missing.map((p) => p.split("/").pop()).join(", ")} to ${role.Arn}` : `exists: ${role.Arn}`;
    },
  };
}
