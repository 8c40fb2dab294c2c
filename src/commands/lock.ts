// `logship lock status <target>` and `logship lock release <target>`: show and break a target's
// deploy lock (src/lock/lock.ts). Breaking a lock another run may still hold asks first, and
// refuses without a terminal to ask on unless --yes.
import os from "node:os";
import { createContext, makeReporter } from "./run.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import { breakLock, inspectLock, type LockState } from "../lock/lock.js";
import { describeHolder } from "../lock/holder.js";
import { processAlive } from "../util/private-tmp.js";
import { UserError } from "../errors.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

async function read(targetName: string, opts: GlobalOptions, io: Io) {
  const target = parseTargetName(targetName);
  if (target === "local") throw new UserError("lock local: local deploys wait for each other on this machine; there is no lock to show", "name an AWS target: apprunner, lambda or ecs");
  const ctx = await createContext(opts, io, await makeReporter(opts, io));
  targetFor(ctx, target);
  return { target, ctx, lock: await inspectLock(ctx.aws, ctx.config.app, target) };
}

export function describeLock(target: string, lock: LockState): string {
  switch (lock.state) {
    case "free": return `${target}: not locked`;
    case "held": return `${target}: locked by ${describeHolder(lock.holder, lock.until)}`;
    case "expired": return `${target}: the lock of ${describeHolder(lock.holder, lock.until)} has expired; the next deploy takes it over`;
    case "unreadable": return `${target}: locked by a value logship did not write (${lock.name} = ${JSON.stringify(lock.value.slice(0, 80))})`;
  }
}

const fieldsOf = (target: string, lock: LockState) => ({
  target,
  lock: lock.state === "free" || lock.state === "unreadable"
    ? lock
    : { state: lock.state, name: lock.name, holder: lock.holder, until: lock.until.toISOString() },
});

export async function lockStatus(targetName: string, opts: GlobalOptions, io: Io): Promise<CommandResult> {
  const { target, lock } = await read(targetName, opts, io);
  return { command: `lock status ${target}`, dryRun: false, fields: fieldsOf(target, lock), text: describeLock(target, lock) };
}

/** A lock whose run was on this machine and has ended: breaking it can hurt no one. */
const abandonedHere = (lock: LockState) => lock.state !== "free" && lock.state !== "unreadable" && lock.holder.host === os.hostname() && !processAlive(lock.holder.pid);

export async function lockRelease(targetName: string, opts: GlobalOptions, io: Io): Promise<CommandResult> {
  const { target, ctx, lock } = await read(targetName, opts, io);
  const command = `lock release ${target}`;
  if (lock.state === "free") return { command, dryRun: false, fields: { ...fieldsOf(target, lock), released: false }, text: `${target}: not locked; nothing to release` };
  if (lock.state !== "expired" && !abandonedHere(lock) && !opts.yes) {
    const what = describeLock(target, lock).replace(`${target}: `, "");
    if (!io.interactive || !io.confirm) {
      throw new UserError(`${command}: refusing to break a lock another run may hold (${what}) without confirmation`, "pass --yes to break it (there is no terminal to ask on)");
    }
    if (!(await io.confirm(`Break the deploy lock of ${target}? It is ${what}; if that deploy is still running, another may now run beside it.`))) {
      throw new UserError(`${command}: not confirmed; the lock stays`);
    }
  }
  const released = await breakLock(ctx.aws, lock);
  return { command, dryRun: false, fields: { ...fieldsOf(target, lock), released }, text: released ? `${target}: released the deploy lock (${describeLock(target, lock).replace(`${target}: `, "")})` : `${target}: not locked; nothing to release` };
}
