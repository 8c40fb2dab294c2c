// From a commander action to a command module and back to the output module. Each command is
// imported only when it runs (so `logship --help` loads neither the AWS SDK nor zod), and the table
// is typed: a call that passes a command the wrong arguments, or swaps two, does not compile.
import type { Command } from "commander";
import type { GlobalOptions } from "./commands/globals.js";
import type { CommandResult, Output } from "./ui/result.js";

// Static import() per command (a template string would defeat bundlers and vitest alike).
const modules = {
  build: () => import("./commands/build.js"),
  push: () => import("./commands/push.js"),
  deploy: () => import("./commands/deploy.js"),
  ship: () => import("./commands/ship.js"),
  destroy: () => import("./commands/destroy.js"),
  status: () => import("./commands/status.js"),
  rollback: () => import("./commands/rollback.js"),
  doctor: () => import("./commands/doctor.js"),
  migrate: () => import("./commands/migrate.js"),
  logs: () => import("./commands/logs.js"),
  init: () => import("./commands/init.js"),
  schema: () => import("./commands/schema.js"),
  lock: () => import("./commands/lock.js"),
};

export type CommandModules = { [K in keyof typeof modules]: Awaited<ReturnType<(typeof modules)[K]>> };
/** The same table seen through a mapped type, so `load[name]` keeps the module's type for a generic name. */
const load: { [K in keyof CommandModules]: () => Promise<CommandModules[K]> } = modules;

/** What commander hands an action as positional arguments: a string, or a string[] for `[targets...]`. */
type Positional = string | string[];

/** Commands whose result names carry their arguments ("deploy lambda"); the others are named alone ("status"). */
const NAMED_WITH_ARGUMENTS = new Set(["deploy", "destroy", "logs", "migrate", "rollback", "ship"]);

/**
 * The action for `name`: loads its module, calls `call` with the parsed options and positional
 * arguments, and hands the result (or the failure thrown before there was one) to `output`.
 * `O` and `A` come from the call's own annotations, so they are stated where the flags are declared;
 * the one unchecked step is commander's, which is why every `.argument()` is declared next to its call.
 */
export function action<K extends keyof CommandModules, O extends GlobalOptions, A extends Positional[]>(
  name: K,
  output: Output,
  call: (mod: CommandModules[K], opts: O, ...args: A) => Promise<CommandResult> | CommandResult,
): (...args: unknown[]) => Promise<void> {
  return async (...args) => {
    // commander calls actions with (...positional arguments, options, command).
    const cmd = args.at(-1) as Command;
    const opts = cmd.optsWithGlobals<O>();
    const positional = args.slice(0, -2) as A;
    let result: CommandResult;
    try {
      result = await call(await load[name](), opts, ...positional);
    } catch (error) {
      // A subcommand (`lock status lambda`) is named with its parent and its arguments.
      const sub = cmd.parent?.parent ? [cmd.parent.name(), cmd.name(), ...positional.flat()] : undefined;
      const command = sub ? sub.join(" ") : NAMED_WITH_ARGUMENTS.has(cmd.name()) ? [cmd.name(), ...positional.flat()].join(" ") : cmd.name();
      result = { command, dryRun: !!opts.dryRun, error };
    }
    await output.finish(result);
  };
}
