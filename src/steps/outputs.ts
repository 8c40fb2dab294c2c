// ctx.targets for code that knows its target only as a string: a step's group, a hook's target, the
// shared smoke step. Only the fields every target shares (TargetOutput); code that knows its target
// reads and writes ctx.targets.<name> with that target's own type.
import type { Context, TargetOutput } from "./types.js";

const byName = (ctx: Context) => ctx.targets as Record<string, TargetOutput | undefined>;

/** What the target (or group) `name` has recorded so far in this run. */
export function outputOf(ctx: Context, name: string): TargetOutput | undefined {
  return byName(ctx)[name];
}

/** Adds `fields` to what `name` has recorded, keeping the rest. */
export function recordOutput(ctx: Context, name: string, fields: TargetOutput): void {
  byName(ctx)[name] = { ...byName(ctx)[name], ...fields };
}
