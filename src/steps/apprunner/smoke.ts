// After the service is RUNNING: wait until its public URL answers the smoke path.
import { parseDuration } from "../../config/rules.js";
import { DeployError } from "../../errors.js";
import { waitForHttp } from "../../util/http.js";
import type { Context, Step } from "../types.js";
import type { DeployState } from "./deploy.js";

export interface SmokeDeps {
  /** Injected by tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

const smokeUrl = (ctx: Context) => {
  const base = ctx.targets.apprunner?.url;
  return base ? `${base}${ctx.config.smoke.path}` : undefined;
};

export function smokeStep(state: DeployState, deps: SmokeDeps = {}): Step {
  return {
    id: "apprunner.smoke-test",
    group: "apprunner",
    title: (ctx) => `Smoke test ${smokeUrl(ctx) ?? `https://<service url>${ctx.config.smoke.path}`}`,
    describe: (ctx) => [{
      kind: "http", command: `GET ${smokeUrl(ctx) ?? `https://<service url>${ctx.config.smoke.path}`}`,
      note: `expect ${ctx.config.smoke.expectStatus ?? "2xx"} within ${ctx.config.smoke.timeout}`,
    }],
    async isDone(ctx) {
      return smokeUrl(ctx) ? false : "the service has no public URL";
    },
    async run(ctx) {
      const url = smokeUrl(ctx)!;
      const answer = await waitForHttp(url, {
        timeoutMs: parseDuration(ctx.config.smoke.timeout)!,
        expectStatus: ctx.config.smoke.expectStatus,
        signal: ctx.signal,
        fetchImpl: deps.fetch,
        onAttempt: (last) => ctx.progress(`waiting: ${last}`),
      }).catch((e) => {
        const logs = state.logsHint;
        if (e instanceof DeployError && logs) throw new DeployError(e.message, `${e.hint ? `${e.hint}; ` : ""}${logs}`);
        throw e;
      });
      ctx.targets.apprunner = { ...ctx.targets.apprunner, status: answer.status };
      return `HTTP ${answer.status} after ${(answer.ms / 1000).toFixed(1)}s`;
    },
  };
}
