// `logship logs local`: `docker logs` of the app's container, streamed line by line. --timestamps
// gives every line its time, so the output has the same shape as the AWS targets'; --filter is
// applied here (docker has none), as a plain case-sensitive substring.
import { DeployError } from "../../errors.js";
import { dockerErrorText } from "../../docker/stderr.js";
import { containerName } from "./container.js";
import type { Context } from "../../steps/types.js";
import { notDeployed } from "../../logs/errors.js";
import type { LogEvent } from "../../logs/format.js";
import type { LogReadOptions } from "../types.js";

export const dockerLogsStreamArgs = (name: string, o: { follow?: boolean; since?: string }) => [
  "logs",
  ...(o.follow ? ["--follow"] : []),
  ...(o.since ? ["--since", o.since] : []),
  "--timestamps",
  name,
];

/** "2026-11-25T08:50:31.123456789Z GET /logs 200" → event; docker's own messages (no time) → undefined. */
export function parseDockerLine(line: string, stream: string): LogEvent | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) ?(.*)$/.exec(line);
  const timestamp = m ? Date.parse(m[1]) : NaN;
  return m && Number.isFinite(timestamp) ? { timestamp, stream, message: m[2] } : undefined;
}

export interface LocalOptions {
  follow?: boolean;
  /** A value `docker logs --since` takes (Go duration or RFC 3339). */
  since?: string;
  filter?: string;
  onEvent: (e: LogEvent) => Promise<void> | void;
}

/** Streams the container's output; with follow, until the container stops or Ctrl-C (InterruptedError). */
export async function readLocal(ctx: Context, o: LocalOptions): Promise<number> {
  const name = containerName(ctx.config.app);
  let count = 0;
  // onLine is synchronous; keep the writes in order (and their back-pressure) on one chain.
  let pending: Promise<void> = Promise.resolve();
  const onLine = (line: string) => {
    const e = parseDockerLine(line, name);
    if (!e || (o.filter && !e.message.includes(o.filter))) return;
    count++;
    pending = pending.then(() => o.onEvent(e));
  };
  const r = await ctx.docker(dockerLogsStreamArgs(name, o), { allowFailure: true, onLine, signal: ctx.signal });
  await pending;
  if (r.exitCode !== 0) {
    if (/no such container/i.test(r.stderr)) throw notDeployed("local", `no container ${name}`);
    throw new DeployError(`docker logs ${name} failed: ${dockerErrorText(r.stderr, `exit code ${r.exitCode}`)}`);
  }
  return count;
}

/** The local target's `logs`: what readLocal streams, with what we are doing on stderr. */
export async function localLogs(ctx: Context, o: LogReadOptions): Promise<number> {
  const name = containerName(ctx.config.app);
  if (o.follow) ctx.reporter.info(`following the logs of container ${name} (Ctrl-C to stop)`);
  const n = await readLocal(ctx, { follow: o.follow, since: o.since.docker, filter: o.filter, onEvent: o.onEvent });
  const from = new Date(o.since.startTime).toISOString();
  if (!n && !o.follow) ctx.reporter.info(`no output from ${name} since ${from}${o.filter ? ` matching ${o.filter}` : ""}`);
  return n;
}
