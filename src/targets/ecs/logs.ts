// Where an ECS Express service's containers log. Express creates the log group itself and does not
// document its name, so read it back: the live configuration's awsLogsConfiguration when present,
// else the service's task definition → the container's awslogs options ("awslogs-group").
import { describeExpressService, describeTaskDefinition, findService, type ContainerDefinition } from "../../aws/ecs.js";
import type { AwsClients } from "../../aws/clients.js";
import { DeployError } from "../../errors.js";
import type { Context } from "../../steps/types.js";
import { notDeployed } from "../../logs/errors.js";

/** The awslogs group of the Express primary container ("Main"), else of the first container that has one. */
export function awslogsGroup(containers: ContainerDefinition[]): string | undefined {
  const logging = containers.filter((c) => c.logConfiguration?.logDriver === "awslogs" && c.logConfiguration.options?.["awslogs-group"]);
  const main = logging.find((c) => c.name === "Main") ?? logging[0];
  return main?.logConfiguration?.options?.["awslogs-group"];
}

async function fromExpressConfig(aws: AwsClients, serviceArn: string, signal: AbortSignal) {
  try {
    const configs = (await describeExpressService(aws, serviceArn, signal))?.activeConfigurations ?? [];
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
  const signal = ctx.signal;
  const svc = await findService(ctx.aws, cluster, service, signal);
  if (!svc?.serviceArn) throw notDeployed("ecs", `no ECS service ${service} in cluster ${cluster}`);

  const express = await fromExpressConfig(ctx.aws, svc.serviceArn, signal);
  if (express.group) return express.group;

  const taskDefinition = svc.deployments?.find((d) => d.status === "PRIMARY")?.taskDefinition ?? svc.taskDefinition ?? express.taskDefinition;
  if (!taskDefinition) {
    throw new DeployError(`ECS service ${service} has no task definition to read its log configuration from`, `see the ECS console: cluster ${cluster} → service ${service} → Logs`);
  }
  const td = await describeTaskDefinition(ctx.aws, taskDefinition, signal);
  const group = awslogsGroup(td?.containerDefinitions ?? []);
  if (!group) {
    throw new DeployError(
      `ECS service ${service} does not send its logs to CloudWatch (no awslogs log configuration in ${taskDefinition})`,
      "add the awslogs log driver to the task definition's container, or read the logs where its log driver sends them",
    );
  }
  return group;
}
