// Which CloudWatch log group holds a target's application output. Each AWS target reads it back
// from AWS where AWS decides (App Runner's service id, a Lambda's custom log group, ECS's task
// definition), never guessed: Target.logGroup, in src/targets/<name>/logs.ts.
import type { TargetName } from "../config/schema.js";
import type { Context } from "../steps/types.js";
import { targetNamed } from "../targets/index.js";

export type LogsTarget = Exclude<TargetName, "local">;

export function logGroupFor(ctx: Context, target: TargetName): Promise<string> {
  const { logGroup } = targetNamed(target);
  // Every target has logGroup or readLogs (src/targets/<name>/index.ts): reaching here is our bug.
  if (!logGroup) throw new Error(`target ${target} keeps no CloudWatch log group`);
  return logGroup(ctx);
}
