// `logship status`: read back from where each target runs (AWS or the local engine); no local state.
import { createContext, makeReporter } from "./run.js";
import { parseTargetName, targetFor, type TargetStatus } from "../targets/index.js";
import { DeployError, exitCodeOf } from "../errors.js";
import type { TargetName } from "../config/schema.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

function table(rows: TargetStatus[]): string {
  const head = ["TARGET", "STATE", "URL", "IMAGE", "UPDATED"];
  const body = rows.map((r) => [
    r.target,
    r.exists ? (r.state ?? "exists") : "not deployed",
    r.url ?? "-",
    r.image ? r.image.replace(/^(.*@)?sha256:([a-f0-9]{12})[a-f0-9]*$/, "$1sha256:$2") : "-",
    r.updatedAt ?? "-",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cols) => cols.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()).join("\n") + "\n";
}

/** A row as read, with the failure that kept it from being read, and what makes a live one unhealthy. */
type Row = TargetStatus & { error?: unknown; problem?: string };

export async function status(targetNames: string[], opts: GlobalOptions, io: Io): Promise<CommandResult> {
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const configured = (Object.keys(ctx.config.targets) as TargetName[]).filter((t) => ctx.config.targets[t]);
  const names = targetNames.length ? targetNames.map(parseTargetName) : configured.length ? configured : (["local"] as TargetName[]);
  const targets = names.map((t) => [t, targetFor(ctx, t)] as const);
  const rows: Row[] = await Promise.all(
    targets.map(async ([name, target]): Promise<Row> => {
      try {
        return await target.status(ctx);
      } catch (e) {
        const { explainAwsError } = await import("../aws/errors.js");
        const err = explainAwsError(e) ?? e;
        if (exitCodeOf(err) === 70) throw err;
        return { target: name, exists: false, state: "unknown", detail: (err as Error).message, error: err };
      }
    }),
  );
  reporter.close();
  const failed = rows.find((r) => r.error);
  // A target that exists but does not serve (a container in a crash loop) is a failure too.
  const broken = rows.filter((r) => r.problem);
  // stdout carries only what was read: a target that could not be read (Docker down) is no row
  // ("not deployed" would be a guess); its error goes to stderr.
  const read = rows.filter((r) => !r.error);
  if (!opts.json) for (const r of rows) if (r.detail && r.state === "unknown" && r !== failed) reporter.warn(`${r.target}: ${r.detail}`);
  return {
    command: "status",
    dryRun: ctx.dryRun,
    fields: { targets: rows.map(({ error: _e, ...r }) => r) },
    text: read.length ? table(read) : undefined,
    error: failed ? failed.error : broken.length ? brokenError(broken) : undefined,
  };
}

function brokenError(broken: Row[]): DeployError {
  return new DeployError(
    broken.map((r) => `${r.target}: ${r.problem}`).join("; "),
    broken.some((r) => r.target === "local") ? "see `logship logs local` for why, then fix and `logship deploy local` again" : undefined,
  );
}
