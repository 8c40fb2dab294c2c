// After the deployment is SUCCESSFUL: wait until the public endpoint answers the smoke path. A new
// certificate and DNS name can take a while to answer (aws-apis.md §6.4), hence the wait (smoke.timeout).
// Still unconfirmed how long: no AWS page (express-service-work, express-service-create-full), the SDK model
// or Terraform's provider (its wait ends at SUCCESSFUL) states a delay, and moto has no Express to try it on.
import type { Step } from "../../steps/types.js";
import { recordedUrl, urlSmokeStep, type SmokeDeps } from "../service/smoke.js";
import { consoleHint } from "./api.js";
import { targetConfig } from "./spec.js";

export type { SmokeDeps };

export function smokeStep(deps: SmokeDeps = {}): Step {
  return urlSmokeStep({
    group: "ecs",
    url: (ctx) => recordedUrl(ctx, "ecs"),
    placeholder: (ctx) => `https://<service endpoint>${ctx.config.smoke.path}`,
    noUrl: (ctx) => {
      const inside = ctx.targets.ecs?.privateUrl;
      return inside ? `the service only answers inside its VPC (${inside}): not smoke-tested from here` : "the service has no public endpoint";
    },
    logsHint: (ctx) => {
      const t = targetConfig(ctx.config);
      return consoleHint(t.cluster, t.service);
    },
    fetch: deps.fetch,
  });
}
