// Puts a writing command's target groups under the deploy lock and records what each one did:
// the lock step comes first in a group (before the pre-deploy hook), the record is written when the
// group has ended (after post-deploy, and when it failed or was interrupted), and the lock is
// released last, with the run's other clean-ups (so Ctrl-C and SIGTERM release it too).
import os from "node:os";
import { parseDuration } from "../config/rules.js";
import { getCallerIdentity } from "../aws/sts.js";
import { exitCodeOf, UserError } from "../errors.js";
import { acquireLock, DEFAULT_LOCK_TTL_SECONDS, lockName, type HeldLock, type LockRequest } from "./lock.js";
import { appendRelease, recordName, type ReleaseAction, type ReleaseEntry } from "./record.js";
import { ciRunUrl } from "./holder.js";
import { targetFor } from "../targets/index.js";
import type { TargetName } from "../config/schema.js";
import type { Context, Step } from "../steps/types.js";
import type { CallRecord } from "../aws/call.js";

interface Group { group: string; steps: Step[] }
interface Outcome { group: string; error?: unknown; results: { id: string; status: string }[] }

/** --lock-wait DURATION in ms (0 when absent). */
export function lockWaitMs(value: unknown): number {
  if (value === undefined || value === false) return 0;
  const ms = parseDuration(String(value));
  if (ms === undefined) throw new UserError(`--lock-wait: ${JSON.stringify(String(value))} is not a duration`, "use e.g. 90s, 10m or 1h");
  return ms;
}

export function lockTtlSeconds(ctx: Context): number {
  const lock = ctx.config.lock;
  return lock === false ? 0 : Math.max(30, Math.round((parseDuration(lock?.ttl ?? "10m") ?? DEFAULT_LOCK_TTL_SECONDS * 1000) / 1000));
}

/** What this run says about itself when it takes `target`'s lock (src/lock/holder.ts). */
async function lockRequest(ctx: Context, command: string, target: string): Promise<LockRequest> {
  return {
    aws: ctx.aws, app: ctx.config.app, target, waitMs: lockWaitMs(ctx.options.lockWait), signal: ctx.signal,
    progress: ctx.progress, info: (l) => ctx.reporter.info(l), warn: (l) => ctx.reporter.warn(l),
    holder: { by: await callerArn(ctx), host: os.hostname(), pid: process.pid, command: `logship ${command}`, sha: ctx.git?.sha, ci: ciRunUrl(ctx.env), ttlSeconds: lockTtlSeconds(ctx) },
  };
}

const callers = new WeakMap<object, Promise<string>>();
/** The STS caller ARN, asked once per run. */
export function callerArn(ctx: Context): Promise<string> {
  if (!callers.has(ctx.aws)) callers.set(ctx.aws, getCallerIdentity(ctx.aws).then((c) => c.Arn ?? "unknown caller"));
  return callers.get(ctx.aws)!;
}

/**
 * The group's steps, each handing the executor (src/aws/execute.ts) a list that keeps the group's AWS
 * writes: a run that wrote nothing is no release. A dry run keeps its own lists (src/plan/dry-run.ts).
 */
function keepingWrites(steps: Step[], writes: CallRecord[]): Step[] {
  return steps.map((s) => ({
    ...s,
    ...(s.isDone ? { isDone: (c: Context) => s.isDone!(c.dryRun ? c : { ...c, calls: writes }) } : {}),
    run: (c: Context) => s.run(c.dryRun ? c : { ...c, calls: writes }),
  }));
}

/** Wraps the AWS target groups of a writing command; `finish` records each locked group's outcome. */
export function guardGroups(ctx: Context, command: string, action: ReleaseAction, groups: Group[]): { groups: Group[]; finish(outcomes: Outcome[]): Promise<void> } {
  const aws = groups.filter((g) => g.group !== "local");
  if (!aws.length) return { groups, finish: async () => {} };
  if (ctx.config.lock === false) {
    // Once per run: a command calls this once, for all its groups.
    ctx.reporter.warn(`lock: false in logship.yaml: concurrent deploys of ${aws.map((g) => g.group).join(", ")} are not guarded, and no release is recorded`);
    return { groups, finish: async () => {} };
  }
  const held = new Map<string, HeldLock>();
  const writes = new Map(aws.map((g) => [g.group, [] as CallRecord[]]));
  const waitMs = lockWaitMs(ctx.options.lockWait);
  const lockStep = (target: string): Step => ({
    id: "lock.acquire",
    group: target,
    // A dry run never takes the lock (its reads do not need it): planned only, and the steps after it still read live state.
    dryRun: "inert",
    title: () => `Take the deploy lock of ${target}${waitMs ? ` (waiting up to ${Math.round(waitMs / 1000)}s)` : ""}`,
    describe: () => [
      { kind: "aws", command: "SSM.PutParameter", input: { Name: lockName(ctx.config.app, target), Overwrite: false }, note: "the deploy lock, released when the run ends" },
      { kind: "aws", command: "SSM.PutParameter", input: { Name: recordName(ctx.config.app, target), Overwrite: true }, note: "the release record, written when the target is done" },
    ],
    async run(c) {
      // A dry run is a read: it never takes the lock, even when its steps read live state.
      if (c.dryRun) return `not taken in a dry run (${lockName(c.config.app, target)})`;
      const lock = await acquireLock(await lockRequest(c, command, target));
      held.set(target, lock);
      c.session.cleanup.push(() => lock.release());
      return `held by this run (${lock.name})`;
    },
  });
  return {
    groups: groups.map((g) => (g.group === "local" ? g : { group: g.group, steps: [lockStep(g.group), ...keepingWrites(g.steps, writes.get(g.group)!)] })),
    async finish(outcomes) {
      for (const o of outcomes) {
        const lock = held.get(o.group);
        // A run that wrote nothing (every step found its work done) is not a release; a failure is recorded.
        if (!lock || (!o.error && !writes.get(o.group)?.length)) continue;
        const entry = releaseEntry(ctx, o, action, lock.holder.by, action === "rollback" && !o.error ? await liveDigest(ctx, o.group) : undefined);
        await appendRelease(ctx.aws, ctx.config.app, entry).catch((e) => ctx.reporter.warn(`could not record the release of ${o.group}: ${(e as Error).message}`));
      }
    },
  };
}

/** After a rollback: the digest the target serves now, read back as `status` reads it. */
async function liveDigest(ctx: Context, group: string): Promise<string | undefined> {
  const status = await targetFor(ctx, group as TargetName).status(ctx).catch(() => undefined);
  return /sha256:[0-9a-f]{64}/.exec(status?.image ?? "")?.[0];
}

function releaseEntry(ctx: Context, o: Outcome, action: ReleaseAction, by: string, live?: string): ReleaseEntry {
  const image = [...ctx.images.values()].find((i) => i.spec.targets.includes(o.group as never)) ?? ctx.images.get("app");
  const digest = live ?? image?.remote?.digest;
  return {
    time: new Date().toISOString(),
    target: o.group,
    action,
    result: !o.error ? "ok" : exitCodeOf(o.error) === 130 ? "interrupted" : "failed",
    // A failed deploy may leave the old image serving: what it tried is not what runs.
    ...(action !== "destroy" && digest ? (o.error ? { attempted: digest } : { digest }) : {}),
    ...(action === "deploy" && image?.tag ? { tag: image.tag, dirty: image.tag.includes("-dirty.") } : {}),
    // The image's own commit (built this run, or the local image's revision label), not the checkout's.
    ...(action === "deploy" && image?.revision ? { sha: image.revision } : {}),
    by,
    ...(ciRunUrl(ctx.env) ? { ci: ciRunUrl(ctx.env) } : {}),
    ...(o.error ? { detail: (o.error as Error).message?.split("\n")[0] } : {}),
  };
}

/**
 * Runs `fn` holding `target`'s deploy lock (doctor --fix: its audit reads, decides and writes under
 * it). No lock with `lock: false`, in a dry run, or for local.
 */
export async function withLock<T>(ctx: Context, command: string, target: string, fn: () => Promise<T>): Promise<T> {
  if (ctx.dryRun || target === "local" || ctx.config.lock === false) return fn();
  const lock = await acquireLock(await lockRequest(ctx, command, target));
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
