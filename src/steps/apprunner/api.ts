// App Runner reads and waits shared by the deploy, destroy and status paths. App Runner has no SDK
// waiters, so we poll DescribeService / ListOperations ourselves (aws-apis.md §5.3).
import type { OperationSummary, Service } from "@aws-sdk/client-apprunner";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { poll as pollUntil, type PollCheck } from "../../util/poll.js";
import type { Context } from "../types.js";

export const WAIT = {
  /** A service can stay busy for many minutes (creation, a slow health check). */
  timeoutMs: 30 * 60_000,
  firstDelayMs: 5_000,
  maxDelayMs: 15_000,
};

export const isInvalidState = (e: unknown) => errName(e) === "InvalidStateException";
export const isInvalidRequest = (e: unknown) => errName(e) === "InvalidRequestException";
const isNotFound = (e: unknown) => errName(e) === "ResourceNotFoundException";

/** Where the app's own output goes (App Runner writes one log group per service). */
export function logsHint(svc: Pick<Service, "ServiceName" | "ServiceId">): string {
  return `see the App Runner console (service ${svc.ServiceName} → Logs) or CloudWatch log group ` +
    `/aws/apprunner/${svc.ServiceName}/${svc.ServiceId}/application`;
}

/**
 * App Runner takes no new customers since 30 April 2026 (aws-apis.md §5.0). Still unconfirmed: the exact error a
 * new account gets, because no source here shows it: the @aws-sdk/client-apprunner 3.1142.0 CreateService model
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

/** The live (not DELETED) service with this name, paging ListServices; undefined when absent. */
export async function findService(ctx: Context, name: string): Promise<{ arn: string; status?: string } | undefined> {
  const { ListServicesCommand } = await import("@aws-sdk/client-apprunner");
  const client = await ctx.aws.apprunner();
  let NextToken: string | undefined;
  do {
    const out = await client.send(new ListServicesCommand({ NextToken, MaxResults: 20 })).catch(rethrowAppRunner);
    const hit = (out.ServiceSummaryList ?? []).find((s) => s.ServiceName === name && s.Status !== "DELETED");
    if (hit?.ServiceArn) return { arn: hit.ServiceArn, status: hit.Status };
    NextToken = out.NextToken;
  } while (NextToken);
  return undefined;
}

export async function describeService(ctx: Context, arn: string): Promise<Service | undefined> {
  const { DescribeServiceCommand } = await import("@aws-sdk/client-apprunner");
  try {
    return (await (await ctx.aws.apprunner()).send(new DescribeServiceCommand({ ServiceArn: arn }))).Service;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const poll = <T>(ctx: Context, what: string, check: PollCheck<T>): Promise<T> =>
  pollUntil(ctx, what, check, { service: "App Runner", ...WAIT, explainInterrupt: true });

/** Waits while the service is OPERATION_IN_PROGRESS; returns it settled (undefined if it vanished). */
export function waitSettled(ctx: Context, arn: string, name: string): Promise<Service | undefined> {
  return poll(ctx, `waiting for ${name} to finish its current operation`, async () => {
    const svc = await describeService(ctx, arn);
    return svc?.Status === "OPERATION_IN_PROGRESS" ? { done: false, state: "OPERATION_IN_PROGRESS" } : { done: true, value: svc };
  });
}

/** Waits until the service is DELETED or gone; DELETE_FAILED is an error. */
export function waitDeleted(ctx: Context, arn: string, name: string): Promise<void> {
  return poll(ctx, `waiting for App Runner to delete ${name}`, async () => {
    const svc = await describeService(ctx, arn);
    if (!svc || svc.Status === "DELETED") return { done: true, value: undefined };
    if (svc.Status === "DELETE_FAILED") {
      throw new DeployError(`App Runner could not delete service ${name} (DELETE_FAILED)`, "run `logship destroy apprunner` again; App Runner retries the deletion");
    }
    return { done: false, state: svc.Status ?? "unknown" };
  });
}

/** Local clock vs AWS's: an operation started up to this long "before" our call may still be ours. */
export const CLOCK_SKEW_MS = 60_000;

const isOurs = (o: OperationSummary, since: Date) =>
  (!o.StartedAt || o.StartedAt.getTime() >= since.getTime() - CLOCK_SKEW_MS) && !(o.EndedAt && o.EndedAt < since);

async function findOperation(ctx: Context, arn: string, id: string | undefined, types: string[], since: Date): Promise<OperationSummary | undefined> {
  const { ListOperationsCommand } = await import("@aws-sdk/client-apprunner");
  const client = await ctx.aws.apprunner();
  let NextToken: string | undefined;
  do {
    const out = await client.send(new ListOperationsCommand({ ServiceArn: arn, NextToken }));
    const list = out.OperationSummaryList ?? [];
    // OperationId has been missing from responses before (apprunner-roadmap#139): then take the
    // newest operation of the right type that started after our call, allowing for a local clock
    // behind or ahead of AWS's by up to CLOCK_SKEW_MS (as the ECS path does), but never one that
    // had already ended before our call.
    const hit = id
      ? list.find((o) => o.Id === id)
      : list.find((o) => types.includes(o.Type ?? "") && isOurs(o, since));
    if (hit) return hit;
    NextToken = out.NextToken;
  } while (NextToken);
  return undefined;
}

const PENDING = new Set(["PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS"]);

/**
 * Follows the operation a Create/Update started until it ends. A service back at RUNNING is not
 * proof of success: App Runner rolls a failed deployment back silently (apprunner-roadmap#209).
 */
export async function waitOperation(ctx: Context, svc: Service, operationId: string | undefined, types: string[], since: Date): Promise<Service> {
  const name = svc.ServiceName!;
  const op = await poll(ctx, `waiting for App Runner to ${types.includes("CREATE_SERVICE") ? "create" : "deploy"} ${name}`, async () => {
    const o = await findOperation(ctx, svc.ServiceArn!, operationId, types, since);
    if (o && !PENDING.has(o.Status ?? "")) return { done: true, value: o };
    return { done: false, state: o?.Status ?? "waiting for the operation to start" };
  });
  const what = op.Type === "CREATE_SERVICE" ? `creating App Runner service ${name}` : `deploying to App Runner service ${name}`;
  switch (op.Status) {
    case "SUCCEEDED":
      break;
    case "ROLLBACK_SUCCEEDED":
      throw new DeployError(`${what} failed: App Runner rolled back to the previous version, which is still serving`, logsHint(svc));
    case "ROLLBACK_FAILED":
      throw new DeployError(`${what} failed and so did App Runner's rollback: the service may be unhealthy`, logsHint(svc));
    default:
      throw new DeployError(`${what} failed (operation ${op.Status})`, logsHint(svc));
  }
  const after = await describeService(ctx, svc.ServiceArn!);
  if (!after) throw new DeployError(`App Runner service ${name} disappeared during the deployment`);
  return after;
}
