// The field changes an App Runner UpdateService makes, for the dry run's plan (src/targets/service/changes.ts
// says how each is written), and the service a write would leave, so the steps after it decide as they would.
import type { Service } from "../../aws/apprunner.js";
import { imageChange, namedChanges, roleName, valueChange } from "../service/changes.js";
import { drift, units, type Desired } from "./spec.js";

/** Each name drift() reports, as "what before → after". */
export function serviceChanges(svc: Service, d: Desired): string[] {
  const dr = drift(svc, d);
  const repo = svc.SourceConfiguration?.ImageRepository;
  const have = repo?.ImageConfiguration ?? {};
  const want = d.source.ImageRepository!.ImageConfiguration!;
  const inst = svc.InstanceConfiguration ?? {};
  return [...dr.source, ...dr.instance, ...dr.healthCheck].map((name) => {
    switch (name) {
      case "image": return imageChange(repo?.ImageIdentifier, d.image);
      case "port": return valueChange("port", have.Port, want.Port);
      case "env": return namedChanges("env", have.RuntimeEnvironmentVariables ?? {}, want.RuntimeEnvironmentVariables ?? {});
      case "secrets": return namedChanges("secrets", have.RuntimeEnvironmentSecrets ?? {}, want.RuntimeEnvironmentSecrets ?? {});
      case "startCommand": return valueChange("start command", have.StartCommand, want.StartCommand);
      case "autoDeployments": return "automatic deployments on → off";
      case "accessRole": return valueChange("access role", roleName(svc.SourceConfiguration?.AuthenticationConfiguration?.AccessRoleArn), roleName(d.accessRoleArn));
      case "cpu": return valueChange("cpu", units(inst.Cpu), units(d.instance.Cpu));
      case "memory": return valueChange("memory", units(inst.Memory), units(d.instance.Memory));
      case "instanceRole": return valueChange("instance role", roleName(inst.InstanceRoleArn), roleName(d.instance.InstanceRoleArn));
      case "healthCheck": return "health check";
      default: return name;
    }
  });
}

/** What a dry run names the service CreateService would make: App Runner gives the ARN and URL. */
export const PLANNED_ARN = (name: string) => `<ARN of service ${name}>`;

/** The service once the operation a write started SUCCEEDED: running `d` (a dry run waits for nothing). */
export function settledAs(svc: Service | undefined, d: Desired): Service {
  return {
    ...(svc ?? { ServiceName: d.name, ServiceArn: PLANNED_ARN(d.name) }),
    Status: "RUNNING",
    SourceConfiguration: d.source,
    InstanceConfiguration: { ...svc?.InstanceConfiguration, ...d.instance },
    ...(d.healthCheck ? { HealthCheckConfiguration: d.healthCheck } : {}),
  } as Service;
}
