// The App Runner adapter of the service lifecycle (src/targets/service/lifecycle.ts): how App Runner
// finds, settles, compares, creates and updates a service (aws-apis.md §5.3). App Runner runs one
// operation at a time and reports each by OperationId, which the waits in api.ts follow.
import { appRunnerCalls, describeService, findService, type Service } from "../../aws/apprunner.js";
import { changing } from "../../aws/call.js";
import { execute } from "../../aws/execute.js";
import { DeployError } from "../../errors.js";
import { retryOn } from "../../util/retry.js";
import type { Context, ImageState } from "../../steps/types.js";
import { sendThenWait, type ServiceAdapter } from "../service/lifecycle.js";
import { sendWhileRolesPropagate } from "../service/propagation.js";
import { isInvalidRequest, isInvalidState, logsHint, waitDeleted, waitOperation, waitSettled } from "./api.js";
import type { DeployState } from "./roles.js";
import { createInput, drift, driftList, targetConfig, updateInput, urlOf, type Desired } from "./spec.js";
import { serviceChanges, settledAs } from "./changes.js";

const UPDATE_TYPES = ["UPDATE_SERVICE", "START_DEPLOYMENT"];

/** What a dry run calls the operation a planned write would start: App Runner numbers it when it starts it. */
const PLANNED_OPERATION = "<operation>";

/** The tag write says nothing of its own in the plan: it keeps the image the update beside it replaces. */
const tag = (ctx: Context, arn: string, tags: { Key: string; Value: string }[]) =>
  execute(ctx, { ...appRunnerCalls.tagResource(arn, tags), change: [] }, () => undefined);


function create(ctx: Context, d: Desired, digest: string, state: DeployState): Promise<Service> {
  return sendThenWait({
    // A role created seconds ago cannot be assumed yet (aws-apis.md §5.1, pulumi#12417).
    send: () => sendWhileRolesPropagate(ctx, () => execute(ctx, appRunnerCalls.createService(createInput(d, ctx.config.app, digest)),
      () => ({ Service: settledAs(undefined, d), OperationId: PLANNED_OPERATION })), {
      changed: !!state.roleCreated, isPropagation: (e) => /assuming access role/i.test(String((e as Error)?.message)),
      retry: { tries: 8 }, what: "the new access role usable by App Runner",
    }),
    wait: (out, since) => {
      ctx.progress(`creating ${d.name}`);
      return waitOperation(ctx, out.Service!, out.OperationId, ["CREATE_SERVICE"], since);
    },
    planned: (out) => out.Service!,
  }, ctx.dryRun);
}

function update(ctx: Context, svc: Service, d: Desired, digest: string): Promise<Service> {
  const dr = drift(svc, d);
  const call = changing(appRunnerCalls.updateService(updateInput(svc.ServiceArn!, d, dr)), serviceChanges(svc, d));
  const send = () => execute(ctx, call, () => ({ Service: settledAs(svc, d), OperationId: PLANNED_OPERATION }));
  return sendThenWait({
    async tag() {
      if (!dr.image) return;
      // What ran before, for `logship rollback` (AWS is the state: DESIGN.md).
      const previous = svc.SourceConfiguration?.ImageRepository?.ImageIdentifier;
      await tag(ctx, svc.ServiceArn!,
        [...(previous ? [{ Key: "logship:previous-image", Value: previous }] : []), { Key: "logship:image", Value: digest }]);
    },
    async send() {
      try {
        return await send();
      } catch (e) {
        // Something else started an operation since we looked (an auto-deployment, a console click):
        // wait for it to finish, however long, then try again.
        if (!isInvalidState(e)) throw e;
        ctx.progress("service busy with another operation; waiting for it");
        await waitSettled(ctx, svc.ServiceArn!, d.name);
        return retryOn(send, isInvalidState, {
          tries: 5, signal: ctx.signal,
          onRetry: (_e, n, ms) => ctx.progress(`waiting for App Runner to accept the update: the service is busy (retry ${n} of 4 in ${Math.round(ms / 1000)}s)`),
        });
      }
    },
    wait: (out, since) => {
      ctx.progress(`updating ${d.name}: ${driftList(dr).join(", ")}`);
      return waitOperation(ctx, svc, out.OperationId, UPDATE_TYPES, since);
    },
    planned: (out) => out.Service!,
  }, ctx.dryRun);
}

/**
 * A CREATE_FAILED service "isn't usable … change any parameters that need to be fixed, and rebuild
 * your service using UpdateService" (https://docs.aws.amazon.com/apprunner/latest/api/API_ServiceSummary.html).
 * So the whole configuration goes out again with UpdateService. Where App Runner refuses that, the way
 * out is `--recreate`: delete and create it anew.
 */
function rebuild(ctx: Context, svc: Service, d: Desired, digest: string): Promise<Service> {
  const all = { image: true, source: ["image"], instance: ["all"], healthCheck: d.healthCheck ? ["all"] : [] };
  return sendThenWait({
    // No logship:previous-image: the failed image never served. logship:image says what it runs now.
    tag: () => tag(ctx, svc.ServiceArn!, [{ Key: "logship:image", Value: digest }]),
    async send() {
      ctx.progress(`rebuilding the CREATE_FAILED service ${d.name} with UpdateService`);
      try {
        const call = changing(appRunnerCalls.updateService(updateInput(svc.ServiceArn!, d, all)), [`rebuild the ${svc.Status} service`]);
        return await execute(ctx, call, () => ({ Service: settledAs(svc, d), OperationId: PLANNED_OPERATION }));
      } catch (e) {
        if (!isInvalidState(e) && !isInvalidRequest(e)) throw e;
        throw new DeployError(
          `App Runner refused to rebuild the CREATE_FAILED service ${d.name}: ${(e as Error).message}`,
          `run \`logship deploy apprunner --recreate\` to delete and re-create it (${logsHint(svc)} says why it failed)`,
          { cause: e },
        );
      }
    },
    wait: (out, since) => waitOperation(ctx, svc, out.OperationId, UPDATE_TYPES, since),
    planned: (out) => out.Service!,
  }, ctx.dryRun);
}

function refuse(svc: Service): void {
  if (svc.Status === "DELETE_FAILED") {
    throw new DeployError(`App Runner service ${svc.ServiceName} is DELETE_FAILED`, "run `logship destroy apprunner` again, then deploy");
  }
  if (svc.Status === "PAUSED") {
    throw new DeployError(
      `App Runner service ${svc.ServiceName} is PAUSED and serves nothing`,
      `resume it (aws apprunner resume-service --service-arn ${svc.ServiceArn}) and re-run`,
    );
  }
}

type Adapter = ServiceAdapter<Service, Desired>;

/** The lifecycle's App Runner parts; `want` builds the desired service once the access role is known. */
export function appRunnerService(image: ImageState, state: DeployState, want: (ctx: Context) => Desired): Omit<Adapter, "title" | "plan"> {
  const digest = () => image.remote!.digest;
  return {
    group: "apprunner",
    name: (ctx) => targetConfig(ctx.config).service,
    async settle(ctx) {
      const name = targetConfig(ctx.config).service;
      const found = await findService(ctx.aws, name);
      let svc = found && (await describeService(ctx.aws, found.arn));
      // A dry run waits for nothing: it compares with what the service describes, as the operation under way would leave it.
      if (svc?.Status === "OPERATION_IN_PROGRESS") svc = ctx.dryRun ? { ...svc, Status: "RUNNING" } : await waitSettled(ctx, found!.arn, name);
      return svc?.Status === "DELETED" ? undefined : svc;
    },
    desired: want,
    upToDate: (_ctx, svc, d) => svc.Status === "RUNNING" && !driftList(drift(svc, d())).length,
    async prepare(ctx, svc, d) {
      refuse(svc);
      if (svc.Status !== "CREATE_FAILED" || !ctx.options.recreate) return svc;
      ctx.progress(`deleting the failed service ${d.name} (--recreate)`);
      await execute(ctx, appRunnerCalls.deleteService(svc.ServiceArn!), () => undefined);
      if (!ctx.dryRun) await waitDeleted(ctx, svc.ServiceArn!, d.name);
      return undefined;
    },
    create: (ctx, d) => create(ctx, d, digest(), state),
    async update(ctx, svc, d) {
      // What is left CREATE_FAILED here is rebuilt in place (no --recreate).
      if (svc.Status === "CREATE_FAILED") return { svc: await rebuild(ctx, svc, d, digest()), what: "rebuilt the failed service" };
      return { svc: await update(ctx, svc, d, digest()), what: "updated" };
    },
    verify(after, d) {
      if (after.Status !== "RUNNING") throw new DeployError(`App Runner service ${d.name} is ${after.Status} after the deployment`, logsHint(after));
    },
    address: urlOf,
    record(ctx, svc, detail) {
      state.logsHint = logsHint(svc);
      ctx.targets.apprunner = { ...ctx.targets.apprunner, url: urlOf(svc), detail };
    },
  };
}
