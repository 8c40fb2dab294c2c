// After the deployment is SUCCESSFUL: wait until the public endpoint answers the smoke path. A new
// certificate and DNS name can take a while to answer (aws-apis.md §6.4), hence the wait (smoke.timeout).
// Still unconfirmed how long: no AWS page (express-service-work, express-service-create-full), the SDK model
// or Terraform's provider (its wait ends at SUCCESSFUL) states a delay, and moto has no Express to try it on.
import { smokeDetail, smokeExpectation, smokeGet, switchableSmoke } from "../../steps/smoke-http.js";
import type { Context, Step } from "../../steps/types.js";
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
  return switchableSmoke({
    id: "ecs.smoke-test",
    group: "ecs",
    title: (ctx) => `Smoke test ${shown(ctx)}`,
    describe: (ctx) => [{
      kind: "http", command: `GET ${shown(ctx)}`,
      note: smokeExpectation(ctx),
    }],
    async isDone(ctx) {
      if (smokeUrl(ctx)) return false;
      const inside = ctx.targets.ecs?.privateUrl;
      return inside ? `the service only answers inside its VPC (${inside}): not smoke-tested from here` : "the service has no public endpoint";
    },
    async run(ctx) {
      const t = targetConfig(ctx.config);
      const answer = await smokeGet(ctx, smokeUrl(ctx)!, { fetch: deps.fetch, logsHint: consoleHint(t.cluster, t.service) });
      ctx.targets.ecs = { ...ctx.targets.ecs, status: answer.status };
      return smokeDetail(answer);
    },
  });
}
