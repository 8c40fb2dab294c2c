// --dry-run, one step at a time (issue 11 point 3). A step marked `dryRun: "live"` runs its reads
// and its decision code for real, with every write kept by the executor instead of sent
// (src/aws/execute.ts): what it prints is what a real run would send, against the state AWS is in.
// Everything else, and everything once live state is out of reach (no credentials, an earlier step
// that could only be planned), is planned from describe() as before, and says why once.
import type { CallRecord } from "../aws/call.js";
import { isCredentialsError } from "../aws/errors.js";
import { outcomeOf } from "../aws/execute.js";
import { UserError } from "../errors.js";
import type { Context, PlannedAction, Step } from "../steps/types.js";
import { redactEnvValues } from "../util/redact.js";

/** What a dry run adds to a step's result (and to its --json). */
export interface PlanFields {
  detail?: string;
  /** The static plan: the calls describe() lists. */
  actions?: PlannedAction[];
  /** A live plan: "up to date", "create", "update: memory 512 → 1024", "would fail: …". */
  outcome?: string;
  /** A live plan: the writes a real run would send, as the executor kept them (secrets hidden). */
  writes?: CallRecord[];
  /** Why this step is planned from describe() though it could read live state. */
  why?: string;
}

/** Carried along one sequence of steps: once live state is out of reach, the rest is planned. */
export interface DryRunState {
  planOnly?: string;
  said?: boolean;
}

const describeOnly = (step: Step, ctx: Context): PlannedAction[] =>
  step.describe(ctx).map((a) => (a.input === undefined ? a : { ...a, input: redactEnvValues(a.input) }));

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0];

/** No credentials or no region: nothing can be read, so nothing live is planned. */
function unreachable(e: unknown): string | undefined {
  if (isCredentialsError(e)) return "no AWS credentials found, so live state was not read; this is the plan of every call logship may make";
  if (e instanceof UserError && /^region: /.test(e.message)) return `${e.message}, so live state was not read; this is the plan of every call logship may make`;
  return undefined;
}

export async function planStep(step: Step, ctx: Context, state: DryRunState): Promise<PlanFields> {
  if (!ctx.liveDryRun) return { actions: describeOnly(step, ctx) };
  if (step.dryRun !== "live" || state.planOnly) {
    const actions = describeOnly(step, ctx);
    if (!step.dryRun && !state.planOnly) state.planOnly = `an earlier step (${step.title(ctx)}) can only be planned, so this one is planned too`;
    if (step.dryRun !== "live" || state.said) return { actions };
    state.said = true;
    return { actions, why: state.planOnly };
  }
  const calls: CallRecord[] = [];
  const live: Context = { ...ctx, calls, progress: () => {} };
  try {
    const done = step.isDone ? await step.isDone(live) : false;
    const detail = done || (await step.run(live)) || undefined;
    return { outcome: outcomeOf(calls), writes: calls, ...(detail ? { detail } : {}) };
  } catch (e) {
    const why = unreachable(e);
    state.planOnly = why ?? "an earlier step would fail, so the steps after it are planned only";
    state.said = true;
    if (why) return { actions: describeOnly(step, ctx), why };
    return { outcome: `would fail: ${firstLine(e)}`, writes: calls, actions: describeOnly(step, ctx) };
  }
}
