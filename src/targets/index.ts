// What each deploy target contributes to a plan. A target not built yet says so plainly.
import { UserError } from "../errors.js";
import { TARGET_NAMES, type TargetName } from "../config/schema.js";
import type { Context } from "../steps/types.js";
import { local } from "./local/index.js";
import { lambda } from "./lambda/index.js";
import { apprunner } from "./apprunner/index.js";
import { ecs } from "./ecs/index.js";
import { targetConfig } from "./config.js";
import type { Target } from "./types.js";

export { targetConfig, type TargetConfig } from "./config.js";

export type { LogReadOptions, Target, TargetAudit, TargetStatus } from "./types.js";

// Each entry is the Target its folder exports (src/targets/<name>/index.ts). The order is the order
// doctor audits them in.
const TARGETS: Partial<Record<TargetName, Target>> = { local, lambda, apprunner, ecs };

/** The entry of `name`, without targetFor's checks (the read commands: logs, doctor). */
export function targetNamed(name: TargetName): Target {
  const target = TARGETS[name];
  if (!target) throw new UserError(`target ${name}: not available in this version of logship`);
  return target;
}

/** `names` with their entries, in the registry's order. */
export function targetsAmong(names: readonly TargetName[]): [TargetName, Target][] {
  return (Object.entries(TARGETS) as [TargetName, Target][]).filter(([name]) => names.includes(name));
}

export function parseTargetName(name: string): TargetName {
  if (!(TARGET_NAMES as readonly string[]).includes(name)) {
    throw new UserError(`target: "${name}" is not a target: use ${TARGET_NAMES.join(", ")}`);
  }
  return name as TargetName;
}

export function targetFor(ctx: Context, name: TargetName): Target {
  const target = targetNamed(name);
  if (name !== "local" && ctx.config.registry.type === "generic") {
    // Checked before anything is built or pushed: AWS pulls these images from ECR only.
    throw new UserError(`targets.${name}: AWS targets run images from Amazon ECR, but registry.type is generic`, "set registry.type: ecr (logship creates the repository)");
  }
  requireConfigured(ctx, [name]);
  return target;
}

/** The one "not configured" check (deploy, build, push, logs …): local needs no block, the others do. */
export function requireConfigured(ctx: Context, names: TargetName[]): void {
  for (const name of names) if (name !== "local") targetConfig(ctx.config, name, ctx.loaded.file);
}
