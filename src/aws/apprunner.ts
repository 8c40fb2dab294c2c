// AWS App Runner: the operations logship uses (aws-apis.md §5), each once, with paging and
// not-found handled here; the writes as records for the executor (appRunnerCalls). The waits built on them are src/targets/apprunner/api.ts (App Runner has no
// SDK waiters). The SDK is imported inside each function, so `logship --help` never loads it.
import type { CreateServiceRequest, CreateServiceResponse, OperationSummary, Service, Tag, UpdateServiceRequest, UpdateServiceResponse } from "@aws-sdk/client-apprunner";
import { DeployError } from "../errors.js";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";
import { awsCall, type AwsCall } from "./call.js";

export type { CreateServiceRequest, OperationSummary, Service, UpdateServiceRequest } from "@aws-sdk/client-apprunner";

/**
 * App Runner takes no new customers since 30 April 2026 (aws-apis.md §5.0). Still unconfirmed: the exact error a
 * new account gets, because no source here shows it: the SDK's client-apprunner 3.1142.0 CreateService model
 * lists only InvalidRequestException, InternalServiceErrorException and ServiceQuotaExceededException, the
 * availability page (apprunner-availability-change.html) names no error, and the public reports found
 * (ed-donner/production#153, runs-on/terraform-aws-runs-on#31) quote none. So match defensively on names and
 * wording about subscription / opt-in / new customers, but not on a missing IAM permission or the access-role error.
 */
export function isAccountClosed(e: unknown): boolean {
  const name = errName(e);
  const message = String((e as Error)?.message ?? "");
  if (/not authorized to perform|assuming access role/i.test(message)) return false;
  if (/^(SubscriptionRequired|OptInRequired|NotSubscribed)/i.test(name)) return true;
  if (/subscri|opt[- ]?in|new customers?|no longer (open|available|accept)|not available (to|for) (your|this) account/i.test(message)) {
    return /AccessDenied|InvalidRequest|Unauthorized|Forbidden|Subscription|OptIn/i.test(name) || name === "";
  }
  return false;
}

export function accountClosedError(e: unknown): DeployError {
  return new DeployError(
    `App Runner does not accept this AWS account (closed to new customers since 30 April 2026): use \`logship deploy ecs\` instead`,
    "https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html",
    { cause: e },
  );
}

/** Re-throws an account-closed error as a DeployError pointing to ECS; anything else unchanged. */
export function rethrowAppRunner(e: unknown): never {
  throw isAccountClosed(e) ? accountClosedError(e) : e;
}

/** A service found by name: what ListServices says of it. */
export interface FoundService {
  arn: string;
  /** The id in its log group's name (/aws/apprunner/<name>/<id>/application). */
  id?: string;
  status?: string;
}

/**
 * The live service with this name, paging ListServices; undefined when there is none. ListServices
 * can still list a deleted service, as Status DELETED (one of the states in
 * https://docs.aws.amazon.com/apprunner/latest/api/API_ServiceSummary.html); it is skipped, and the
 * search goes on, since a live service of the same name may come on a later page.
 */
export async function findService(aws: AwsClients, name: string, signal?: AbortSignal): Promise<FoundService | undefined> {
  const { ListServicesCommand } = await import("@aws-sdk/client-apprunner");
  const client = await aws.apprunner();
  let NextToken: string | undefined;
  do {
    const out = await client.send(new ListServicesCommand({ NextToken, MaxResults: 20 }), signal ? { abortSignal: signal } : undefined).catch(rethrowAppRunner);
    const hit = (out.ServiceSummaryList ?? []).find((s) => s.ServiceName === name && s.Status !== "DELETED" && s.ServiceArn);
    if (hit) return { arn: hit.ServiceArn!, id: hit.ServiceId, status: hit.Status };
    NextToken = out.NextToken;
  } while (NextToken);
  return undefined;
}

/**
 * The service, or undefined when it is gone: ResourceNotFoundException
 * (https://docs.aws.amazon.com/apprunner/latest/api/API_DescribeService.html).
 */
export async function describeService(aws: AwsClients, arn: string): Promise<Service | undefined> {
  const { DescribeServiceCommand } = await import("@aws-sdk/client-apprunner");
  try {
    return (await (await aws.apprunner()).send(new DescribeServiceCommand({ ServiceArn: arn }))).Service;
  } catch (e) {
    if (errName(e) === "ResourceNotFoundException") return undefined;
    throw e;
  }
}

/** The first operation on the service that `match` accepts, paging ListOperations (newest first); undefined when none. */
export async function findOperation(aws: AwsClients, arn: string, match: (o: OperationSummary) => boolean): Promise<OperationSummary | undefined> {
  const { ListOperationsCommand } = await import("@aws-sdk/client-apprunner");
  const client = await aws.apprunner();
  let NextToken: string | undefined;
  do {
    const out = await client.send(new ListOperationsCommand({ ServiceArn: arn, NextToken }));
    const hit = (out.OperationSummaryList ?? []).find(match);
    if (hit) return hit;
    NextToken = out.NextToken;
  } while (NextToken);
  return undefined;
}

/** Env values may be secrets: shown as "(secret)" wherever a call is shown (RuntimeEnvironmentSecrets are ARNs only). */
const ENV_SECRET = { secret: ["SourceConfiguration.ImageRepository.ImageConfiguration.RuntimeEnvironmentVariables.*"] };
const client = async (aws: AwsClients) => ({ sdk: await import("@aws-sdk/client-apprunner"), apprunner: await aws.apprunner() });

/** App Runner's writes as records with their senders (src/aws/call.ts), for the executor (src/aws/execute.ts). */
export const appRunnerCalls = {
  /** CreateService; an account App Runner no longer takes is said as such (isAccountClosed). */
  createService: (input: CreateServiceRequest): AwsCall<CreateServiceResponse> => awsCall("AppRunner", "CreateService", input, async (aws) => {
    const { sdk, apprunner } = await client(aws);
    return apprunner.send(new sdk.CreateServiceCommand(input)).catch(rethrowAppRunner);
  }, ENV_SECRET),
  /** UpdateService; InvalidStateException while another operation runs is the caller's to wait out. */
  updateService: (input: UpdateServiceRequest): AwsCall<UpdateServiceResponse> => awsCall("AppRunner", "UpdateService", input, async (aws) => {
    const { sdk, apprunner } = await client(aws);
    return apprunner.send(new sdk.UpdateServiceCommand(input));
  }, ENV_SECRET),
  deleteService: (arn: string): AwsCall<void> => awsCall("AppRunner", "DeleteService", { ServiceArn: arn }, async (aws) => {
    const { sdk, apprunner } = await client(aws);
    await apprunner.send(new sdk.DeleteServiceCommand({ ServiceArn: arn }));
  }),
  tagResource: (arn: string, tags: Tag[]): AwsCall<void> => awsCall("AppRunner", "TagResource", { ResourceArn: arn, Tags: tags }, async (aws) => {
    const { sdk, apprunner } = await client(aws);
    await apprunner.send(new sdk.TagResourceCommand({ ResourceArn: arn, Tags: tags }));
  }),
};

/** The value of one tag on the service, undefined when it is not set. */
export async function serviceTag(aws: AwsClients, arn: string, key: string): Promise<string | undefined> {
  const { ListTagsForResourceCommand } = await import("@aws-sdk/client-apprunner");
  const out = await (await aws.apprunner()).send(new ListTagsForResourceCommand({ ResourceArn: arn }));
  return out.Tags?.find((t) => t.Key === key)?.Value;
}
