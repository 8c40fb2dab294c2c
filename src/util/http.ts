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

export async function waitForHttp(url: string, o: WaitOptions): Promise<HttpAnswer> {
  const started = Date.now();
  const doFetch = o.fetchImpl ?? fetch;
  let last = "no answer yet";
  let delay = 250;
  while (true) {
    if (o.signal.aborted) throw new InterruptedError(`interrupted while waiting for ${url}`);
    try {
      const res = await doFetch(url, {
        redirect: "manual",
        signal: AbortSignal.any([o.signal, AbortSignal.timeout(Math.min(10_000, o.timeoutMs))]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (ok(res.status, o.expectStatus)) return { status: res.status, ms: Date.now() - started };
      last = `HTTP ${res.status}`;
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
