// `deploy apprunner`: preflight → access role → create or update the service → smoke test.
// aws-apis.md §5. The service is found by name and compared with the config; nothing is written
// when it already runs this digest with this configuration.
import { createService, deleteService, describeService, findService, tagService, updateService, type Service } from "../../aws/apprunner.js";
import { DeployError } from "../../errors.js";
import { retryOn } from "../../util/retry.js";
import { shortId } from "../../steps/build.js";
import { roleName } from "../../steps/iam-role.js";
import { ensureManagedRoleStep } from "../../steps/managed-role.js";
import type { Context, ImageState, PlannedAction, Step } from "../../steps/types.js";
import { isInvalidRequest, isInvalidState, logsHint, waitDeleted, waitOperation, waitSettled } from "./api.js";
import { createInput, desired, drift, driftList, imageIdentifier, plannedIdentifier, targetConfig, updateInput, type Desired } from "./spec.js";

export const ACCESS_ROLE_PURPOSE = "apprunner-ecr-access";
/** A managed policy path; the ARN gets the caller's partition when the role step runs (src/aws/partition.ts). */
export const ECR_ACCESS_POLICY = "service-role/AWSAppRunnerServicePolicyForECRAccess";

/** What the steps of one deploy hand each other. */
export interface DeployState {
  accessRoleArn?: string;
  /** True when this run created the access role or attached its policy: App Runner may not assume it yet. */
  roleCreated?: boolean;
  /** The service as found by the check (undefined: none). */
  existing?: Service;
  /** Where its logs are, for the smoke test's hint. */
  logsHint?: string;
}

export function preflightStep(image: ImageState): Step {
  return {
    id: "apprunner.preflight",
    group: "apprunner",
    title: () => "Check the image suits App Runner",
    describe: () => [{ kind: "check", command: "image architecture is amd64", note: "App Runner runs linux/amd64 images only" }],
    async run() {
      const arch = image.architecture ?? image.spec.platform.split("/")[1];
      if (arch !== "amd64") {
        throw new DeployError(
          `App Runner runs linux/amd64 images only, and ${image.localRefs[0] ?? image.spec.name} is linux/${arch}`,
          "rebuild with --platform linux/amd64 (or set image.platform: linux/amd64 in logship.yaml) and push again",
        );
      }
      if (!image.remote) throw new DeployError("no pushed image to deploy", "run `logship push` first, or `logship ship apprunner`");
      return `linux/amd64 ${shortId(image.remote.digest)}`;
    },
  };
}

/** The ECR access role: the configured ARN, or one logship ensures. */
export function accessRoleSteps(ctx: Context, state: DeployState): Step[] {
  const given = targetConfig(ctx.config).accessRoleArn;
  if (given) {
    state.accessRoleArn = given;
    return [];
  }
  return [ensureManagedRoleStep({
    name: roleName(ctx.config.app, ACCESS_ROLE_PURPOSE),
    principal: "build.apprunner.amazonaws.com",
    managedPolicies: [ECR_ACCESS_POLICY],
    group: "apprunner",
    description: "App Runner pulls from ECR",
  }, (r) => {
    state.accessRoleArn = r.arn;
    state.roleCreated = r.changed;
  })];
}

const urlOf = (svc: Service) => (svc.ServiceUrl ? `https://${svc.ServiceUrl}` : undefined);

function record(ctx: Context, state: DeployState, svc: Service, detail: string) {
  state.logsHint = logsHint(svc);
  ctx.targets.apprunner = { ...ctx.targets.apprunner, url: urlOf(svc), detail };
}

function plan(ctx: Context, image: ImageState, state: DeployState): PlannedAction[] {
  const name = targetConfig(ctx.config).service;
  const role = state.accessRoleArn ?? `<ARN of role ${roleName(ctx.config.app, ACCESS_ROLE_PURPOSE)}>`;
  const d = desired(ctx.config, plannedIdentifier(image), role);
  const arn = `<ARN of service ${name}>`;
  const all = { image: true, source: [], instance: ["all"], healthCheck: ["all"] };
  return [
    { kind: "aws", command: "AppRunner.ListServices", input: { MaxResults: 20 }, note: `find ${name}, every page` },
    { kind: "aws", command: "AppRunner.DescribeService", input: { ServiceArn: arn }, note: "if it exists; waits while OPERATION_IN_PROGRESS" },
    { kind: "aws", command: "AppRunner.CreateService", input: createInput(d, ctx.config.app, image.remote?.digest ?? "<digest>"), note: "if it does not exist" },
    {
      kind: "aws", command: "AppRunner.TagResource", note: "if the image changed",
      input: { ResourceArn: arn, Tags: [{ Key: "logship:previous-image", Value: "<image it runs now>" }, { Key: "logship:image", Value: image.remote?.digest ?? "<digest>" }] },
    },
    { kind: "aws", command: "AppRunner.UpdateService", input: updateInput(arn, d, all), note: "if the image or configuration differ (only the parts that do)" },
    { kind: "aws", command: "AppRunner.ListOperations", input: { ServiceArn: arn }, note: "until the operation SUCCEEDED; a rollback is a failure" },
  ];
}

async function create(ctx: Context, d: Desired, digest: string, state: DeployState): Promise<Service> {
  const since = new Date();
  // A role created seconds ago cannot be assumed yet (aws-apis.md §5.1, pulumi#12417).
  const propagating = (e: unknown) => !!state.roleCreated && /assuming access role/i.test(String((e as Error)?.message));
  const out = await retryOn(() => createService(ctx.aws, createInput(d, ctx.config.app, digest)), propagating, {
    tries: 8, signal: ctx.signal,
    onRetry: (_e, n, ms) => ctx.progress(`waiting for IAM to make the new access role usable by App Runner (retry ${n} of 7 in ${Math.round(ms / 1000)}s)`),
  });
  ctx.progress(`creating ${d.name}`);
  return waitOperation(ctx, out.Service!, out.OperationId, ["CREATE_SERVICE"], since);
}

async function update(ctx: Context, svc: Service, d: Desired, digest: string): Promise<Service> {
  const dr = drift(svc, d);
  if (dr.image) {
    // What ran before, for `logship rollback` (AWS is the state: DESIGN.md).
    const previous = svc.SourceConfiguration?.ImageRepository?.ImageIdentifier;
    await tagService(ctx.aws, svc.ServiceArn!,
      [...(previous ? [{ Key: "logship:previous-image", Value: previous }] : []), { Key: "logship:image", Value: digest }]);
  }
  const since = new Date();
  const send = () => updateService(ctx.aws, updateInput(svc.ServiceArn!, d, dr));
  let out: Awaited<ReturnType<typeof send>>;
  try {
    out = await send();
  } catch (e) {
    // Something else started an operation since we looked (an auto-deployment, a console click):
    // wait for it to finish, however long, then try again.
    if (!isInvalidState(e)) throw e;
    ctx.progress("service busy with another operation; waiting for it");
    await waitSettled(ctx, svc.ServiceArn!, d.name);
    out = await retryOn(send, isInvalidState, {
      tries: 5, signal: ctx.signal,
      onRetry: (_e, n, ms) => ctx.progress(`waiting for App Runner to accept the update: the service is busy (retry ${n} of 4 in ${Math.round(ms / 1000)}s)`),
    });
  }
  ctx.progress(`updating ${d.name}: ${driftList(dr).join(", ")}`);
  return waitOperation(ctx, svc, out.OperationId, ["UPDATE_SERVICE", "START_DEPLOYMENT"], since);
}

/**
 * A CREATE_FAILED service "isn't usable … change any parameters that need to be fixed, and rebuild
 * your service using UpdateService" (https://docs.aws.amazon.com/apprunner/latest/api/API_ServiceSummary.html).
 * So the whole configuration goes out again with UpdateService. Where App Runner refuses that, the way
 * out is `--recreate`: delete and create it anew.
 */
async function rebuild(ctx: Context, svc: Service, d: Desired, digest: string): Promise<Service> {
  // No logship:previous-image: the failed image never served. logship:image says what it runs now.
  await tagService(ctx.aws, svc.ServiceArn!, [{ Key: "logship:image", Value: digest }]);
  const since = new Date();
  const all = { image: true, source: ["image"], instance: ["all"], healthCheck: d.healthCheck ? ["all"] : [] };
  ctx.progress(`rebuilding the CREATE_FAILED service ${d.name} with UpdateService`);
  let out;
  try {
    out = await updateService(ctx.aws, updateInput(svc.ServiceArn!, d, all));
  } catch (e) {
    if (!isInvalidState(e) && !isInvalidRequest(e)) throw e;
    throw new DeployError(
      `App Runner refused to rebuild the CREATE_FAILED service ${d.name}: ${(e as Error).message}`,
      `run \`logship deploy apprunner --recreate\` to delete and re-create it (${logsHint(svc)} says why it failed)`,
      { cause: e },
    );
  }
  return waitOperation(ctx, svc, out.OperationId, ["UPDATE_SERVICE", "START_DEPLOYMENT"], since);
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

export function serviceStep(image: ImageState, state: DeployState): Step {
  const want = (ctx: Context) => {
    if (!state.accessRoleArn) throw new Error("apprunner: access role not resolved before the service step");
    return desired(ctx.config, imageIdentifier(image)!, state.accessRoleArn);
  };
  return {
    id: "apprunner.service",
    group: "apprunner",
    title: (ctx) => `Deploy App Runner service ${targetConfig(ctx.config).service}`,
    describe: (ctx) => plan(ctx, image, state),
    async isDone(ctx) {
      const name = targetConfig(ctx.config).service;
      const found = await findService(ctx.aws, name);
      let svc = found && (await describeService(ctx.aws, found.arn));
      if (svc?.Status === "OPERATION_IN_PROGRESS") svc = await waitSettled(ctx, found!.arn, name);
      state.existing = svc?.Status === "DELETED" ? undefined : svc;
      if (!state.existing || state.existing.Status !== "RUNNING") return false;
      if (driftList(drift(state.existing, want(ctx))).length) return false;
      const detail = `up to date: ${name} runs ${shortId(image.remote!.digest)}`;
      record(ctx, state, state.existing, detail);
      return detail;
    },
    async run(ctx) {
      const d = want(ctx);
      const digest = image.remote!.digest;
      let svc = state.existing;
      if (svc) refuse(svc);
      const rebuilding = svc?.Status === "CREATE_FAILED" && !ctx.options.recreate;
      if (svc?.Status === "CREATE_FAILED" && !rebuilding) {
        ctx.progress(`deleting the failed service ${d.name} (--recreate)`);
        await deleteService(ctx.aws, svc.ServiceArn!);
        await waitDeleted(ctx, svc.ServiceArn!, d.name);
        svc = undefined;
      }
      const after = !svc ? await create(ctx, d, digest, state) : rebuilding ? await rebuild(ctx, svc, d, digest) : await update(ctx, svc, d, digest);
      if (after.Status !== "RUNNING") {
        throw new DeployError(`App Runner service ${d.name} is ${after.Status} after the deployment`, logsHint(after));
      }
      const detail = `${!svc ? "created" : rebuilding ? "rebuilt the failed service" : "updated"} ${urlOf(after) ?? d.name} (${shortId(digest)})`;
      record(ctx, state, after, detail);
      return detail;
    },
  };
}
