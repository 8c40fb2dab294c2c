// `logship migrate apprunner-to-ecs`: read the live App Runner service and write the equivalent
// targets.ecs block into the config (diff shown, confirmed unless --yes). Never touches App Runner.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { createContext, makeReporter } from "./run.js";
import { describeService, findService } from "../aws/apprunner.js";
import { ecsBlockFromAppRunner, lineDiff, mergeEcsBlock, migrationNotes } from "../migrate/apprunner-to-ecs.js";
import { validateConfig } from "../config/load.js";
import { DeployError, UserError } from "../errors.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export interface MigrateOptions extends GlobalOptions {
  /** --service: the App Runner service (default targets.apprunner.service). */
  service?: string;
}

export async function migrate(kind: string, opts: MigrateOptions, io: Io): Promise<CommandResult> {
  if (kind !== "apprunner-to-ecs") throw new UserError(`migrate: "${kind}" is not a migration: use apprunner-to-ecs`);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const name = opts.service ?? ctx.config.targets.apprunner?.service;
  if (!name) throw new UserError("migrate: which App Runner service?", "pass --service NAME or set targets.apprunner.service");

  const found = await findService(ctx.aws, name);
  if (!found) throw new DeployError(`migrate: no App Runner service named ${name} in ${await ctx.aws.region()}`);
  const service = await describeService(ctx.aws, found.arn);
  if (!service) throw new DeployError(`migrate: App Runner returned no description of ${name}`);

  const file = ctx.loaded.file;
  const before = await readFile(file, "utf8");
  const block = ecsBlockFromAppRunner(service);
  let after: string;
  let diff: string;
  if (file.endsWith(".json")) {
    const doc = JSON.parse(before);
    doc.targets = { ...(doc.targets ?? {}), ecs: block };
    after = `${JSON.stringify(doc, null, 2)}\n`;
    diff = lineDiff(before, after, { before: path.basename(file), after: `${path.basename(file)} (new)` });
  } else {
    ({ after, diff } = mergeEcsBlock(before, block));
  }
  // The written config must be one `logship deploy ecs` accepts.
  validateConfig(file.endsWith(".json") ? JSON.parse(after) : parseYaml(after), path.basename(file));

  const notes = migrationNotes(service);
  if (!opts.json) for (const note of notes) reporter.warn(note);
  // The result (src/ui/result.ts): `written` says whether the file was written, also after a prompt.
  const result = (written: boolean, text: string | undefined, error?: UserError): CommandResult => ({
    command: "migrate apprunner-to-ecs", dryRun: ctx.dryRun, fields: { service: name, ecs: block, notes, diff, written }, text, error,
  });
  if (!diff || ctx.dryRun) return result(false, diff || "targets.ecs already matches the App Runner service.");
  let shown = false;
  if (!opts.yes) {
    if (!io.interactive || !io.confirm) return result(false, diff, new UserError("migrate: not writing without confirmation", "pass --yes (there is no terminal to ask on)"));
    // The diff goes to stdout before the question (the prompt shows it), so the result does not repeat it.
    shown = !opts.json;
    if (!(await io.confirm(`Write this to ${path.relative(io.cwd, file)}?`, shown ? diff : undefined))) {
      return result(false, undefined, new UserError("migrate: not confirmed; nothing was written"));
    }
  }
  await writeFile(file, after);
  reporter.info(`wrote targets.ecs to ${path.relative(io.cwd, file) || file}; the App Runner service is untouched. Next: logship deploy ecs`);
  return result(true, shown ? undefined : diff);
}
