// IAM is eventually consistent: a role created (or given a policy) seconds ago cannot be assumed yet,
// and the Create/Update that names it fails until it can (aws-apis.md §0, §5.1, §6.1). Only a role
// this run changed is waited for: a role that was already there and fails is wrong, not new.
import { retryOn, type RetryOptions } from "../../util/retry.js";
import type { Context } from "../../steps/types.js";

export interface Propagation {
  /** True when this run created a role or attached a policy to one. */
  changed: boolean;
  /** The error the platform gives while it cannot use the role yet. */
  isPropagation(e: unknown): boolean;
  /** How long to keep trying (tries, backoff). */
  retry: Pick<RetryOptions, "tries" | "baseMs" | "maxMs">;
  /** For the progress line: "the new access role usable by App Runner". */
  what: string;
}

/** Sends, and sends again while IAM propagates a role this run changed; anything else goes up at once. */
export function sendWhileRolesPropagate<T>(ctx: Context, send: () => Promise<T>, p: Propagation): Promise<T> {
  const tries = p.retry.tries ?? 10;
  return retryOn(send, (e) => p.changed && p.isPropagation(e), {
    ...p.retry, signal: ctx.signal,
    onRetry: (_e, n, ms) => ctx.progress(`waiting for IAM to make ${p.what} (retry ${n} of ${tries - 1} in ${Math.round(ms / 1000)}s)`),
  });
}
