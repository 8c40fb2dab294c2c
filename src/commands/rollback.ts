// `logship rollback <target> [--to VERSION|DIGEST]` and `logship releases <target>`.
import { createContext, executePlan, makeReporter, withData } from "./run.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import { registryReleases, registryRollbackSteps } from "../rollback/registry.js";
import { UserError } from "../errors.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";
import type { Release } from "../rollback/types.js";
import type { Context } from "../steps/types.js";
import { describeRelease, formatEntry, readReleases, recordName, type ReleaseEntry } from "../lock/record.js";

export interface RollbackOptions extends GlobalOptions {
  /** --to: a Lambda version or an image digest. */
  to?: string;
  /** --restore: restore an archived image first. */
  restore?: boolean;
  /** --no-smoke gives false. */
  smoke?: boolean;
}

export async function rollback(targetName: string, opts: RollbackOptions, io: Io): Promise<CommandResult> {
  const name = parseTargetName(targetName);
  if (name === "local") throw new UserError("rollback local: redeploy an earlier build with `logship deploy local --tag <tag>`");
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const target = targetFor(ctx, name);
  const steps = target.rollbackSteps ? target.rollbackSteps(ctx, opts.to) : registryRollbackSteps(ctx, name, target, opts.to);
  const result = await executePlan(`rollback ${name}`, ctx, { sequence: [], groups: [{ group: name, steps }], lock: "rollback" });
  const backTo = result.error === undefined && !ctx.dryRun ? await releaseRolledBackTo(ctx, name) : undefined;
  if (backTo) reporter.info(`${name}: back to ${describeRelease(backTo)}`);
  const url = ctx.targets[name]?.url;
  return withData({ ...result, fields: { ...result.fields, ...(backTo ? { backTo } : {}) } }, url ? [url] : []);
}

/** The deploy the record says put the now-live image out (the rollback just recorded names its digest). */
async function releaseRolledBackTo(ctx: Context, target: string): Promise<ReleaseEntry | undefined> {
  const [latest, ...earlier] = await recordedReleases(ctx, target);
  if (latest?.action !== "rollback" || !latest.digest) return undefined;
  return earlier.find((e) => e.action === "deploy" && e.result === "ok" && e.digest === latest.digest);
}

export async function releases(targetName: string, opts: GlobalOptions, io: Io): Promise<CommandResult> {
  const name = parseTargetName(targetName);
  if (name === "local") throw new UserError("releases local: local images are listed by `docker image ls`");
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const target = targetFor(ctx, name);
  const list = target.releases ? await target.releases(ctx) : await registryReleases(ctx, name, target);
  const record = await recordedReleases(ctx, name);
  if (!list.length && !opts.json) reporter.info(`${name}: nothing deployed yet`);
  const recorded = record.length ? ["", "Recorded by logship (newest first):", ...record.map(formatEntry)] : [];
  return {
    command: "releases", dryRun: ctx.dryRun,
    fields: { target: name, releases: list, record },
    text: [...list.map(releaseLine), ...recorded].join("\n"),
  };
}

/** The release record (src/lock/record.ts); none with `lock: false`, and a warning when SSM cannot be read. */
async function recordedReleases(ctx: Context, target: string): Promise<ReleaseEntry[]> {
  if (ctx.config.lock === false) return [];
  return readReleases(ctx.aws, ctx.config.app, target).catch((e) => {
    ctx.reporter.warn(`the release record (${recordName(ctx.config.app, target)}) could not be read: ${(e as Error).message}`);
    return [];
  });
}

function releaseLine(r: Release): string {
  const id = r.id.startsWith("sha256:") ? r.id.slice(0, 19) : `v${r.id}`;
  // An archived image is not pullable: say so on its line (rollback to it needs --restore).
  const stored = r.storage ? ` [${r.storage === "ARCHIVED" ? "archived: rollback --restore" : "restoring from archive"}]` : "";
  return `${r.live ? "*" : " "} ${id.padEnd(20)} ${(r.createdAt ?? "").padEnd(29)} ${r.description ?? r.image ?? ""}${stored}`;
}
