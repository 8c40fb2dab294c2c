// Waits for an HTTP endpoint to answer the expected status (any 2xx by default).
import { DeployError, InterruptedError } from "../errors.js";

export interface WaitOptions {
  timeoutMs: number;
  expectStatus?: number;
  signal: AbortSignal;
  /** Checked between attempts: returns a reason when waiting is pointless (container exited). */
  giveUp?: () => Promise<string | undefined>;
  onAttempt?: (what: string) => void;
  fetchImpl?: typeof fetch;
}

export interface HttpAnswer {
  status: number;
  ms: number;
}

const ok = (status: number, expect?: number) => (expect ? status === expect : status >= 200 && status < 300);

/**
 * One GET with its own deadline. The deadline is raced in JS as well as passed to fetch as a signal:
 * undici can lose the link between the caller's signal and its request after a GC
 * (https://github.com/nodejs/node/issues/55428), and then a connection that is accepted but never
 * answered (docker-proxy in front of a container that has just exited) hangs the attempt forever.
 */
async function attempt(doFetch: typeof fetch, url: string, signal: AbortSignal, ms: number): Promise<number> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    const fail = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    timer = setTimeout(() => fail(new DOMException(`no answer within ${ms}ms`, "TimeoutError")), ms);
    onAbort = () => fail(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  stop.catch(() => undefined);
  try {
    const pending = doFetch(url, { redirect: "manual", signal: controller.signal });
    pending.catch(() => undefined);
    const res = await Promise.race([pending, stop]);
    await Promise.race([res.arrayBuffer().catch(() => undefined), stop]);
    return res.status;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort!);
  }
}

export async function waitForHttp(url: string, o: WaitOptions): Promise<HttpAnswer> {
  const started = Date.now();
  const doFetch = o.fetchImpl ?? fetch;
  let last = "no answer yet";
  let delay = 250;
  // Each attempt gets a slice of the budget, so a connection that hangs still leaves time for
  // giveUp() to notice that the container exited.
  const attemptMs = Math.max(1_000, Math.min(10_000, Math.floor(o.timeoutMs / 4)));
  while (true) {
    if (o.signal.aborted) throw new InterruptedError(`interrupted while waiting for ${url}`);
    try {
      const status = await attempt(doFetch, url, o.signal, attemptMs);
      if (ok(status, o.expectStatus)) return { status, ms: Date.now() - started };
      last = `HTTP ${status}`;
    } catch (e) {
      if (o.signal.aborted) throw new InterruptedError(`interrupted while waiting for ${url}`);
      const cause = (e as { cause?: { code?: string } }).cause;
      last = cause?.code ?? (e as Error).name ?? "error";
    }
    o.onAttempt?.(last);
    const reason = await o.giveUp?.();
    if (reason) throw new DeployError(`${url} never answered: ${reason}`);
    if (Date.now() - started + delay > o.timeoutMs) {
      throw new DeployError(
        `${url} did not answer ${o.expectStatus ?? "2xx"} within ${Math.round(o.timeoutMs / 1000)}s (last: ${last})`,
        "check the app's port and smoke.path in logship.yaml, or raise smoke.timeout",
      );
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 2000);
  }
}
