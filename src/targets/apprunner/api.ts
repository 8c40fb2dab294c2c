// App Runner waits shared by the deploy and destroy paths, on the reads in src/aws/apprunner.ts. App
// Runner has no SDK waiters, so we poll DescribeService / ListOperations ourselves (aws-apis.md §5.3).
import { describeService, findOperation, type OperationSummary, type Service } from "../../aws/apprunner.js";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { poll as pollUntil, type PollCheck } from "../../util/poll.js";
import type { Context } from "../../steps/types.js";
import { earliestOurs, endedBefore, SERVICE_WAIT } from "../service/wait.js";

export const WAIT = SERVICE_WAIT;

export const isInvalidState = (e: unknown) => errName(e) === "InvalidStateException";
export const isInvalidRequest = (e: unknown) => errName(e) === "InvalidRequestException";

/** Where the app's own output goes (App Runner writes one log group per service). */
export function logsHint(svc: Pick<Service, "ServiceName" | "ServiceId">): string {
  return `see the App Runner console (service ${svc.ServiceName} → Logs) or CloudWatch log group ` +
    `/aws/apprunner/${svc.ServiceName}/${svc.ServiceId}/application`;
}

const poll = <T>(ctx: Context, what: string, check: PollCheck<T>): Promise<T> =>
  pollUntil(ctx, what, check, { service: "App Runner", ...WAIT, explainInterrupt: true });

/** Waits while the service is OPERATION_IN_PROGRESS; returns it settled (undefined if it vanished). */
export function waitSettled(ctx: Context, arn: string, name: string): Promise<Service | undefined> {
  return poll(ctx, `waiting for ${name} to finish its current operation`, async () => {
    const svc = await describeService(ctx.aws, arn);
    return svc?.Status === "OPERATION_IN_PROGRESS" ? { done: false, state: "OPERATION_IN_PROGRESS" } : { done: true, value: svc };
  });
}

/** Waits until the service is DELETED or gone; DELETE_FAILED is an error. */
export function waitDeleted(ctx: Context, arn: string, name: string): Promise<void> {
  return poll(ctx, `waiting for App Runner to delete ${name}`, async () => {
    const svc = await describeService(ctx.aws, arn);
    if (!svc || svc.Status === "DELETED") return { done: true, value: undefined };
    if (svc.Status === "DELETE_FAILED") {
      throw new DeployError(`App Runner could not delete service ${name} (DELETE_FAILED)`, "run `logship destroy apprunner` again; App Runner retries the deletion");
    }
    return { done: false, state: svc.Status ?? "unknown" };
  });
}

const isOurs = (o: OperationSummary, since: Date) =>
  (!o.StartedAt || o.StartedAt >= earliestOurs(since)) && !endedBefore(o.EndedAt, since);

function ourOperation(ctx: Context, arn: string, id: string | undefined, types: string[], since: Date): Promise<OperationSummary | undefined> {
  // OperationId has been missing from responses before (apprunner-roadmap#139): then take the
  // newest operation of the right type that started after our call, allowing for a local clock
  // behind or ahead of AWS's by up to CLOCK_SKEW_MS (../service/wait.ts, as the ECS path does), but never one that
  // had already ended before our call.
  return findOperation(ctx.aws, arn, id ? (o) => o.Id === id : (o) => types.includes(o.Type ?? "") && isOurs(o, since));
}

const PENDING = new Set(["PENDING", "IN_PROGRESS", "ROLLBACK_IN_PROGRESS"]);

/**
 * Follows the operation a Create/Update started until it ends. A service back at RUNNING is not
 * proof of success: App Runner rolls a failed deployment back silently (apprunner-roadmap#209).
 */
export async function waitOperation(ctx: Context, svc: Service, operationId: string | undefined, types: string[], since: Date): Promise<Service> {
  const name = svc.ServiceName!;
  const op = await poll(ctx, `waiting for App Runner to ${types.includes("CREATE_SERVICE") ? "create" : "deploy"} ${name}`, async () => {
    const o = await ourOperation(ctx, svc.ServiceArn!, operationId, types, since);
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
  const after = await describeService(ctx.aws, svc.ServiceArn!);
  if (!after) throw new DeployError(`App Runner service ${name} disappeared during the deployment`);
  return after;
}
