// The one executor of AWS writes (issue 11 points 2 and 3). In a real run it sends the call; in a
// dry run it sends nothing and answers what the caller says the write would leave, so the step's
// decision code goes on as it would. Either way the call is kept, secrets replaced, in `calls`:
// what `--dry-run` prints and `--json` lists is exactly what a real run sends.
import type { AwsCall, CallRecord } from "./call.js";
import type { AwsClients } from "./clients.js";

export const SECRET = "(secret)";

/** What the executor needs of a run (src/steps/types.ts Context has it). */
export interface ExecutorContext {
  dryRun: boolean;
  aws: AwsClients;
  /** Where this step's writes are kept; absent, nothing is kept. */
  calls?: CallRecord[];
}

function hide(value: unknown, path: string[]): unknown {
  if (!path.length) return SECRET;
  if (typeof value !== "object" || value === null) return value;
  const [head, ...rest] = path;
  const out: Record<string, unknown> = Array.isArray(value) ? [...value] as never : { ...(value as Record<string, unknown>) };
  for (const key of Object.keys(out)) {
    if (head === "*" || head === key) out[key] = hide(out[key], rest);
  }
  return out;
}

/** The record as it may be shown: every secret path's value replaced by "(secret)", the sender left out. */
export function recordOf(call: CallRecord): CallRecord {
  const input = (call.secret ?? []).reduce((v, p) => hide(v, p.split(".")), call.input);
  const { service, operation, secret, change } = call;
  return { service, operation, input, ...(secret ? { secret } : {}), ...(change ? { change } : {}) };
}

/**
 * Sends `call`, or in a dry run returns `planned()`: what AWS would have answered, as far as the
 * caller needs it (a projected configuration, a placeholder version).
 */
export async function execute<T>(ctx: ExecutorContext, call: AwsCall<T>, planned: () => T): Promise<T> {
  ctx.calls?.push(recordOf(call));
  if (ctx.dryRun) return planned();
  return call.send(ctx.aws);
}

/** A step's writes as one word and its changes: "up to date", "create", "update: memory 512 → 1024". */
export function outcomeOf(calls: CallRecord[]): string {
  if (!calls.length) return "up to date";
  const ops = calls.map((c) => c.operation);
  if (ops.some((o) => o.startsWith("Delete")) && ops.some((o) => o.startsWith("Create"))) return "recreate";
  if (ops.some((o) => o.startsWith("Create"))) return "create";
  const changes = calls.flatMap((c) => c.change ?? [`${c.service}.${c.operation}`]);
  return `update: ${[...new Set(changes)].join(", ")}`;
}
