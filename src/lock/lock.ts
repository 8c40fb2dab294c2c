// The deploy lock (issue #12): one SSM parameter per target, /logship/<app>/<target>/lock, taken with
// PutParameter Overwrite=false (an atomic create) and renewed by its holder while it works. A crashed
// run's lock expires by itself: its parameter's LastModifiedDate (AWS's clock) + the holder's ttl.
// A suggestion, not a rule: anything with SSM access can still write the target.
import { randomUUID } from "node:crypto";
import { DeployError } from "../errors.js";
import { sleep } from "../util/retry.js";
import { errName } from "../util/err-name.js";
import { createParameter, deleteParameter, getParameter, overwriteParameter, type Parameter } from "../aws/ssm.js";
import { describeHolder, parseHolder, utcClock, type Holder } from "./holder.js";
import type { AwsClients } from "../aws/clients.js";

export const DEFAULT_LOCK_TTL_SECONDS = 600;
export const lockName = (app: string, target: string) => `/logship/${app}/${target}/lock`;

export interface LockRequest {
  aws: AwsClients;
  app: string;
  target: string;
  /** Who this run is; its id and start time are added here. */
  holder: Omit<Holder, "id" | "since">;
  /** --lock-wait: how long to wait for a held lock (0 or undefined: fail at once). */
  waitMs?: number;
  signal?: AbortSignal;
  /** Under the step, updating (shown with --verbose or on a terminal). */
  progress(line: string): void;
  /** A line the user always sees: whom this run waits for. */
  info(line: string): void;
  warn(line: string): void;
  now?: () => number;
  /** After taking over an expired lock: how long to let a rival's takeover land before reading back. */
  settleMs?: number;
  /** Longest sleep between two looks at a held lock. */
  pollMs?: number;
}

export interface HeldLock {
  name: string;
  holder: Holder;
  /** Stops the renewals and deletes the parameter if it is still this run's. */
  release(): Promise<void>;
}

export class LockHeldError extends DeployError {}

/** A parameter's holder and when it expires; `holder` undefined when the value is not logship's. */
function reading(p: Parameter): { holder?: Holder; until?: Date } {
  const holder = parseHolder(p.value);
  return holder ? { holder, until: new Date(p.modified.getTime() + holder.ttlSeconds * 1000) } : {};
}

function heldMessage(r: LockRequest, name: string, p: Parameter): string {
  const { holder, until } = reading(p);
  if (!holder) {
    const preview = p.value.length > 40 ? `${p.value.slice(0, 40)}…` : p.value;
    return `the deploy lock of ${r.target} (${name}) holds a value logship did not write (${JSON.stringify(preview)}): it counts as held`;
  }
  return `the deploy lock of ${r.target} is held by ${describeHolder(holder, until!)}`;
}

/** Takes the lock, waiting up to waitMs for a held one; throws LockHeldError when it stays held. */
export async function acquireLock(r: LockRequest): Promise<HeldLock> {
  try {
    return await takeLock(r);
  } catch (e) {
    // An account or role without SSM: say which parameter and both ways out, not only "a permission".
    if (!/AccessDenied/.test(errName(e))) throw e;
    throw new DeployError(
      `the deploy lock of ${r.target}: AWS refused ${lockName(r.app, r.target)} (${(e as Error).message})`,
      "allow ssm:PutParameter, ssm:GetParameter, ssm:DeleteParameter and ssm:GetParameterHistory on parameter/logship/* (README: AWS credentials and permissions), or set `lock: false` in logship.yaml to deploy without the lock",
      { cause: e },
    );
  }
}

async function takeLock(r: LockRequest): Promise<HeldLock> {
  const now = r.now ?? Date.now;
  const name = lockName(r.app, r.target);
  const me: Holder = { ...r.holder, id: randomUUID(), since: new Date(now()).toISOString() };
  const deadline = now() + (r.waitMs ?? 0);
  // Look again after 1 s, 2 s, 4 s … up to pollMs (15 s): a short deploy ahead of us is not waited out in full.
  const maxPoll = r.pollMs ?? 15_000;
  let poll = Math.min(1000, maxPoll);
  let announced = false;
  let vanished = 0;
  for (;;) {
    if ((await createParameter(r.aws, name, JSON.stringify(me), `logship deploy lock of ${r.app}/${r.target}`)) !== undefined) {
      return holdLock(r, name, me);
    }
    const current = await getParameter(r.aws, name);
    if (!current) {
      // Released between our create and our read: try again, but not forever.
      if (++vanished < 5) continue;
      throw new DeployError(`the deploy lock of ${r.target} (${name}) keeps changing: another run takes and releases it`, "re-run in a moment");
    }
    const { holder, until } = reading(current);
    // Our own create, retried by the SDK after a lost answer: the first attempt took it.
    if (holder?.id === me.id) return holdLock(r, name, me);
    if (holder && until!.getTime() <= now()) {
      if (await takeOver(r, name, me, holder, until!)) return holdLock(r, name, me);
      continue;
    }
    const message = heldMessage(r, name, current);
    if (now() >= deadline) {
      throw new LockHeldError(message, holder
        ? `wait for it with --lock-wait 10m, or, if that run is gone, break it with \`logship lock release ${r.target}\``
        : `break it with \`logship lock release ${r.target}\` if no deploy is running`);
    }
    if (!announced) r.info(`waiting up to ${Math.round((deadline - now()) / 1000)}s: ${message}`);
    else r.progress(`still waiting: ${message}`);
    announced = true;
    await sleep(Math.max(0, Math.min(poll, deadline - now())), r.signal);
    poll = Math.min(poll * 2, maxPoll);
  }
}

/**
 * Takes over an expired lock. Parameter Store has no conditional overwrite, so two runs may both
 * overwrite it; each waits `settleMs`, reads it back, and only the run whose value is there holds it.
 */
async function takeOver(r: LockRequest, name: string, me: Holder, old: Holder, until: Date): Promise<boolean> {
  r.warn(`the deploy lock of ${r.target} expired (held by ${describeHolder(old, until)}): taking it over`);
  await overwriteParameter(r.aws, name, JSON.stringify(me));
  try {
    await sleep(r.settleMs ?? 2000, r.signal);
  } catch (e) {
    // Stopped (Ctrl-C, SIGTERM) before the lock was ours to release: give back what we wrote.
    const mine = await getParameter(r.aws, name).catch(() => undefined);
    if (mine && parseHolder(mine.value)?.id === me.id) await deleteParameter(r.aws, name).catch(() => false);
    throw e;
  }
  const after = await getParameter(r.aws, name);
  return !!after && parseHolder(after.value)?.id === me.id;
}

/** Renews every ttl/3 (a heartbeat) until released; warns once if another run took the lock meanwhile. */
/**
 * Locks this process holds. A second Ctrl-C or SIGTERM quits at once (src/cli.ts), with no time to
 * release them: say which stay, and until when, as the process exits.
 */
const heldHere = new Map<string, { target: string; ttlSeconds: number }>();
function sayWhatStays(): void {
  for (const [name, h] of heldHere) {
    const until = utcClock(new Date(Date.now() + h.ttlSeconds * 1000));
    process.stderr.write(`warning: the deploy lock of ${h.target} (${name}) stays held until about ${until}; break it with \`logship lock release ${h.target}\`\n`);
  }
}

function holdLock(r: LockRequest, name: string, me: Holder): HeldLock {
  if (!heldHere.size) process.once("exit", sayWhatStays);
  heldHere.set(name, { target: r.target, ttlSeconds: me.ttlSeconds });
  let lost = false;
  let renewing: Promise<void> = Promise.resolve();
  let warnedError = false;
  const renew = async () => {
    const current = await getParameter(r.aws, name);
    if (!current || parseHolder(current.value)?.id !== me.id) {
      lost = true;
      clearInterval(timer);
      r.warn(`the deploy lock of ${r.target} is no longer this run's (${current ? heldMessage(r, name, current).replace(/^the deploy lock of \S+ (is )?/, "") : "someone released it"}): another run may deploy at the same time`);
      return;
    }
    await overwriteParameter(r.aws, name, JSON.stringify(me));
  };
  const timer = setInterval(() => {
    renewing = renewing.then(renew).catch((e) => {
      if (!warnedError) r.warn(`could not renew the deploy lock of ${r.target}: ${(e as Error).message} (will retry)`);
      warnedError = true;
    });
  }, Math.max(1000, (me.ttlSeconds * 1000) / 3));
  timer.unref();
  return {
    name,
    holder: me,
    async release() {
      clearInterval(timer);
      await renewing;
      if (!lost) {
        const current = await getParameter(r.aws, name);
        if (current && parseHolder(current.value)?.id === me.id) await deleteParameter(r.aws, name);
      }
      // Only once it is gone (a release that failed still says, at exit, that the lock stays).
      heldHere.delete(name);
      if (!heldHere.size) process.off("exit", sayWhatStays);
    },
  };
}

export type LockState =
  | { state: "free"; name: string }
  | { state: "held" | "expired"; name: string; holder: Holder; until: Date; id: string }
  | { state: "unreadable"; name: string; value: string };

/** What the lock parameter says now, for `logship lock status|release`. */
export async function inspectLock(aws: AwsClients, app: string, target: string, now: number = Date.now()): Promise<LockState> {
  const name = lockName(app, target);
  const p = await getParameter(aws, name);
  if (!p) return { state: "free", name };
  const { holder, until } = reading(p);
  if (!holder) return { state: "unreadable", name, value: p.value };
  return { state: until!.getTime() <= now ? "expired" : "held", name, holder, until: until!, id: holder.id };
}

/** Deletes the lock if it is still the one `seen` showed (so a lock taken meanwhile is not broken). */
export async function breakLock(aws: AwsClients, seen: LockState): Promise<boolean> {
  const p = await getParameter(aws, seen.name);
  if (!p) return false;
  const same = seen.state === "unreadable" ? p.value === seen.value : seen.state !== "free" && parseHolder(p.value)?.id === seen.id;
  if (!same) throw new DeployError(`the deploy lock ${seen.name} changed while we looked: another run took it`, "run `logship lock status` again");
  return deleteParameter(aws, seen.name);
}
