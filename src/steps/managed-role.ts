// ensureRoleStep for a role whose policies are AWS managed policies, with their ARNs built in the
// caller's partition (src/aws/partition.ts) once the step runs, not hard-coded as arn:aws:.
// It also tells the caller when it wrote anything (created the role or attached a policy): a role
// that just changed may not be usable by the service yet (IAM propagation), so callers retry then.
import { callerPartition, managedPolicyArn } from "../aws/partition.js";
import { ensureRoleStep, type RoleResult, type RoleSpec } from "./iam-role.js";
import type { Step } from "./types.js";

export interface ManagedRoleSpec extends Omit<RoleSpec, "policies"> {
  /** Managed policy paths after "policy/": "service-role/AmazonECSTaskExecutionRolePolicy". */
  managedPolicies: string[];
}

export function ensureManagedRoleStep(spec: ManagedRoleSpec, onRole: (r: RoleResult & { changed: boolean }) => void): Step {
  const build = (partition: string) => ensureRoleStep(
    { ...spec, policies: spec.managedPolicies.map((p) => managedPolicyArn(partition, p)) },
    // isDone reports an existing role untouched; run reports one it created or attached policies to.
    (r) => onRole({ ...r, changed: r.created || running }),
  );
  let running = false;
  let inner: Step | undefined;
  // For the title and --dry-run, before any call: the commercial partition.
  const shown = build("aws");
  return {
    ...shown,
    async isDone(ctx) {
      inner = build(await callerPartition(ctx.aws));
      return inner.isDone ? inner.isDone(ctx) : false;
    },
    async run(ctx) {
      inner ??= build(await callerPartition(ctx.aws));
      running = true;
      try {
        return await inner.run(ctx);
      } finally {
        running = false;
      }
    },
  };
}
