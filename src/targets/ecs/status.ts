// `logship status` for ECS Express: read back from AWS, no local state.
import type { TargetStatus } from "../types.js";
import type { Context } from "../../steps/types.js";
import { findService } from "./api.js";
import { activeConfig, privateUrl, publicUrl, targetConfig } from "./spec.js";

export async function ecsStatus(ctx: Context): Promise<TargetStatus> {
  const t = targetConfig(ctx.config);
  const svc = await findService(ctx, t.cluster, t.service);
  if (!svc) return { target: "ecs", exists: false, detail: `no ECS Express service ${t.service} in cluster ${t.cluster}` };
  // A DRAINING service is being deleted ("Service is in DRAINING status"): gone for every purpose but the name.
  if (svc.status?.statusCode === "DRAINING") {
    return { target: "ecs", exists: false, state: "DRAINING", detail: `ECS Express service ${t.service} in cluster ${t.cluster} is being deleted (DRAINING)` };
  }
  const reason = svc.status?.statusReason;
  return {
    target: "ecs",
    exists: true,
    state: svc.status?.statusCode,
    url: publicUrl(svc) ?? privateUrl(svc),
    image: activeConfig(svc)?.primaryContainer?.image,
    updatedAt: (svc.updatedAt ?? svc.createdAt)?.toISOString(),
    detail: `service ${t.service} in cluster ${t.cluster}${reason ? `: ${reason}` : ""}`,
  };
}
