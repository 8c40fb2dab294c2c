// `logship logs <target>`: find where the target's output goes, then print it (and keep printing
// with follow). Events go to stdout as they arrive; what we are doing goes to stderr.
import type { Writable } from "node:stream";
import type { TargetName } from "../config/schema.js";
import type { Context } from "../steps/types.js";
import { readLogGroup } from "./cloudwatch.js";
import { formatEvent, writeLine, type LogEvent } from "./format.js";
import { logGroupFor } from "./groups.js";
import { targetNamed } from "../targets/index.js";
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
  // A target whose output is not in CloudWatch (local: docker logs) reads it itself.
  const { readLogs } = targetNamed(target);
  if (readLogs) return readLogs(ctx, { since: o.since, follow: o.follow, filter: o.filter, onEvent });
  const group = await logGroupFor(ctx, target);
  if (o.follow) ctx.reporter.info(`following log group ${group} (Ctrl-C to stop)`);
  const n = await readLogGroup(ctx.aws, {
    target, group, startTime: o.since.startTime, filterPattern: filterPattern(o.filter), follow: o.follow, signal: ctx.signal, onEvent,
  });
  if (!n) ctx.reporter.info(`no log events in ${group} since ${from}${o.filter ? ` matching ${o.filter}` : ""}`);
  return n;
}
