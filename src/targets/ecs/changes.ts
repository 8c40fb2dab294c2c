// The field changes an ECS Express Update makes, for the dry run's plan (src/targets/service/changes.ts
// says how each is written), and the service a write would leave, so the steps after it decide as they would.
import type { ECSExpressGatewayService, ExpressGatewayServiceConfiguration } from "../../aws/ecs.js";
import { imageChange, namedChanges, roleName, valueChange } from "../service/changes.js";
import { activeConfig, drift, type Desired } from "./spec.js";

type Pairs = { name?: string; value?: string; valueFrom?: string }[] | undefined;
const byName = (list: Pairs) => Object.fromEntries((list ?? []).map((p) => [p.name ?? "", p.value ?? p.valueFrom ?? ""]));
type Scaling = ExpressGatewayServiceConfiguration["scalingTarget"];
const scaling = (s: Scaling) => (s ? `${s.minTaskCount}–${s.maxTaskCount} tasks at ${s.autoScalingMetric} ${s.autoScalingTargetValue}` : undefined);

/** Each name drift() reports, as "what before → after". */
export function configChanges(have: ExpressGatewayServiceConfiguration | undefined, d: Desired): string[] {
  const want = d.config;
  const hc = have?.primaryContainer;
  const wc = want.primaryContainer!;
  return drift(have, d).map((name) => {
    switch (name) {
      case "configuration": return "configuration (none live)";
      case "image": return imageChange(hc?.image, wc.image!);
      case "port": return valueChange("port", hc?.containerPort ?? 80, wc.containerPort);
      case "env": return namedChanges("env", byName(hc?.environment), byName(wc.environment));
      case "secrets": return namedChanges("secrets", byName(hc?.secrets), byName(wc.secrets));
      case "cpu": return valueChange("cpu", have?.cpu, want.cpu);
      case "memory": return valueChange("memory", have?.memory, want.memory);
      case "cpuArchitecture": return valueChange("architecture", have?.cpuArchitecture ?? "X86_64", want.cpuArchitecture);
      case "healthCheckPath": return valueChange("health check path", have?.healthCheckPath, want.healthCheckPath);
      case "executionRole": return valueChange("execution role", roleName(have?.executionRoleArn), roleName(want.executionRoleArn));
      case "taskRole": return valueChange("task role", roleName(have?.taskRoleArn), roleName(want.taskRoleArn));
      case "scaling": return valueChange("scaling", scaling(have?.scalingTarget), scaling(want.scalingTarget));
      default: return name;
    }
  });
}

/** What a dry run names what ECS would make: it gives the ARNs when it makes them. */
export const PLANNED_REVISION = "<new service revision>";
const plannedArn = (name: string) => `<ARN of service ${name}>`;

/**
 * The service once the deployment a write started is SUCCESSFUL: its live configuration is `d`'s
 * (a dry run waits for nothing). A new one has no endpoint yet: ECS makes it.
 */
export function deployedAs(svc: ECSExpressGatewayService | undefined, d: Desired): ECSExpressGatewayService {
  const live = activeConfig(svc);
  return {
    ...(svc ?? { serviceName: d.name, serviceArn: plannedArn(d.name), infrastructureRoleArn: d.infrastructureRoleArn }),
    status: { statusCode: "ACTIVE" },
    activeConfigurations: [{ ...live, ...d.config, serviceRevisionArn: PLANNED_REVISION } as ExpressGatewayServiceConfiguration],
  };
}

/** A deployment in flight, as it would end well: its target (the last active configuration) is live. */
export function afterInFlight(svc: ECSExpressGatewayService | undefined): ECSExpressGatewayService | undefined {
  const list = svc?.activeConfigurations;
  return list && list.length > 1 ? { ...svc, activeConfigurations: [list.at(-1)!] } : svc;
}
