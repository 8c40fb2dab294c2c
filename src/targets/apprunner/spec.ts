// What the App Runner service should look like, built from the config and the pushed image, and how
// it differs from what AWS reports. Pure functions: the steps call AWS, these only compute.
import { targetConfig as configuredTarget } from "../config.js";
import { targetEnv } from "../../config/env.js";
import type { CreateServiceRequest, Service, UpdateServiceRequest } from "../../aws/apprunner.js";
import type { Config } from "../../config/schema.js";
import type { ImageState } from "../../steps/types.js";

/** The service's public URL (App Runner gives a bare host name), for deploy and status alike. */
export const urlOf = (svc: Service) => (svc.ServiceUrl ? `https://${svc.ServiceUrl}` : undefined);

export type AppRunnerConfig = NonNullable<Config["targets"]["apprunner"]>;

// targetFor() checks this first; the one message is src/targets/config.ts's.
export const targetConfig = (config: Config): AppRunnerConfig => configuredTarget(config, "apprunner");

/** Deploy by digest: what runs is exactly what was pushed (DESIGN.md). */
export function imageIdentifier(image: ImageState): string | undefined {
  return image.remote ? `${image.remote.repository}@${image.remote.digest}` : undefined;
}

/** For --dry-run, before the push has produced a digest. */
export const plannedIdentifier = (image: ImageState) =>
  imageIdentifier(image) ?? `${image.repositoryUri ?? image.spec.registry.repository}@<digest of the pushed image>`;

export const runtimeEnv = (config: Config): Record<string, string> => targetEnv(config, "apprunner");

export interface Desired {
  name: string;
  image: string;
  accessRoleArn: string;
  source: NonNullable<CreateServiceRequest["SourceConfiguration"]>;
  instance: NonNullable<CreateServiceRequest["InstanceConfiguration"]>;
  healthCheck?: CreateServiceRequest["HealthCheckConfiguration"];
}

export function desired(config: Config, image: string, accessRoleArn: string): Desired {
  const t = targetConfig(config);
  const hc = t.healthCheck;
  return {
    name: t.service,
    image,
    accessRoleArn,
    source: {
      ImageRepository: {
        ImageIdentifier: image,
        ImageRepositoryType: "ECR",
        ImageConfiguration: {
          Port: String(t.port),
          RuntimeEnvironmentVariables: runtimeEnv(config),
          // Only ARN references: App Runner reads the values itself at start.
          RuntimeEnvironmentSecrets: { ...t.secrets },
          ...(t.startCommand ? { StartCommand: t.startCommand } : {}),
        },
      },
      // Same-account ECR defaults to true, and every push would then race our deploy (aws-apis.md §5.2).
      AutoDeploymentsEnabled: false,
      AuthenticationConfiguration: { AccessRoleArn: accessRoleArn },
    },
    instance: {
      Cpu: String(t.cpu),
      Memory: String(t.memory),
      ...(t.instanceRoleArn ? { InstanceRoleArn: t.instanceRoleArn } : {}),
    },
    healthCheck: hc && {
      Protocol: hc.protocol,
      Path: hc.path,
      Interval: hc.interval,
      Timeout: hc.timeout,
      HealthyThreshold: hc.healthyThreshold,
      UnhealthyThreshold: hc.unhealthyThreshold,
    },
  };
}

export function createInput(d: Desired, app: string, digest: string): CreateServiceRequest {
  return {
    ServiceName: d.name,
    SourceConfiguration: d.source,
    InstanceConfiguration: d.instance,
    ...(d.healthCheck ? { HealthCheckConfiguration: d.healthCheck } : {}),
    Tags: [{ Key: "logship:app", Value: app }, { Key: "logship:image", Value: digest }],
  };
}

/** "1 vCPU" / "1024" → 1024; "2 GB" / "2048" → 2048 (Describe may answer in either form). */
export function units(v: string | undefined): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v);
  const m = /^([\d.]+)\s*(vCPU|GB)$/i.exec(v.trim());
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

const sameMap = (a: Record<string, string> = {}, b: Record<string, string> = {}) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export interface Drift {
  image: boolean;
  source: string[];
  instance: string[];
  healthCheck: string[];
}

export const driftList = (d: Drift) => [...d.source, ...d.instance, ...d.healthCheck];

export function drift(svc: Service, d: Desired): Drift {
  const repo = svc.SourceConfiguration?.ImageRepository;
  const have = repo?.ImageConfiguration ?? {};
  const want = d.source.ImageRepository!.ImageConfiguration!;
  const source: string[] = [];
  const image = repo?.ImageIdentifier !== d.image;
  if (image) source.push("image");
  if (have.Port !== want.Port) source.push("port");
  if (!sameMap(have.RuntimeEnvironmentVariables, want.RuntimeEnvironmentVariables)) source.push("env");
  if (!sameMap(have.RuntimeEnvironmentSecrets, want.RuntimeEnvironmentSecrets)) source.push("secrets");
  if ((have.StartCommand ?? "") !== (want.StartCommand ?? "")) source.push("startCommand");
  if (svc.SourceConfiguration?.AutoDeploymentsEnabled !== false) source.push("autoDeployments");
  if (svc.SourceConfiguration?.AuthenticationConfiguration?.AccessRoleArn !== d.accessRoleArn) source.push("accessRole");

  const inst = svc.InstanceConfiguration ?? {};
  const instance: string[] = [];
  if (units(inst.Cpu) !== units(d.instance.Cpu)) instance.push("cpu");
  if (units(inst.Memory) !== units(d.instance.Memory)) instance.push("memory");
  // Only compared when configured: leaving it out of the config leaves the service's as it is.
  if (d.instance.InstanceRoleArn && inst.InstanceRoleArn !== d.instance.InstanceRoleArn) instance.push("instanceRole");

  const healthCheck: string[] = [];
  if (d.healthCheck) {
    const h = svc.HealthCheckConfiguration ?? {};
    const w = d.healthCheck;
    const keys = ["Protocol", "Path", "Interval", "Timeout", "HealthyThreshold", "UnhealthyThreshold"] as const;
    if (keys.some((k) => h[k] !== w[k] && !(k === "Path" && w.Protocol === "TCP"))) healthCheck.push("healthCheck");
  }
  return { image, source, instance, healthCheck };
}

/** The whole source (it must carry AutoDeploymentsEnabled false again) plus only the other parts that changed. */
export function updateInput(arn: string, d: Desired, dr: Drift): UpdateServiceRequest {
  return {
    ServiceArn: arn,
    SourceConfiguration: d.source,
    ...(dr.instance.length ? { InstanceConfiguration: d.instance } : {}),
    ...(dr.healthCheck.length ? { HealthCheckConfiguration: d.healthCheck } : {}),
  };
}
