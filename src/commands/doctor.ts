// `logship doctor`: checks Docker, the config, AWS identity and region, audits each configured target
// and lints the Dockerfile. Each finding: severity, what, why, how to fix. Exit 1 when an error remains.
import { createContext, makeReporter } from "./run.js";
import { prepareImages } from "./prepare.js";
import { createDocker } from "../docker/runner.js";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { ConfigError, DeployError, isExpected } from "../errors.js";
import { dockerChecks } from "../doctor/local-checks.js";
import { identityChecks } from "../doctor/aws-checks.js";
import { targetsAmong } from "../targets/index.js";
import { withLock } from "../lock/guard.js";
import { architectureChecks } from "../doctor/image-checks.js";
import { dockerfileChecks } from "../doctor/dockerfile-checks.js";
import { formatFinding, type Finding } from "../doctor/finding.js";
import type { TargetName } from "../config/schema.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

async function guarded(id: string, check: () => Promise<Finding[]>): Promise<Finding[]> {
  try {
    return await check();
  } catch (e) {
    const { explainAwsError } = await import("../aws/errors.js");
    const err = explainAwsError(e) ?? e;
    if (!isExpected(err)) throw err;
    return [{ id, severity: "error", what: err.message, fix: err.hint }];
  }
}

export interface DoctorOptions extends GlobalOptions {
  /** --fix: repair what can be repaired safely. */
  fix?: boolean;
}

export async function doctor(opts: DoctorOptions, io: Io): Promise<CommandResult> {
  const findings: Finding[] = [...(await dockerChecks(createDocker(io.env), io.env))];
  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfig({ cwd: io.cwd, configPath: opts.config, env: io.env, overrides: opts, envName: opts.env });
    findings.push({ id: "config", severity: "ok", what: `config ${loaded.file} is valid` });
  } catch (e) {
    if (!isExpected(e)) throw e;
    findings.push({
      id: "config", severity: "error",
      what: e instanceof ConfigError ? `config: ${e.problems.join("; ")}` : e.message,
      fix: e.hint ?? "fix the fields named above",
    });
  }
  if (loaded) {
    const ctx = await createContext(opts, io, await makeReporter({ ...opts, json: true }, io), loaded);
    const targets = (Object.keys(loaded.config.targets) as TargetName[]).filter((t) => loaded!.config.targets[t]);
    findings.push(...(await guarded("image", async () => {
      await prepareImages(ctx, targets);
      return [...(await dockerfileChecks(ctx)), ...(await architectureChecks(ctx))];
    })));
    const usesAws = targets.some((t) => t !== "local") || (loaded.config.registry.type === "ecr" && loaded.config.region !== undefined);
    if (usesAws) {
      const identity = await identityChecks(ctx);
      findings.push(...identity.findings);
      // Each configured target audits what it has deployed (src/targets/<name>/doctor.ts).
      if (identity.ok) {
        const fix = !!opts.fix && !opts.dryRun;
        for (const [name, { audit }] of targetsAmong(targets)) {
          // A fix writes, so it holds the target's deploy lock like any other writing command (src/lock/guard.ts);
          // an audit that can only read (App Runner's) does not wait on a deploy.
          const run = () => audit!.run(ctx, fix);
          if (audit) findings.push(...(await guarded(audit.id, () => (fix && audit.fixes ? withLock(ctx, "doctor --fix", name, run) : run()))));
        }
      }
    }
  }
  const errors = findings.filter((f) => f.severity === "error" && !f.fixed);
  return {
    command: "doctor",
    dryRun: !!opts.dryRun,
    fields: { findings },
    text: findings.map(formatFinding).join("\n"),
    error: errors.length
      ? new DeployError(`doctor found ${errors.length} error${errors.length === 1 ? "" : "s"}`, "each one above says how to fix it")
      : undefined,
  };
}
