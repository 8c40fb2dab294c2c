// `logship logs <target>`: find where the target's output goes, then print it (and keep printing
// with follow). Events go to stdout as they arrive; what we are doing goes to stderr.
import type { Writable } from "node:stream";
import type { TargetName } from "../config/schema.js";
import { containerName } from "../targets/local/container.js";
import type { Context } from "../steps/types.js";
import { readLogGroup } from "./cloudwatch.js";
import { formatEvent, writeLine, type LogEvent } from "./format.js";
import { logGroupFor } from "./groups.js";
import { readLocal } from "../targets/local/logs.js";
import { filterPattern, type Since } from "./since.js";

export interface ShowOptions {
  since: Since;
  follow?: boolean;
  filter?: string;
  json?: boolean;
}

export async function showLogs(ctx: Context, target: TargetName, o: ShowOptions, out: Writable): Promise<number> {
  const onEvent = (e: LogEvent) => writeLine(out, formatEvent(e, !!o.json));
  const from = new Date(o.since.startTime).toISOString();
  if (target === "local") {
    const name = containerName(ctx.config.app);
    if (o.follow) ctx.reporter.info(`following the logs of container ${name} (Ctrl-C to stop)`);
    const n = await readLocal(ctx, { follow: o.follow, since: o.since.docker, filter: o.filter, onEvent });
    if (!n && !o.follow) ctx.reporter.info(`no output from ${name} since ${from}${o.filter ? ` matching ${o.filter}` : ""}`);
    return n;
  }
  const group = await logGroupFor(ctx, target);
  if (o.follow) ctx.reporter.info(`following log group ${group} (Ctrl-C to stop)`);
  const n = await readLogGroup(ctx.aws, {
    target, group, startTime: o.since.startTime, filterPattern: filterPattern(o.filter), follow: o.follow, signal: ctx.signal, onEvent,
  });
  if (!n) ctx.reporter.info(`no log events in ${group} since ${from}${o.filter ? ` matching ${o.filter}` : ""}`);
  return n;
}
