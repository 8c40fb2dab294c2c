// Where an Express deployment is in its canary, said in words for the progress line. Every Express
// update is a canary (express-service-update-full.html, "Deployment behavior"): new tasks start, 5% of
// traffic moves to them, the deployment rolls back if 4xx+5xx stay above 1% (2 datapoints in 3 min),
// after a 3 min bake 100% moves, and after another 3 min bake the old tasks stop. The stage comes from
// ServiceDeployment.lifecycleStage and the numbers from its deploymentConfiguration when ECS sends
// them (the SDK's client-ecs ServiceDeployment, CanaryConfiguration); else the documented defaults.
import type { ServiceDeployment } from "../../aws/ecs.js";

/** Express's documented canary: 5% of traffic, 3 min before the rest, 3 min bake after it. */
export const EXPRESS_CANARY = { percent: 5, canaryBakeMinutes: 3, bakeMinutes: 3 };

export function deploymentPhase(d: ServiceDeployment): string {
  const status = d.status ?? "PENDING";
  const cfg = d.deploymentConfiguration;
  // A service's first deployment has no revision to shift traffic from (sourceServiceRevisions empty): no canary.
  const first = d.sourceServiceRevisions !== undefined && d.sourceServiceRevisions.length === 0;
  const canary = first || (cfg?.strategy && cfg.strategy !== "CANARY") ? undefined : {
    percent: cfg?.canaryConfiguration?.canaryPercent ?? EXPRESS_CANARY.percent,
    canaryBake: cfg?.canaryConfiguration?.canaryBakeTimeInMinutes ?? EXPRESS_CANARY.canaryBakeMinutes,
  };
  const bake = cfg?.bakeTimeInMinutes ?? EXPRESS_CANARY.bakeMinutes;
  const phase = ((): string | undefined => {
    switch (d.lifecycleStage) {
      case "RECONCILE_SERVICE": return "reconciling the service's revisions";
      case "PRE_SCALE_UP":
      case "SCALE_UP": return "starting the new revision's tasks, no traffic on them yet";
      case "POST_SCALE_UP": return "new tasks started, no traffic on them yet";
      case "TEST_TRAFFIC_SHIFT":
      case "POST_TEST_TRAFFIC_SHIFT": return "test traffic on the new revision";
      case "PRODUCTION_TRAFFIC_SHIFT":
        // ECS enters this stage at each traffic step of a canary: first the canary share, then the rest.
        return canary
          ? `canary: ${canary.percent}% of traffic on the new revision, rolled back if 4xx+5xx errors stay above 1%; 100% after ${canary.canaryBake} min`
          : "moving traffic to the new revision";
      case "POST_PRODUCTION_TRAFFIC_SHIFT": return "100% of traffic on the new revision";
      case "BAKE_TIME": return `bake: 100% of traffic on the new revision, old tasks kept ${bake} min in case of rollback`;
      case "CLEAN_UP": return "stopping the old revision's tasks";
      default: return (d.lifecycleStage as string | undefined)?.toLowerCase().replace(/_/g, " ");
    }
  })();
  return phase ? `${status}, ${phase}` : status;
}
