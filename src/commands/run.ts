// The shared shape of every pipeline command: load config → prepare → steps → report.
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { AwsClients } from "../aws/clients.js";
import { sweepStaleTempDirs } from "../util/private-tmp.js";
import { createDocker } from "../docker/runner.js";
import type { Reporter } from "../ui/reporter.js";
import type { CommandResult } from "../ui/result.js";
import { runGroups, runSteps, PipelineError, type StepResult } from "../pipeline.js";
import { DeployError, exitCodeOf } from "../errors.js";
import { formatPlan } from "../ui/plan.js";
import { guardGroups } from "../lock/guard.js";
import type { ReleaseAction } from "../lock/record.js";
import type { Context, Step } from "../steps/types.js";
import type { GlobalOptions, Io } from "./globals.js";

export interface Plan {
  /** Steps that run first, in order (build, push). */
  sequence: Step[];
  /** Per-target steps, run in parallel after the sequence. */
  groups?: { group: string; steps: Step[] }[];
  /** A writing command: its AWS groups run under the deploy lock and are recorded (src/lock/guard.ts). */
  lock?: ReleaseAction;
}

// Terminal policy lives in src/ui/output.ts; re-exported for the commands that import it from here.
export { makeReporter } from "../ui/output.js";

export async function createContext(opts: GlobalOptions, io: Io, reporter: Reporter, loaded?: LoadedConfig): Promise<Context> {
  // Folders of earlier runs that were killed (SIGKILL, a crash) may hold an ECR token: remove them.
  // Here, where a command starts its work; not on --help, --version or a usage error.
  await sweepStaleTempDirs().catch(() => {});
  loaded ??= await loadConfig({ cwd: io.cwd, configPath: opts.config, env: io.env, overrides: opts, envName: opts.env });
  return {
    cwd: io.cwd,
    loaded,
    config: loaded.config,
    dryRun: !!opts.dryRun,
    // Steps that can read live state do so in a dry run, sending no write (src/plan/dry-run.ts).
    liveDryRun: !!opts.dryRun,
    signal: io.signal,
    reporter,
    docker: createDocker(io.env),
    aws: new AwsClients({
      region: loaded.config.region, regionSource: loaded.regionSource, profile: loaded.config.profile, env: io.env,
      trace: opts.debug ? (line) => io.stderr.write(`${line}\n`) : undefined,
    }),
    env: io.env,
    images: new Map(),
    targets: {},
    session: { cleanup: [] },
    options: { ...opts },
    progress: () => {},
  };
}

function summary(ctx: Context) {
  return {
    images: [...ctx.images.values()].map((i) => ({
      key: i.spec.key,
      tag: i.tag,
      local: i.localRefs,
      imageId: i.imageId,
      platform: i.spec.platform,
      ...(i.remote ? { pushed: `${i.remote.repository}@${i.remote.digest}`, repository: i.remote.repository, digest: i.remote.digest, uploadSkipped: !!i.remote.skipped } : {}),
    })),
    targets: ctx.targets,
  };
}

/** Runs the plan and returns its result (the --json fields, the dry-run plan as text, the first failure). */
export async function executePlan(command: string, ctx: Context, plan: Plan): Promise<CommandResult> {
  const results: StepResult[] = [];
  let error: unknown;
  try {
    await runSteps(plan.sequence, ctx, results);
    if (plan.groups?.length) {
      const { explainAwsError } = await import("../aws/errors.js");
      const guarded = plan.lock ? guardGroups(ctx, command, plan.lock, plan.groups) : undefined;
      const outcomes = await runGroups(guarded?.groups ?? plan.groups, ctx);
      if (guarded && !ctx.dryRun) await guarded.finish(outcomes);
      for (const o of outcomes) results.push(...o.results);
      const failed = outcomes.filter((o) => o.error);
      if (failed.length === 1) error = failed[0].error;
      else if (failed.length > 1) {
        // Several targets failed: one message naming each; Ctrl-C everywhere stays an interruption.
        error = failed.every((f) => exitCodeOf(f.error) === 130)
          ? failed[0].error
          : new DeployError(failed.map((f) => `${f.group}: ${(explainAwsError(f.error) ?? (f.error as Error)).message}`).join("; "));
      }
    }
  } catch (e) {
    error = e instanceof PipelineError ? e.cause : e;
  } finally {
    for (const clean of ctx.session.cleanup.reverse()) await clean().catch(() => {});
    ctx.reporter.close();
  }
  return {
    command,
    dryRun: ctx.dryRun,
    fields: { ...summary(ctx), steps: results },
    text: ctx.dryRun ? formatPlan(command, results) : undefined,
    error,
  };
}

/** `text` for stdout after a run that succeeded for real (a URL, digests); a dry run prints its plan instead. */
export function withData(result: CommandResult, lines: string[]): CommandResult {
  if (result.error !== undefined || result.dryRun || !lines.length) return result;
  return { ...result, text: lines.join("\n") };
}
