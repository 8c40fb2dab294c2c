// `logship rollback <target> [--to VERSION|DIGEST]` and `logship releases <target>`.
import { createContext, executePlan, makeReporter } from "./run.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import { registryReleases, registryRollbackSteps } from "../rollback/registry.js";
import { UserError } from "../errors.js";
import type { GlobalOptions, Io } from "./globals.js";

export async function rollback(targetName: string, opts: GlobalOptions & { to?: string; restore?: boolean }, io: Io): Promise<void> {
  const name = parseTargetName(targetName);
  if (name === "local") throw new UserError("rollback local: redeploy an earlier build with `logship deploy local --tag <tag>`");
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const target = targetFor(ctx, name);
  const steps = target.rollbackSteps ? target.rollbackSteps(ctx, opts.to) : await registryRollbackSteps(ctx, name, target, opts.to);
  await executePlan(`rollback ${name}`, ctx, { sequence: [], groups: [{ group: name, steps }] }, opts, io);
  const url = ctx.targets[name]?.url;
  if (url && !ctx.dryRun) reporter.data(url);
}

export async function releases(targetName: string, opts: GlobalOptions, io: Io): Promise<void> {
  const name = parseTargetName(targetName);
  if (name === "local") throw new UserError("releases local: local images are listed by `docker image ls`");
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const target = targetFor(ctx, name);
  const list = target.releases ? await target.releases(ctx) : await registryReleases(ctx, name, target);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ command: "releases", target: name, releases: list }, null, 2)}\n`);
    return;
  }
  if (!list.length) {
    reporter.info(`${name}: nothing deployed yet`);
    return;
  }
  for (const r of list) {
    const id = r.id.startsWith("sha256:") ? r.id.slice(0, 19) : `v${r.id}`;
    // An archived image is not pullable: say so on its line (rollback to it needs --restore).
    const stored = r.storage ? ` [${r.storage === "ARCHIVED" ? "archived: rollback --restore" : "restoring from archive"}]` : "";
    io.stdout.write(`${r.live ? "*" : " "} ${id.padEnd(20)} ${(r.createdAt ?? "").padEnd(29)} ${r.description ?? r.image ?? ""}${stored}\n`);
  }
}
