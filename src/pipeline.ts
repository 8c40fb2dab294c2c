// Runs steps: skip-if-done → run, with timing, report events and dry-run. Targets run in parallel.
import type { Context, PlannedAction, Step } from "./steps/types.js";
import type { StepStatus } from "./ui/reporter.js";
import { InterruptedError, throwIfAborted } from "./errors.js";
import { redactEnvValues } from "./util/redact.js";

export interface StepResult {
  id: string;
  group?: string;
  title: string;
  status: StepStatus;
  detail?: string;
  ms: number;
  actions?: PlannedAction[];
}

/** Thrown when a step fails; carries what ran before it so the report can say where things stand. */
export class PipelineError extends Error {
  constructor(readonly cause: unknown, readonly results: StepResult[]) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function runOne(step: Step, ctx: Context, results: StepResult[]): Promise<void> {
  const title = step.title(ctx);
  const event = { id: step.id, title, group: step.group };
  if (ctx.dryRun) {
    const actions = step.describe(ctx).map((a) => (a.input === undefined ? a : { ...a, input: redactEnvValues(a.input) }));
    results.push({ ...event, status: "planned", ms: 0, actions });
    return;
  }
  throwIfAborted(ctx.signal, `interrupted before: ${title}`);
  const started = Date.now();
  ctx.reporter.stepStart(event);
  const stepCtx: Context = { ...ctx, progress: (line) => ctx.reporter.progress(event, line) };
  try {
    const done = step.isDone ? await step.isDone(stepCtx) : false;
    const detail = done || (await step.run(stepCtx)) || undefined;
    const result = { ...event, status: (done ? "skipped" : "done") as StepStatus, detail, ms: Date.now() - started };
    results.push(result);
    ctx.reporter.stepEnd(result);
  } catch (err) {
    const interrupted = err instanceof InterruptedError || ctx.signal.aborted;
    const detail = interrupted ? "interrupted" : err instanceof Error ? err.message.split("\n")[0] : String(err);
    const result = { ...event, status: "failed" as StepStatus, detail, ms: Date.now() - started };
    results.push(result);
    ctx.reporter.stepEnd(result);
    throw interrupted && !(err instanceof InterruptedError) ? new InterruptedError(`interrupted during: ${title}`) : err;
  }
}

/** Runs steps in order; the first failure stops the sequence. */
export async function runSteps(steps: Step[], ctx: Context, results: StepResult[] = []): Promise<StepResult[]> {
  for (const step of steps) {
    try {
      await runOne(step, ctx, results);
    } catch (err) {
      throw new PipelineError(err, results);
    }
  }
  return results;
}

export interface GroupOutcome {
  group: string;
  results: StepResult[];
  error?: unknown;
}

/** Runs each group's steps in order and the groups side by side; one group's failure does not stop the others. */
export async function runGroups(groups: { group: string; steps: Step[] }[], ctx: Context): Promise<GroupOutcome[]> {
  return Promise.all(
    groups.map(async ({ group, steps }) => {
      const results: StepResult[] = [];
      try {
        await runSteps(steps, ctx, results);
        return { group, results };
      } catch (err) {
        return { group, results, error: err instanceof PipelineError ? err.cause : err };
      }
    }),
  );
}
