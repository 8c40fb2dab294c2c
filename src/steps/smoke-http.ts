// The GET that the App Runner, ECS and Lambda smoke-test steps share: wait until the deployed URL
// answers smoke.expectStatus (any 2xx by default) within smoke.timeout. And the switch every smoke
// step (local and rollback too) honours: --no-smoke or smoke.enabled: false, for a URL this machine
// cannot reach (a private network, a firewall): the URL is still printed, the test is reported skipped.
import path from "node:path";
import { parseDuration } from "../config/rules.js";
import { DeployError } from "../errors.js";
import { waitForHttp, type HttpAnswer } from "../util/http.js";
import type { Context, PlannedAction, Step } from "./types.js";
import { recordOutput } from "./outputs.js";

/** Why the smoke test does not run: "--no-smoke" or "smoke.enabled: false in logship.yaml"; undefined when it runs. */
export function smokeOff(ctx: Context): string | undefined {
  // commander's --no-smoke sets `smoke: false`; commands without the flag leave it undefined.
  if (ctx.options.smoke === false) return "--no-smoke";
  if (ctx.config.smoke.enabled !== false) return undefined;
  const file = path.basename(ctx.loaded.file);
  return `smoke.enabled: false in ${ctx.loaded.overlay ? `${file} + ${path.basename(ctx.loaded.overlay.file)}` : file}`;
}

/** The plan (--dry-run) of a smoke test that will not run. */
export const smokeOffAction = (why: string): PlannedAction => ({ kind: "check", command: "smoke test skipped", note: why });

/**
 * A smoke step that honours smokeOff: its plan says "smoke test skipped (reason)", and in a run it is
 * reported skipped with the reason (also under targets.<group>.smokeSkipped in --json). `whenOff` does
 * what must happen even so: learn the URL to print, finish a container swap.
 */
export function switchableSmoke(step: Step, whenOff?: (ctx: Context) => Promise<void> | void): Step {
  return {
    ...step,
    describe: (ctx) => {
      const why = smokeOff(ctx);
      return why ? [smokeOffAction(why)] : step.describe(ctx);
    },
    async isDone(ctx) {
      const why = smokeOff(ctx);
      if (!why) return step.isDone ? step.isDone(ctx) : false;
      await whenOff?.(ctx);
      const group = step.group ?? "app";
      recordOutput(ctx, group, { smokeSkipped: why });
      return `skipped: ${why}`;
    },
  };
}

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
