// Create or update the function so it runs the pushed digest with logship.yaml's settings.
// Missing → CreateFunction (retried while a just-created role propagates) → wait Active.
// Present → UpdateFunctionCode only when the digest differs → wait → UpdateFunctionConfiguration
// only when settings differ → wait. Every update carries the RevisionId we read, so a concurrent
// deploy is detected instead of overwritten. aws-apis.md §4.3, §4.4, §7.
import { getFunction, lambdaCalls, type FunctionConfiguration, type GetFunctionCommandOutput } from "../../aws/lambda.js";
import { changing } from "../../aws/call.js";
import { execute } from "../../aws/execute.js";
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { poll } from "../../util/poll.js";
import { retryOn } from "../../util/retry.js";
import {
  codeDrift, configDrift, desiredConfig, errMessage, imageUri, isUpdateInProgress,
  requireRemote, shortDigest, target, type LambdaRun,
} from "./shared.js";
import { configChanges, createdConfig, NEW_REVISION, settled } from "./projected.js";
import { isSettled, waitForFunction } from "./wait.js";
import type { Context, ImageState, Step } from "../../steps/types.js";

/** Lambda cannot assume a role IAM has not finished propagating (aws-apis.md §4.2). */
export const isRoleNotAssumable = (e: unknown) =>
  errName(e) === "InvalidParameterValueException" && /cannot be assumed/i.test(errMessage(e));

export const ROLE_RETRY = { tries: 10, baseMs: 2000, maxMs: 15_000 };

function createInput(ctx: Context, image: ImageState, run: LambdaRun) {
  const t = target(ctx);
  const { ImageConfig, ...config } = desiredConfig(ctx, run);
  return {
    FunctionName: t.function,
    PackageType: "Image" as const,
    Code: { ImageUri: imageUri(image) },
    Architectures: [t.architecture],
    ...config,
    ...(Object.keys(ImageConfig).length ? { ImageConfig } : {}),
    Tags: { "logship:app": ctx.config.app },
  };
}

export function deployFunctionStep(image: ImageState, run: LambdaRun): Step {
  let seen: { fn: GetFunctionCommandOutput | undefined } | undefined;
  const name = (ctx: Context) => target(ctx).function;

  async function create(ctx: Context): Promise<string | undefined> {
    const input = createInput(ctx, image, run);
    const made = await retryOn(
      () => execute(ctx, lambdaCalls.createFunction(input), () => createdConfig(input, requireRemote(image).digest)),
      (e) => run.roleCreated && isRoleNotAssumable(e),
      { ...ROLE_RETRY, signal: ctx.signal, onRetry: () => ctx.progress("the new execution role is not assumable yet; retrying") },
    );
    // Created by a concurrent run between our GetFunction and CreateFunction: update it instead.
    if (made === "exists") return undefined;
    run.latest = await settled(ctx, name(ctx), made);
    return `created ${name(ctx)} running ${shortDigest(requireRemote(image).digest)}`;
  }

  /** `--recreate`: delete the failed function (its versions, alias, URL and permissions go with it) and create it. */
  async function recreate(ctx: Context, cfg: FunctionConfiguration): Promise<string> {
    const t = target(ctx);
    const why = `${cfg.StateReason ?? "no reason given"}${cfg.StateReasonCode ? ` (${cfg.StateReasonCode})` : ""}`;
    if (!ctx.options.recreate) {
      throw new DeployError(
        `Lambda function ${t.function} is in state Failed since it was created: ${why}; Lambda cannot update a function whose create failed`,
        "fix the cause, then re-run with --recreate to delete the function and create it again (its versions, alias and URL are made anew; the URL changes)",
      );
    }
    ctx.progress(`deleting ${t.function} (state Failed: ${why}) to create it again`);
    await execute(ctx, lambdaCalls.deleteFunction(t.function), () => true);
    // A dry run waits for nothing: the function is as good as gone.
    if (!ctx.dryRun) await poll(ctx, `waiting for ${t.function} to be deleted`,
      async () => ((await getFunction(ctx.aws, t.function)) ? { done: false, state: "still there" } : { done: true, value: undefined }),
      { service: "Lambda", timeoutMs: 5 * 60_000, firstDelayMs: 1000, maxDelayMs: 5000 });
    const created = await create(ctx);
    if (!created) throw new DeployError(`Lambda function ${t.function} was created again by someone else meanwhile`, "re-run this command");
    return `recreated ${t.function} (it was Failed: ${why})`;
  }

  async function update(ctx: Context, fn: GetFunctionCommandOutput): Promise<string> {
    const t = target(ctx);
    const { uri, digest } = requireRemote(image);
    let cfg = fn.Configuration!;
    // A previous run may have left an update going; Lambda takes one at a time.
    if (!isSettled(cfg) && !ctx.dryRun) cfg = await waitForFunction(ctx, t.function, { failedIsSettled: true });
    // A create that failed cannot be updated: "you must delete and recreate the function"
    // (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html). No UpdateFunctionCode then.
    if (cfg.State === "Failed") return recreate(ctx, cfg);
    // An earlier update that failed (say the image could not be pulled) is retried in full.
    const priorFailure = cfg.LastUpdateStatus === "Failed";
    const busy = { tries: 5, baseMs: 2000, signal: ctx.signal };
    const done: string[] = [];
    const code = codeDrift(fn, digest, t.architecture);
    if (priorFailure && !code.length) code.push("retrying the update that failed before");
    if (code.length) {
      // A RevisionId that moved on is another deploy's change: reported, not overwritten (src/aws/lambda.ts).
      const call = changing(lambdaCalls.updateFunctionCode({
        FunctionName: t.function, ImageUri: uri, Architectures: [t.architecture], RevisionId: cfg.RevisionId,
      }), code);
      const from = cfg;
      const out = await retryOn(() => execute(ctx, call, () => ({ ...from, CodeSha256: digest.replace(/^sha256:/, ""), Architectures: [t.architecture], RevisionId: NEW_REVISION })), isUpdateInProgress, busy);
      cfg = await settled(ctx, t.function, out);
      done.push(...code);
    }
    const { ImageConfig, ...want } = desiredConfig(ctx, run);
    const drift = configDrift(cfg, { ...want, ImageConfig });
    if (drift.length) {
      // ImageConfig only when it changed: {} clears an entrypoint/command set earlier.
      const imageConfig = drift.includes("image config") ? { ImageConfig } : {};
      const call = changing(lambdaCalls.updateFunctionConfiguration({
        FunctionName: t.function, ...want, ...imageConfig, RevisionId: cfg.RevisionId,
      }), configChanges(cfg, { ...want, ImageConfig }));
      const from = cfg;
      const out = await retryOn(() => execute(ctx, call, () => ({ ...from, ...want, ImageConfigResponse: { ImageConfig }, RevisionId: NEW_REVISION })),
        (e) => isUpdateInProgress(e) || (run.roleCreated && isRoleNotAssumable(e)), busy);
      cfg = await settled(ctx, t.function, out);
      done.push(`${drift.join(", ")} updated`);
    }
    run.latest = cfg;
    return done.length ? `updated ${t.function}: ${done.join("; ")}` : `up to date: ${t.function} runs ${shortDigest(digest)}`;
  }

  return {
    id: "lambda.deploy-function",
    group: "lambda",
    dryRun: "live",
    title: (ctx) => `Create or update Lambda function ${name(ctx)}`,
    describe: (ctx) => {
      const input = createInput(ctx, image, run);
      const { FunctionName } = input;
      // Env values are replaced by *** in every describe() plan (src/plan/dry-run.ts, src/util/redact.ts).
      const { Code: _c, PackageType: _p, Architectures: _a, Tags: _t, ...config } = input;
      return [
        { kind: "aws", command: "Lambda.GetFunction", input: { FunctionName } },
        { kind: "aws", command: "Lambda.CreateFunction", input, note: "only if the function does not exist; retried while a just-created role propagates" },
        {
          kind: "aws", command: "Lambda.UpdateFunctionCode", note: "only if the running image digest differs",
          input: { FunctionName, ImageUri: input.Code.ImageUri, Architectures: input.Architectures, RevisionId: "<current>" },
        },
        { kind: "aws", command: "Lambda.UpdateFunctionConfiguration", input: { ...config, RevisionId: "<current>" }, note: "only if settings differ" },
        { kind: "aws", command: "Lambda.GetFunctionConfiguration", input: { FunctionName }, note: "polled until State Active and LastUpdateStatus Successful" },
      ];
    },
    async isDone(ctx) {
      const fn = await getFunction(ctx.aws, name(ctx));
      seen = { fn };
      const cfg = fn?.Configuration;
      if (!fn || !cfg || !isSettled(cfg)) return false;
      const { digest } = requireRemote(image);
      if (codeDrift(fn, digest, target(ctx).architecture).length || configDrift(cfg, desiredConfig(ctx, run)).length) return false;
      run.latest = cfg;
      return `up to date: ${name(ctx)} runs ${shortDigest(digest)}`;
    },
    async run(ctx) {
      requireRemote(image);
      const fn = seen ? seen.fn : await getFunction(ctx.aws, name(ctx));
      seen = undefined;
      if (!fn) {
        const created = await create(ctx);
        if (created) return created;
      }
      const current = fn ?? (await getFunction(ctx.aws, name(ctx)));
      return update(ctx, current!);
    },
  };
}
