// What the ECS Express Mode service should look like, built from the config and the pushed image,
// and how it differs from what AWS reports. Pure functions: the steps call AWS, these only compute.
// aws-apis.md §6.2/§6.3; shapes from the installed SDK's client-ecs types (re-exported by src/aws/ecs.ts).
import type {
  CreateExpressGatewayServiceRequest, ECSExpressGatewayService, ExpressCpuArchitecture,
  ExpressGatewayServiceConfiguration, UpdateExpressGatewayServiceRequest,
} from "../../aws/ecs.js";
import type { Config } from "../../config/schema.js";
import { targetConfig as configuredTarget } from "../config.js";
import { remoteRepository } from "../../steps/push.js";
import type { ImageState } from "../../steps/types.js";
import { targetEnv } from "../../config/env.js";

export type EcsTarget = NonNullable<Config["targets"]["ecs"]>;

export const EXEC_ROLE_PURPOSE = "ecs-exec";
export const INFRA_ROLE_PURPOSE = "ecs-infra";
/** Managed policy paths; the ARN gets the caller's partition when the role step runs (src/aws/partition.ts). */
export const EXEC_POLICY = "service-role/AmazonECSTaskExecutionRolePolicy";
export const INFRA_POLICY = "service-role/AmazonECSInfrastructureRoleforExpressGatewayServices";
export const PREVIOUS_IMAGE_TAG = "logship:previous-image";

export const targetConfig = (config: Config): EcsTarget => configuredTarget(config, "ecs");

/** Deploy by digest (DESIGN.md); a placeholder in a dry run before the push. */
export function imageRef(image: ImageState): string {
  return image.remote ? `${image.remote.repository}@${image.remote.digest}` : `${remoteRepository(image)}@<digest after push>`;
}

/** Docker's word (amd64/arm64) ↔ ECS Express's (X86_64/ARM64). */
export const ecsArch = (dockerArch: string): ExpressCpuArchitecture => (dockerArch === "arm64" ? "ARM64" : "X86_64");
export const dockerArch = (arch: string | undefined) => (arch === "ARM64" ? "arm64" : "amd64");

/**
 * What the service will run: image.platform when configured; else what the service already runs
 * (so an ARM64 service is not silently switched); else X86_64, the Express default.
 * Which client-ecs release first had cpuArchitecture (aws-apis.md §0/§8.4) does not matter here: package.json pins
 * the SDK's client-ecs at 3.1142.0, whose model has it on Create/Update ("If you don't specify a value, the default is
 * X86_64" / "the service keeps the architecture that it currently runs on") and on the revision, which "isn't
 * returned when the task definition … doesn't specify a runtime platform": hence the ?? "X86_64" below and in drift().
 */
export function wantedArch(config: Config, existing?: ExpressGatewayServiceConfiguration): ExpressCpuArchitecture {
  if (config.image.platform) return ecsArch(config.image.platform.split("/")[1]);
  return existing?.cpuArchitecture ?? "X86_64";
}

/** ctx.config.env, then the target's env (it wins); ECS wants strings. */
export function environment(config: Config): { name: string; value: string }[] {
  return Object.entries(targetEnv(config, "ecs")).map(([name, value]) => ({ name, value }));
}

export interface Desired {
  name: string;
  cluster: string;
  executionRoleArn: string;
  infrastructureRoleArn: string;
  config: Omit<UpdateExpressGatewayServiceRequest, "serviceArn">;
}

export function desired(config: Config, image: string, roles: { exec: string; infra: string }, arch: ExpressCpuArchitecture): Desired {
  const t = targetConfig(config);
  const c: Desired["config"] = {
    executionRoleArn: roles.exec,
    healthCheckPath: t.healthCheckPath,
    primaryContainer: {
      image,
      containerPort: t.port,
      environment: environment(config),
      // ARN references only: ECS reads the values itself when a task starts.
      secrets: Object.entries(t.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
    },
    // Always explicit: the SDK model and AWS's own docs disagree on the defaults (aws-apis.md §6.2). AWS's guide says
    // cpu 1024, memory 2048 (express-service-work.html, task definition defaults); the SDK's client-ecs 3.1142.0
    // model still says 256 / 512 MiB. Sending both means neither is relied on; our config defaults are the guide's.
    cpu: String(t.cpu),
    memory: String(t.memory),
    cpuArchitecture: arch,
    ...(t.taskRoleArn ? { taskRoleArn: t.taskRoleArn } : {}),
    ...(t.scaling ? {
      scalingTarget: {
        minTaskCount: t.scaling.min, maxTaskCount: t.scaling.max,
        autoScalingMetric: t.scaling.metric, autoScalingTargetValue: t.scaling.target,
      },
    } : {}),
    // No security groups configured: Express makes its own, so none are sent (and none compared).
    ...(t.network ? {
      networkConfiguration: { subnets: t.network.subnets, ...(t.network.securityGroups.length ? { securityGroups: t.network.securityGroups } : {}) },
    } : {}),
  };
  return { name: t.service, cluster: t.cluster, executionRoleArn: roles.exec, infrastructureRoleArn: roles.infra, config: c };
}

export function createInput(d: Desired, app: string): CreateExpressGatewayServiceRequest {
  return {
    serviceName: d.name,
    cluster: d.cluster,
    infrastructureRoleArn: d.infrastructureRoleArn,
    ...d.config,
    tags: [{ key: "logship:app", value: app }],
  };
}

/** The whole desired configuration: an update makes a new service revision from it. */
export const updateInput = (arn: string, d: Desired): UpdateExpressGatewayServiceRequest => ({ serviceArn: arn, ...d.config });

/** The configuration the service runs now. Once no deployment is in flight there is one; AWS's action reads [0] too. */
export const activeConfig = (svc: ECSExpressGatewayService | undefined) => svc?.activeConfigurations?.[0];

const asUrl = (endpoint: string | undefined) =>
  endpoint ? (/^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`).replace(/\/+$/, "") : undefined;

/** The internet-facing endpoint, read from the service (never built: aws-apis.md §6.4). */
export const publicUrl = (svc: ECSExpressGatewayService | undefined): string | undefined =>
  asUrl(activeConfig(svc)?.ingressPaths?.find((p) => p.accessType !== "PRIVATE" && p.endpoint)?.endpoint);

/** A VPC-only endpoint (private subnets): shown, but not smoke-tested from here. */
export const privateUrl = (svc: ECSExpressGatewayService | undefined): string | undefined =>
  asUrl(activeConfig(svc)?.ingressPaths?.find((p) => p.accessType === "PRIVATE" && p.endpoint)?.endpoint);

const pairs = (list: { name?: string; value?: string; valueFrom?: string }[] | undefined) =>
  JSON.stringify((list ?? []).map((p) => [p.name, p.value ?? p.valueFrom ?? ""]).sort());
const sorted = (list: string[] | undefined) => JSON.stringify([...(list ?? [])].sort());

/** Names of what differs ("image", "cpu", …); empty when the service already runs the desired configuration. */
export function drift(have: ExpressGatewayServiceConfiguration | undefined, d: Desired): string[] {
  if (!have) return ["configuration"];
  const want = d.config;
  const hc = have.primaryContainer;
  const wc = want.primaryContainer!;
  const out: string[] = [];
  if (hc?.image !== wc.image) out.push("image");
  if ((hc?.containerPort ?? 80) !== wc.containerPort) out.push("port");
  if (pairs(hc?.environment) !== pairs(wc.environment)) out.push("env");
  if (pairs(hc?.secrets) !== pairs(wc.secrets)) out.push("secrets");
  if (Number(have.cpu) !== Number(want.cpu)) out.push("cpu");
  if (Number(have.memory) !== Number(want.memory)) out.push("memory");
  if ((have.cpuArchitecture ?? "X86_64") !== want.cpuArchitecture) out.push("cpuArchitecture");
  if (have.healthCheckPath !== want.healthCheckPath) out.push("healthCheckPath");
  if (have.executionRoleArn !== want.executionRoleArn) out.push("executionRole");
  // Only compared when configured: leaving them out of the config leaves the service's as they are.
  if (want.taskRoleArn && have.taskRoleArn !== want.taskRoleArn) out.push("taskRole");
  const ws = want.scalingTarget;
  const hs = have.scalingTarget;
  if (ws && (hs?.minTaskCount !== ws.minTaskCount || hs?.maxTaskCount !== ws.maxTaskCount ||
    hs?.autoScalingMetric !== ws.autoScalingMetric || hs?.autoScalingTargetValue !== ws.autoScalingTargetValue)) out.push("scaling");
  const wn = want.networkConfiguration;
  const hn = have.networkConfiguration;
  if (wn && (sorted(hn?.subnets) !== sorted(wn.subnets) ||
    (wn.securityGroups && sorted(hn?.securityGroups) !== sorted(wn.securityGroups)))) out.push("network");
  return out;
}
