// Reads a CloudWatch log group with FilterLogEvents, page by page; with `follow`, polls again every
// POLL_MS from where the last poll ended (see Cursor) until Ctrl-C. Polling, not StartLiveTail:
// Live Tail needs an event stream over HTTP/2, costs per minute, and ends after 3 hours.
import { filterLogEvents } from "../aws/logs.js";
import type { AwsClients } from "../aws/clients.js";
import { DeployError, InterruptedError } from "../errors.js";
import { sleep } from "../util/retry.js";
import { Cursor } from "./cursor.js";
import type { LogEvent } from "./format.js";

export const POLL_MS = 2000;
/** How far back each follow poll looks again for late-ingested events (see Cursor). */
export const LOOKBACK_MS = 5000;

export interface ReadOptions {
  /** For messages: "lambda", "apprunner", "ecs". */
  target: string;
  group: string;
  /** Epoch ms of the first event wanted. */
  startTime: number;
  filterPattern?: string;
  follow?: boolean;
  /** Default LOOKBACK_MS; 0 starts each poll exactly at the newest timestamp seen. */
  lookbackMs?: number;
  signal: AbortSignal;
  onEvent: (e: LogEvent) => Promise<void> | void;
}

function explain(e: unknown, o: ReadOptions): unknown {
  if (o.signal.aborted) return new InterruptedError(o.follow ? "stopped following the logs" : "interrupted");
  if ((e as { name?: string })?.name === "ResourceNotFoundException") {
    return new DeployError(
      `no logs yet for ${o.target} (log group ${o.group} does not exist)`,
      `the group appears when the app first writes output: deploy with \`logship deploy ${o.target}\`, send it a request, then try again`,
      { cause: e },
    );
  }
  return e;
}

/** Prints (through onEvent) every event since startTime; returns how many. Never returns with follow. */
export async function readLogGroup(aws: AwsClients, o: ReadOptions): Promise<number> {
  const cursor = new Cursor(o.startTime, o.lookbackMs ?? LOOKBACK_MS);
  let count = 0;
  for (;;) {
    const startTime = cursor.begin();
    let nextToken: string | undefined;
    do {
      const out = await filterLogEvents(aws, { group: o.group, startTime, filterPattern: o.filterPattern, nextToken }, o.signal).catch((e) => {
        throw explain(e, o);
      });
      for (const e of out.events) {
        if (!cursor.accept(e)) continue;
        count++;
        await o.onEvent(e);
      }
      nextToken = out.nextToken;
    } while (nextToken);
    if (!o.follow) return count;
    await sleep(POLL_MS, o.signal).catch((e) => {
      throw explain(e, o);
    });
  }
}
