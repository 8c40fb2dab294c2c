// Bounded retry with exponential backoff, for AWS's eventual consistency (a new IAM role that a
// service cannot assume yet; "operation in progress"). aws-apis.md §0. Honours Ctrl-C between tries.
import { InterruptedError } from "../errors.js";

export interface RetryOptions {
  tries?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new InterruptedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export async function retryOn<T>(fn: () => Promise<T>, isRetryable: (e: unknown) => boolean, o: RetryOptions = {}): Promise<T> {
  const { tries = 10, baseMs = 2000, maxMs = 15_000 } = o;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= tries || !isRetryable(e)) throw e;
      const delay = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
      o.onRetry?.(e, attempt, delay);
      await sleep(delay, o.signal);
    }
  }
}
