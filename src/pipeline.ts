// Runs steps: skip-if-done → run, with timing, report events and dry-run. Targets run in parallel.
import type { Context, Step } from "./steps/types.js";
import type { StepStatus } from "./ui/reporter.js";
import { InterruptedError, throwIfAborted } from "./errors.js";
import { planStep, type DryRunState, type PlanFields } from "./plan/dry-run.js";

export interface StepResult extends PlanFields {
  id: string;
  group?: string;
  title: string;
  status: StepStatus;
  detail?: string;
  ms: number;
}

/** Thrown when a step fails; carries what ran before it so the report can say where things stand. */
export class PipelineError extends Error {
  constructor(readonly cause: unknown, readonly results: StepResult[]) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function runOne(step: Step, ctx: Context, results: StepResult[], plan: DryRunState): Promise<void> {
  const title = step.title(ctx);
  const event = { id: step.id, title, group: step.group };
  if (ctx.dryRun) {
    const planned = await planStep(step, ctx, plan);
    // The title again: a live plan may have learnt what it shows (the function URL the smoke test GETs).
    results.push({ ...event, title: step.title(ctx), status: "planned", ms: 0, ...planned });
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

/** A dry run's "plan only from here on", handed from the run's first sequence (build, push) to its target groups. */
const planOnlyAfter = new WeakMap<Context, string>();

/** Runs steps in order; the first failure stops the sequence. */
export async function runSteps(steps: Step[], ctx: Context, results: StepResult[] = []): Promise<StepResult[]> {
  const plan: DryRunState = { planOnly: planOnlyAfter.get(ctx) };
  for (const step of steps) {
    try {
      await runOne(step, ctx, results, plan);
    } catch (err) {
      throw new PipelineError(err, results);
    }
  }
  if (plan.planOnly && !planOnlyAfter.has(ctx)) planOnlyAfter.set(ctx, plan.planOnly);
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
