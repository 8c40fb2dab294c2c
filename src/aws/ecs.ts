// Amazon ECS, Express Mode services: the operations logship uses (aws-apis.md §6.3), each once, with
// not-found handled here. The waits built on them are src/targets/ecs/wait.ts (the SDK has no Express
// waiter). The SDK is imported inside each function, so `logship --help` never loads it.
import type {
  CreateExpressGatewayServiceRequest, ECSExpressGatewayService, Service, ServiceDeployment, ServiceDeploymentBrief,
  ServiceDeploymentStatus, Tag, TaskDefinition, UpdatedExpressGatewayService, UpdateExpressGatewayServiceRequest,
} from "@aws-sdk/client-ecs";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";

export type {
  ContainerDefinition, CreateExpressGatewayServiceRequest, ECSExpressGatewayService, ExpressCpuArchitecture,
  ExpressGatewayServiceConfiguration, Service, ServiceDeployment, ServiceDeploymentBrief, ServiceDeploymentStatus,
  UpdateExpressGatewayServiceRequest,
} from "@aws-sdk/client-ecs";

const NOT_FOUND = new Set(["ResourceNotFoundException", "ServiceNotFoundException", "ClusterNotFoundException"]);
const message = (e: unknown) => String((e as Error | undefined)?.message ?? "");

/**
 * "The service does not exist, or is gone". Express answers that in more ways than
 * ResourceNotFoundException: Terraform's provider (internal/service/ecs/express_gateway_service.go,
 * findExpressGatewayService and Delete, v6.23+) also treats InvalidParameterException "Resource not
 * found" and ServiceNotActiveException "Cannot perform this operation on a service in INACTIVE status"
 * as gone.
 */
export const isNotFound = (e: unknown) =>
  NOT_FOUND.has(errName(e)) ||
  (errName(e) === "InvalidParameterException" && /Resource not found/i.test(message(e))) ||
  (errName(e) === "ServiceNotActiveException" && /INACTIVE status/i.test(message(e)));

/** ServiceNotActiveException "Service is in DRAINING status": a delete is under way (same source). */
export const isDraining = (e: unknown) => errName(e) === "ServiceNotActiveException" && /DRAINING status/i.test(message(e));

const sendOptions = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : undefined);

/**
 * The live (not INACTIVE) ECS service with this name in the cluster, or undefined. DescribeServices
 * answers a missing name with a `failures` entry, a deleted service as INACTIVE and a missing cluster
 * with ClusterNotFoundException (aws-apis.md §6.2; API_DescribeServices.html).
 */
export async function findService(aws: AwsClients, cluster: string, name: string, signal?: AbortSignal): Promise<Service | undefined> {
  const { DescribeServicesCommand } = await import("@aws-sdk/client-ecs");
  let services;
  try {
    services = (await (await aws.ecs()).send(new DescribeServicesCommand({ cluster, services: [name] }), sendOptions(signal))).services ?? [];
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  return services.find((s) => s.serviceName === name && s.status !== "INACTIVE" && s.serviceArn);
}

/**
 * The Express service, or undefined when it is gone. A service being deleted can answer with
 * ServiceNotActiveException instead of its description: it is reported as DRAINING, as Terraform
 * stands in a status for an INACTIVE one (statusExpressGatewayServiceForDeletion).
 */
export async function describeExpressService(aws: AwsClients, serviceArn: string, signal?: AbortSignal): Promise<ECSExpressGatewayService | undefined> {
  const { DescribeExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  try {
    return (await (await aws.ecs()).send(new DescribeExpressGatewayServiceCommand({ serviceArn }), sendOptions(signal))).service;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    if (isDraining(e)) return { serviceArn, status: { statusCode: "DRAINING", statusReason: message(e) } };
    throw e;
  }
}

/** The Express service's tags (DescribeExpressGatewayService with include TAGS); errors go up as they are. */
export async function expressServiceTags(aws: AwsClients, serviceArn: string): Promise<Tag[]> {
  const { DescribeExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  const out = await (await aws.ecs()).send(new DescribeExpressGatewayServiceCommand({ serviceArn, include: ["TAGS"] }));
  return out.service?.tags ?? [];
}

/** The new service as CreateExpressGatewayService answers it. */
export async function createExpressService(aws: AwsClients, input: CreateExpressGatewayServiceRequest): Promise<ECSExpressGatewayService | undefined> {
  const { CreateExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  return (await (await aws.ecs()).send(new CreateExpressGatewayServiceCommand(input))).service;
}

/** The service as UpdateExpressGatewayService answers it (its targetConfiguration names the new revision). */
export async function updateExpressService(aws: AwsClients, input: UpdateExpressGatewayServiceRequest): Promise<UpdatedExpressGatewayService | undefined> {
  const { UpdateExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  return (await (await aws.ecs()).send(new UpdateExpressGatewayServiceCommand(input))).service;
}

export async function deleteExpressService(aws: AwsClients, serviceArn: string): Promise<void> {
  const { DeleteExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
  await (await aws.ecs()).send(new DeleteExpressGatewayServiceCommand({ serviceArn }));
}

export async function tagResource(aws: AwsClients, resourceArn: string, tags: Tag[]): Promise<void> {
  const { TagResourceCommand } = await import("@aws-sdk/client-ecs");
  await (await aws.ecs()).send(new TagResourceCommand({ resourceArn, tags }));
}

/** The service's deployments, optionally only those in these states or created after a time (one page). */
export async function listServiceDeployments(
  aws: AwsClients, cluster: string, serviceArn: string, filter: { status?: ServiceDeploymentStatus[]; after?: Date },
): Promise<ServiceDeploymentBrief[]> {
  const { ListServiceDeploymentsCommand } = await import("@aws-sdk/client-ecs");
  const out = await (await aws.ecs()).send(new ListServiceDeploymentsCommand({
    cluster, service: serviceArn,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.after ? { createdAt: { after: filter.after } } : {}),
  }));
  return out.serviceDeployments ?? [];
}

export async function describeServiceDeployment(aws: AwsClients, serviceDeploymentArn: string): Promise<ServiceDeployment | undefined> {
  const { DescribeServiceDeploymentsCommand } = await import("@aws-sdk/client-ecs");
  const out = await (await aws.ecs()).send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }));
  return out.serviceDeployments?.[0];
}

export async function describeTaskDefinition(aws: AwsClients, taskDefinition: string, signal?: AbortSignal): Promise<TaskDefinition | undefined> {
  const { DescribeTaskDefinitionCommand } = await import("@aws-sdk/client-ecs");
  return (await (await aws.ecs()).send(new DescribeTaskDefinitionCommand({ taskDefinition }), sendOptions(signal))).taskDefinition;
}
