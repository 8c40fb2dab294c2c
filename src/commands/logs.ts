// `logship logs <target> [--follow] [--since 10m] [--filter TEXT]`: the app's own output, read
// from where the target sends it (CloudWatch Logs, or the local Docker engine).
// With --json: one JSON object per line (JSON Lines), not one document, so --follow can stream.
// Ctrl-C while following ends with InterruptedError, exit 130, like every other command.
import { createContext, makeReporter } from "./run.js";
import { parseTargetName, requireConfigured } from "../targets/index.js";
import { parseSince } from "../logs/since.js";
import { showLogs } from "../logs/show.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export interface LogsOptions extends GlobalOptions {
  follow?: boolean;
  since?: string;
  filter?: string;
}

/** Streams: the events reach stdout (the run's counted stream, io.stdout) as they come; no closing document. */
export async function logs(target: string, opts: LogsOptions, io: Io): Promise<CommandResult> {
  const name = parseTargetName(target);
  const since = parseSince(opts.since);
  const reporter = await makeReporter(opts, io);
  try {
    const ctx = await createContext(opts, io, reporter);
    requireConfigured(ctx, [name]);
    await showLogs(ctx, name, { since, follow: opts.follow, filter: opts.filter, json: opts.json }, io.stdout);
    return { command: `logs ${name}`, dryRun: ctx.dryRun, streamed: true };
  } catch (e) {
    const { explainAwsError } = await import("../aws/errors.js");
    throw explainAwsError(e) ?? e;
  } finally {
    reporter.close();
  }
}
