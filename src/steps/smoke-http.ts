// The GET that the App Runner, ECS and Lambda smoke-test steps share: wait until the deployed URL
// answers smoke.expectStatus (any 2xx by default) within smoke.timeout.
import { parseDuration } from "../config/rules.js";
import { DeployError } from "../errors.js";
import { waitForHttp, type HttpAnswer } from "../util/http.js";
import type { Context } from "./types.js";

export interface SmokeGetOptions {
  /** Injected by tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  /** Where the app's own output is: appended to the hint when the URL never answers. */
  logsHint?: string;
}

/** For a step's plan: what the smoke test expects. */
export const smokeExpectation = (ctx: Context) => `expect ${ctx.config.smoke.expectStatus ?? "2xx"} within ${ctx.config.smoke.timeout}`;

/** For a step's result line. */
export const smokeDetail = (answer: HttpAnswer) => `HTTP ${answer.status} after ${(answer.ms / 1000).toFixed(1)}s`;

export function smokeGet(ctx: Context, url: string, o: SmokeGetOptions = {}): Promise<HttpAnswer> {
  return waitForHttp(url, {
    timeoutMs: parseDuration(ctx.config.smoke.timeout)!,
    expectStatus: ctx.config.smoke.expectStatus,
    signal: ctx.signal,
    fetchImpl: o.fetch,
    onAttempt: (last) => ctx.progress(`waiting: ${last}`),
  }).catch((e) => {
    if (e instanceof DeployError && o.logsHint) throw new DeployError(e.message, `${e.hint ? `${e.hint}; ` : ""}${o.logsHint}`);
    throw e;
  });
}
