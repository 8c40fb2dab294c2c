// Amazon ECS, Express Mode services: the operations logship uses (aws-apis.md §6.3), each once, with
// not-found handled here; the writes as records for the executor (ecsCalls). The waits built on them are src/targets/ecs/wait.ts (the SDK has no Express
// waiter). The SDK is imported inside each function, so `logship --help` never loads it.
import type {
  CreateExpressGatewayServiceRequest, ECSExpressGatewayService, Service, ServiceDeployment, ServiceDeploymentBrief,
  ServiceDeploymentStatus, Tag, TaskDefinition, UpdatedExpressGatewayService, UpdateExpressGatewayServiceRequest,
} from "@aws-sdk/client-ecs";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";
import { awsCall, type AwsCall } from "./call.js";

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

/** Env values may be secrets: shown as "(secret)" wherever a call is shown (`secrets` are ARN references only). */
const ENV_SECRET = { secret: ["primaryContainer.environment.*.value"] };
const client = async (aws: AwsClients) => ({ sdk: await import("@aws-sdk/client-ecs"), ecs: await aws.ecs() });

/** ECS's writes as records with their senders (src/aws/call.ts), for the executor (src/aws/execute.ts). */
export const ecsCalls = {
  /** CreateExpressGatewayService: the new service as it answers it. */
  createExpressService: (input: CreateExpressGatewayServiceRequest): AwsCall<ECSExpressGatewayService | undefined> =>
    awsCall("ECS", "CreateExpressGatewayService", input, async (aws) => {
      const { sdk, ecs } = await client(aws);
      return (await ecs.send(new sdk.CreateExpressGatewayServiceCommand(input))).service;
    }, ENV_SECRET),
  /** UpdateExpressGatewayService: the service as it answers it (its targetConfiguration names the new revision). */
  updateExpressService: (input: UpdateExpressGatewayServiceRequest): AwsCall<UpdatedExpressGatewayService | undefined> =>
    awsCall("ECS", "UpdateExpressGatewayService", input, async (aws) => {
      const { sdk, ecs } = await client(aws);
      return (await ecs.send(new sdk.UpdateExpressGatewayServiceCommand(input))).service;
    }, ENV_SECRET),
  deleteExpressService: (serviceArn: string): AwsCall<void> => awsCall("ECS", "DeleteExpressGatewayService", { serviceArn }, async (aws) => {
    const { sdk, ecs } = await client(aws);
    await ecs.send(new sdk.DeleteExpressGatewayServiceCommand({ serviceArn }));
  }),
  tagResource: (resourceArn: string, tags: Tag[]): AwsCall<void> => awsCall("ECS", "TagResource", { resourceArn, tags }, async (aws) => {
    const { sdk, ecs } = await client(aws);
    await ecs.send(new sdk.TagResourceCommand({ resourceArn, tags }));
  }),
};

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
