// Bounded polling with backoff, for AWS services that have no SDK waiter (App Runner, ECS Express):
// check, and if not done report a progress line, sleep (Ctrl-C → InterruptedError), back off, repeat.
import { DeployError, InterruptedError } from "../errors.js";
import { sleep } from "./retry.js";

export type PollCheck<T> = () => Promise<{ done: true; value: T } | { done: false; state: string }>;

export interface PollOptions {
  /** Whose work we wait on, named in the timeout message: "App Runner", "ECS". */
  service: string;
  timeoutMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** On Ctrl-C, say what we stopped waiting for and that the service carries on (else a bare InterruptedError). */
  explainInterrupt?: boolean;
}

/** What poll needs of a step's Context. */
export interface PollHost {
  signal?: AbortSignal;
  progress(line: string): void;
}

/** Polls with backoff until `check` says done; bounded by `timeoutMs`. */
export async function poll<T>(ctx: PollHost, what: string, check: PollCheck<T>, o: PollOptions): Promise<T> {
  const started = Date.now();
  let delay = o.firstDelayMs;
  for (;;) {
    const r = await check();
    if (r.done) return r.value;
    const waited = Date.now() - started;
    if (waited + delay > o.timeoutMs) {
      throw new DeployError(
        `${what}: still ${r.state} after ${Math.round(waited / 60_000)} min`,
        `${o.service} is still working on it: check the ${o.service} console, and re-run logship when it has settled`,
      );
    }
    ctx.progress(`${what}: ${r.state} (${Math.round(waited / 1000)}s)`);
    await sleep(delay, ctx.signal).catch((e) => {
      if (o.explainInterrupt && e instanceof InterruptedError) {
        throw new InterruptedError(`stopped waiting (${what}); ${o.service} carries on without us: re-run the same command to pick it up`);
      }
      throw e;
    });
    delay = Math.min(delay * 2, o.maxDelayMs);
  }
}
