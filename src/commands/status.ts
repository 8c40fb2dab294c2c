// `logship status`: read back from where each target runs (AWS or the local engine); no local state.
import { createContext, makeReporter } from "./run.js";
import { parseTargetName, targetFor, type TargetStatus } from "../targets/index.js";
import { DeployError, exitCodeOf } from "../errors.js";
import type { TargetName } from "../config/schema.js";
import type { GlobalOptions, Io } from "./globals.js";

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

export async function status(targetNames: string[], opts: GlobalOptions, io: Io): Promise<void> {
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const configured = (Object.keys(ctx.config.targets) as TargetName[]).filter((t) => ctx.config.targets[t]);
  const names = targetNames.length ? targetNames.map(parseTargetName) : configured.length ? configured : (["local"] as TargetName[]);
  const targets = names.map((t) => [t, targetFor(ctx, t)] as const);
  const rows = await Promise.all(
    targets.map(async ([name, target]) => {
      try {
        return await target.status(ctx);
      } catch (e) {
        const { explainAwsError } = await import("../aws/errors.js");
        const err = explainAwsError(e) ?? e;
        if (exitCodeOf(err) === 70) throw err;
        return { target: name, exists: false, state: "unknown", detail: (err as Error).message, error: err } as TargetStatus & { error: unknown };
      }
    }),
  );
  reporter.close();
  const failed = rows.find((r) => (r as { error?: unknown }).error);
  // A target that exists but does not serve (a container in a crash loop) is a failure too.
  const broken = rows.filter((r) => (r as { problem?: string }).problem);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify({ command: "status", ok: !failed && !broken.length, targets: rows.map(({ error: _e, ...r }: any) => r) }, null, 2)}\n`);
  } else {
    // stdout carries only what was read: a target that could not be read (Docker down) is no row
    // ("not deployed" would be a guess); its error goes to stderr.
    const read = rows.filter((r) => !(r as { error?: unknown }).error);
    if (read.length) io.stdout.write(table(read));
    for (const r of rows) if (r.detail && r.state === "unknown" && r !== failed) reporter.warn(`${r.target}: ${r.detail}`);
  }
  if (failed) {
    const err = (failed as { error?: unknown }).error;
    throw err instanceof Error && "exitCode" in err ? err : new DeployError(`status of ${failed.target} could not be read`);
  }
  if (broken.length) {
    throw new DeployError(
      broken.map((r) => `${r.target}: ${(r as { problem?: string }).problem}`).join("; "),
      broken.some((r) => r.target === "local") ? "see `logship logs local` for why, then fix and `logship deploy local` again" : undefined,
    );
  }
}
