// After the service is RUNNING: wait until its public URL answers the smoke path.
import type { Step } from "../../steps/types.js";
import { recordedUrl, urlSmokeStep, type SmokeDeps } from "../service/smoke.js";
import type { DeployState } from "./roles.js";

export type { SmokeDeps };

export function smokeStep(state: DeployState, deps: SmokeDeps = {}): Step {
  return urlSmokeStep({
    group: "apprunner",
    url: (ctx) => recordedUrl(ctx, "apprunner"),
    placeholder: (ctx) => `https://<service url>${ctx.config.smoke.path}`,
    noUrl: () => "the service has no public URL",
    logsHint: () => state.logsHint,
    fetch: deps.fetch,
  });
}
