// After the deployment is SUCCESSFUL: wait until the public endpoint answers the smoke path. A new
// certificate and DNS name can take a while to answer (aws-apis.md §6.4, UNCONFIRMED), hence the wait.
import { parseDuration } from "../../config/rules.js";
import { DeployError } from "../../errors.js";
import { waitForHttp } from "../../util/http.js";
import type { Context, Step } from "../types.js";
import { consoleHint } from "./api.js";
import { targetConfig } from "./spec.js";

export interface SmokeDeps {
  /** Injected by tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

const smokeUrl = (ctx: Context) => {
  const base = ctx.targets.ecs?.url;
  return base ? `${base}${ctx.config.smoke.path}` : undefined;
};

export function smokeStep(deps: SmokeDeps = {}): Step {
  const shown = (ctx: Context) => smokeUrl(ctx) ?? `https://<service endpoint>${ctx.config.smoke.path}`;
  return {
    id: "ecs.smoke-test",
    group: "ecs",
    title: (ctx) => `Smoke test ${shown(ctx)}`,
    describe: (ctx) => [{
      kind: "http", command: `GET ${shown(ctx)}`,
      note: `expect ${ctx.config.smoke.expectStatus ?? "2xx"} within ${ctx.config.smoke.timeout}`,
    }],
    async isDone(ctx) {
      if (smokeUrl(ctx)) return false;
      const inside = ctx.targets.ecs?.privateUrl;
      return inside ? `the service only answers inside its VPC (${inside}): not smoke-tested from here` : "the service has no public endpoint";
    },
    async run(ctx) {
      const url = smokeUrl(ctx)!;
      const t = targetConfig(ctx.config);
      const answer = await waitForHttp(url, {
        timeoutMs: parseDuration(ctx.config.smoke.timeout)!,
        expectStatus: ctx.config.smoke.expectStatus,
        signal: ctx.signal,
        fetchImpl: deps.fetch,
        onAttempt: (last) => ctx.progress(`waiting: ${last}`),
      }).catch((e) => {
        if (e instanceof DeployError) throw new DeployError(e.message, `${e.hint ? `${e.hint}; ` : ""}${consoleHint(t.cluster, t.service)}`);
        throw e;
      });
      ctx.targets.ecs = { ...ctx.targets.ecs, status: answer.status };
      return `HTTP ${answer.status} after ${(answer.ms / 1000).toFixed(1)}s`;
    },
  };
}
