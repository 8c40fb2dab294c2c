// Where an ECS Express service's containers log. Express creates the log group itself and does not
// document its name, so read it back: the live configuration's awsLogsConfiguration when present,
// else the service's task definition → the container's awslogs options ("awslogs-group").
import type { ContainerDefinition, ECSClient } from "@aws-sdk/client-ecs";
import { DeployError } from "../errors.js";
import type { Context } from "../steps/types.js";
import { notDeployed } from "./errors.js";
import { errName } from "../util/err-name.js";

const NOT_FOUND = new Set(["ServiceNotFoundException", "ClusterNotFoundException", "ResourceNotFoundException"]);

/** The awslogs group of the Express primary container ("Main"), else of the first container that has one. */
export function awslogsGroup(containers: ContainerDefinition[]): string | undefined {
  const logging = containers.filter((c) => c.logConfiguration?.logDriver === "awslogs" && c.logConfiguration.options?.["awslogs-group"]);
  const main = logging.find((c) => c.name === "Main") ?? logging[0];
  return main?.logConfiguration?.options?.["awslogs-group"];
}

async function fromExpressConfig(client: ECSClient, serviceArn: string, signal: AbortSignal) {
  const { DescribeExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  try {
    const out = await client.send(new DescribeExpressGatewayServiceCommand({ serviceArn }), { abortSignal: signal });
    const configs = out.service?.activeConfigurations ?? [];
    const group = configs.map((c) => c.primaryContainer?.awsLogsConfiguration?.logGroup).find(Boolean);
    return { group, taskDefinition: configs.map((c) => c.taskDefinitionArn).find(Boolean) };
  } catch (e) {
    // Not an Express service, or no permission for the Express API: the task definition still says.
    if (signal.aborted) throw e;
    return {};
  }
}

export async function ecsLogGroup(ctx: Context): Promise<string> {
  const { service, cluster } = ctx.config.targets.ecs!;
  const { DescribeServicesCommand, DescribeTaskDefinitionCommand } = await import("@aws-sdk/client-ecs");
  const client = await ctx.aws.ecs();
  const signal = ctx.signal;
  let services;
  try {
    services = (await client.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: signal })).services ?? [];
  } catch (e) {
    if (NOT_FOUND.has(errName(e))) throw notDeployed("ecs", `no ECS service ${service} in cluster ${cluster}`);
    throw e;
  }
  const svc = services.find((s) => s.serviceName === service && s.status !== "INACTIVE");
  if (!svc?.serviceArn) throw notDeployed("ecs", `no ECS service ${service} in cluster ${cluster}`);

  const express = await fromExpressConfig(client, svc.serviceArn, signal);
  if (express.group) return express.group;

  const taskDefinition = svc.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition ?? svc.taskDefinition ?? express.taskDefinition;
  if (!taskDefinition) {
    throw new DeployError(`ECS service ${service} has no task definition to read its log configuration from`, `see the ECS console: cluster ${cluster} → service ${service} → Logs`);
  }
  const td = (await client.send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: signal })).taskDefinition;
  const group = awslogsGroup(td?.containerDefinitions ?? []);
  if (!group) {
    throw new DeployError(
      `ECS service ${service} does not send its logs to CloudWatch (no awslogs log configuration in ${taskDefinition})`,
      "add the awslogs log driver to the task definition's container, or read the logs where its log driver sends them",
    );
  }
  return group;
}
