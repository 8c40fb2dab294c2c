// The one "targets.<name>: not configured" check and message, for commands and steps alike. A leaf
// module (errors and config types only), so a step can use it without importing the target table.
import { UserError } from "../errors.js";
import type { Config, TargetName } from "../config/schema.js";

/** The block of one target in logship.yaml, with its own type (targets.lambda has `function`, …). */
export type TargetConfig<N extends TargetName> = NonNullable<Config["targets"][N]>;

/** The key each AWS target cannot do without, named in the hint. */
const REQUIRED: Record<Exclude<TargetName, "local">, string> = { apprunner: "service", lambda: "function", ecs: "service" };

/**
 * `config.targets[name]`, or the one UserError (exit 2) that says it is missing. `file` is the
 * config file to name in the message (ctx.loaded.file); pure helpers that have only the config omit it.
 */
export function targetConfig<N extends Exclude<TargetName, "local">>(config: Config, name: N, file?: string): TargetConfig<N> {
  const block = config.targets[name];
  if (!block) {
    throw new UserError(
      `targets.${name}: not configured${file ? ` in ${file}` : ""}`,
      `add a targets.${name} block with at least \`${REQUIRED[name]}:\` (see the README's config reference), or name another target`,
    );
  }
  return block as TargetConfig<N>;
}
