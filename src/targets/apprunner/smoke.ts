// After the service is RUNNING: wait until its public URL answers the smoke path.
import { smokeDetail, smokeExpectation, smokeGet, switchableSmoke } from "../../steps/smoke-http.js";
import type { Context, Step } from "../../steps/types.js";
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
  return switchableSmoke({
    id: "apprunner.smoke-test",
    group: "apprunner",
    title: (ctx) => `Smoke test ${smokeUrl(ctx) ?? `https://<service url>${ctx.config.smoke.path}`}`,
    describe: (ctx) => [{
      kind: "http", command: `GET ${smokeUrl(ctx) ?? `https://<service url>${ctx.config.smoke.path}`}`,
      note: smokeExpectation(ctx),
    }],
    async isDone(ctx) {
      return smokeUrl(ctx) ? false : "the service has no public URL";
    },
    async run(ctx) {
      const answer = await smokeGet(ctx, smokeUrl(ctx)!, { fetch: deps.fetch, logsHint: state.logsHint });
      ctx.targets.apprunner = { ...ctx.targets.apprunner, status: answer.status };
      return smokeDetail(answer);
    },
  });
}
