// The shared shape of every pipeline command: load config → prepare → steps → report.
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { AwsClients } from "../aws/clients.js";
import { sweepStaleTempDirs } from "../util/private-tmp.js";
import { createDocker } from "../docker/runner.js";
import { createReporter, type Reporter } from "../ui/reporter.js";
import { runGroups, runSteps, PipelineError, type StepResult } from "../pipeline.js";
import { DeployError, exitCodeAfter, exitCodeOf, hintOf } from "../errors.js";
import { formatPlan } from "../ui/plan.js";
import type { Context, Step } from "../steps/types.js";
import type { GlobalOptions, Io } from "./globals.js";

export interface Plan {
  /** Steps that run first, in order (build, push). */
  sequence: Step[];
  /** Per-target steps, run in parallel after the sequence. */
  groups?: { group: string; steps: Step[] }[];
}

export function reporterMode(opts: GlobalOptions, io: Io): "tty" | "plain" | "json" {
  if (opts.json) return "json";
  if (opts.progress === false || !io.isTTY || io.env.CI) return "plain";
  return "tty";
}

export async function makeReporter(opts: GlobalOptions, io: Io): Promise<Reporter> {
  return createReporter({
    stdout: io.stdout,
    stderr: io.stderr,
    mode: reporterMode(opts, io),
    color: !io.env.NO_COLOR && io.isTTY && !io.env.CI,
    verbose: opts.verbose,
  });
}

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

export interface RunOutcome {
  ok: boolean;
  results: StepResult[];
  error?: unknown;
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

/** Runs the plan, prints the outcome (text, plan or JSON) and throws the first failure for the exit code. */
export async function executePlan(command: string, ctx: Context, plan: Plan, opts: GlobalOptions, io: Io): Promise<void> {
  const results: StepResult[] = [];
  let error: unknown;
  try {
    await runSteps(plan.sequence, ctx, results);
    if (plan.groups?.length) {
      const { explainAwsError } = await import("../aws/errors.js");
      const outcomes = await runGroups(plan.groups, ctx);
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
    if (error) {
      // The JSON document must carry the same message and exit code the user sees on stderr.
      const { explainAwsError } = await import("../aws/errors.js");
      error = explainAwsError(error) ?? error;
    }
    for (const clean of ctx.session.cleanup.reverse()) await clean().catch(() => {});
    ctx.reporter.close();
  }

  if (opts.json) {
    const doc = {
      command,
      ok: !error,
      dryRun: ctx.dryRun,
      ...summary(ctx),
      steps: results,
      ...(error ? { error: { message: (error as Error).message, hint: hintOf(error), exitCode: exitCodeAfter(error, io.signal) } } : {}),
    };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (ctx.dryRun) {
    io.stdout.write(formatPlan(command, results));
  }
  if (error) throw error;
}
