// The lifecycle App Runner and ECS Express share, written once: find the service → let it settle
// (wait while another operation or deployment runs) → compare it with the config → create or update
// it → wait for the platform to finish → record the URL for the smoke test and --json. Each target
// gives an adapter with only its own calls (src/targets/apprunner/service.ts, src/targets/ecs/service.ts).
import { DeployError } from "../../errors.js";
import { shortId } from "../../steps/build.js";
import type { Context, ImageState, PlannedAction, Step } from "../../steps/types.js";

/** What the service step remembers between its check and its run. */
export interface ServiceRun<S> {
  /** The service as found by the check (undefined: none). */
  existing?: S;
}

export interface ServiceAdapter<S, D extends { name: string }> {
  /** "apprunner", "ecs": the step's group and id prefix. */
  group: string;
  /** "Deploy App Runner service shop", for the step's title. */
  title(ctx: Context): string;
  /** The --dry-run plan. */
  plan(ctx: Context): PlannedAction[];
  /** The configured service name. */
  name(ctx: Context): string;
  /** Find → settle: the live service once nothing else is changing it, or undefined. */
  settle(ctx: Context): Promise<S | undefined>;
  /** What the service should be. Called only after the roles resolved (the check and the run). */
  desired(ctx: Context): D;
  /** Compare: true when the settled service already runs `desired` and is healthy. */
  upToDate(ctx: Context, svc: S, d: () => D): boolean;
  /** Before writing: refuse a service in a state logship must not touch, or clear one away (the service to update, or undefined to create). */
  prepare?(ctx: Context, svc: S, d: D): Promise<S | undefined>;
  create(ctx: Context, d: D): Promise<S>;
  /** Update (with the tag of the previous image), then wait; `what` starts the step's detail ("updated (image)"). */
  update(ctx: Context, svc: S, d: D): Promise<{ svc: S; what: string }>;
  /** After the wait: throw if the service did not end where it should. */
  verify?(svc: S, d: D): void;
  /** The URL to show (and smoke-test), if the service has one. */
  address(svc: S): string | undefined;
  /** Keep what later steps and --json read (ctx.targets.<group>). */
  record(ctx: Context, svc: S, detail: string): void;
}

/** The step that deploys the service: nothing is written when it already runs this digest with this configuration. */
export function serviceStep<S, D extends { name: string }>(image: ImageState, state: ServiceRun<S>, a: ServiceAdapter<S, D>): Step {
  return {
    id: `${a.group}.service`,
    group: a.group,
    // A dry run finds, settles and compares for real; the adapter's writes go to the executor (src/aws/execute.ts).
    dryRun: "live",
    title: (ctx) => a.title(ctx),
    describe: (ctx) => a.plan(ctx),
    async isDone(ctx) {
      const svc = await a.settle(ctx);
      state.existing = svc;
      if (!svc || !a.upToDate(ctx, svc, () => a.desired(ctx))) return false;
      const detail = `up to date: ${a.name(ctx)} runs ${shortId(image.remote!.digest)}`;
      a.record(ctx, svc, detail);
      return detail;
    },
    async run(ctx) {
      const d = a.desired(ctx);
      const found = state.existing;
      const svc = found && a.prepare ? await a.prepare(ctx, found, d) : found;
      const done = svc ? await a.update(ctx, svc, d) : { svc: await a.create(ctx, d), what: "created" };
      a.verify?.(done.svc, d);
      const detail = `${done.what} ${a.address(done.svc) ?? d.name} (${shortId(image.remote!.digest)})`;
      a.record(ctx, done.svc, detail);
      return detail;
    },
  };
}

export interface SendThenWait<O, S> {
  /** Before the write: record what ran so far (logship:previous-image), for `logship rollback`. */
  tag?(): Promise<unknown>;
  send(): Promise<O>;
  /** `since` is the local time just before the send: only operations or deployments from then on are ours. */
  wait(out: O, since: Date): Promise<S>;
  /** The service once the wait would end well: a dry run sent nothing, so it waits for nothing and goes on with this. */
  planned?(out: O): S;
}

/** The write every create and update makes: tag, note the time, send, follow what the send started. */
export async function sendThenWait<O, S>(w: SendThenWait<O, S>, dryRun = false): Promise<S> {
  await w.tag?.();
  const since = new Date();
  const out = await w.send();
  if (!dryRun) return w.wait(out, since);
  if (!w.planned) throw new Error("sendThenWait: a dry run needs the planned state");
  return w.planned(out);
}

/** Deploy steps run on the pushed image's digest; without one there is nothing to deploy. */
export function pushedDigest(image: ImageState, target: string): string {
  if (!image.remote) throw new DeployError("no pushed image to deploy", `run \`logship push\` first, or \`logship ship ${target}\``);
  return image.remote.digest;
}
