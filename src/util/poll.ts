// Bounded polling with backoff, for AWS services that have no SDK waiter (App Runner, ECS Express):
// check, and if not done report a progress line, sleep (Ctrl-C → InterruptedError), back off, repeat.
// The delay never exceeds MAX_POLL_DELAY_MS: the SDK's own ECS waiter grew to a 600 s maximum delay in
// the SDK's client-ecs 3.995.0, so deploys seemed to hang for minutes after they had finished
// (aws-actions/amazon-ecs-deploy-task-definition#872). We poll ourselves and cap at 15 s.
import { DeployError, InterruptedError } from "../errors.js";
import { sleep } from "./retry.js";

/** No poll sleeps longer than this between two reads, whatever maxDelayMs asks for. */
export const MAX_POLL_DELAY_MS = 15_000;

export type PollCheck<T> = () => Promise<{ done: true; value: T } | { done: false; state: string }>;

export interface PollOptions {
  /** Whose work we wait on, named in the timeout message: "App Runner", "ECS". */
  service: string;
  timeoutMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** On Ctrl-C, say what we stopped waiting for and that the service carries on (else a bare InterruptedError). */
  explainInterrupt?: boolean;
  /** What to do when the wait times out (default: check the console and re-run). */
  timeoutHint?: string;
}

/** What poll needs of a step's Context. */
export interface PollHost {
  signal?: AbortSignal;
  progress(line: string): void;
}

/** Polls with backoff until `check` says done; bounded by `timeoutMs`. */
export async function poll<T>(ctx: PollHost, what: string, check: PollCheck<T>, o: PollOptions): Promise<T> {
  const started = Date.now();
  const maxDelay = Math.min(o.maxDelayMs, MAX_POLL_DELAY_MS);
  let delay = Math.min(o.firstDelayMs, maxDelay);
  for (;;) {
    const r = await check();
    if (r.done) return r.value;
    const waited = Date.now() - started;
    if (waited + delay > o.timeoutMs) {
      throw new DeployError(
        `${what}: still ${r.state} after ${Math.round(waited / 60_000)} min`,
        o.timeoutHint ?? `${o.service} is still working on it: check the ${o.service} console, and re-run logship when it has settled`,
      );
    }
    ctx.progress(`${what}: ${r.state} (${Math.round(waited / 1000)}s)`);
    await sleep(delay, ctx.signal).catch((e) => {
      if (o.explainInterrupt && e instanceof InterruptedError) {
        throw new InterruptedError(`stopped waiting (${what}); ${o.service} carries on without us: re-run the same command to pick it up`);
      }
      throw e;
    });
    delay = Math.min(delay * 2, maxDelay);
  }
}
