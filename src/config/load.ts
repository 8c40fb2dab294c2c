// Finds and reads logship.yaml / logship.json, overlays environment and flags, then validates.
// Precedence: flags > environment > file > schema defaults (defaults are applied last, by zod).
import { lstat } from "node:fs/promises";
import path from "node:path";
import { configSchema, type Config } from "./schema.js";
import { describeIssue, formatIssues, nulByteProblems } from "./issues.js";
import { parseConfigText } from "./parse.js";
import { readConfigText } from "./read.js";
import { AWS_REGION } from "./rules.js";
import { ConfigError, UserError } from "../errors.js";
import { deepMerge, ENV_NAME, overlayFile, overlaySets } from "./overlay.js";

export const CONFIG_FILES = ["logship.yaml", "logship.yml", "logship.json"];

export interface Overrides {
  region?: string;
  profile?: string;
  tag?: string;
  platform?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file. */
  file: string;
  /** Directory the config's relative paths are resolved against. */
  root: string;
  /** Where region came from, for messages ("--region", "AWS_REGION", "logship.yaml"). */
  regionSource?: string;
  /** The environment overlay applied (`--env staging` → logship.staging.yaml), if any. */
  overlay?: { env: string; file: string };
}

/** Is there an entry at all? A directory, a symlink loop or an unreadable file is reported when read. */
async function exists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, () => false);
}

export async function findConfigFile(cwd: string, explicit?: string): Promise<string> {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!(await exists(file))) throw new UserError(`--config: ${explicit} does not exist`, "pass the path of a logship.yaml or logship.json");
    return file;
  }
  for (const name of CONFIG_FILES) {
    const file = path.join(cwd, name);
    if (await exists(file)) return file;
  }
  throw new UserError(
    `no logship.yaml in ${cwd}`,
    "run `logship init` to write one, or pass --config PATH",
  );
}

export { parseConfigText };

/** Puts env and flag values over the file's values; only keys that were actually given. */
export function applyOverrides(raw: Record<string, any>, env: NodeJS.ProcessEnv, flags: Overrides): { raw: Record<string, any>; regionSource?: string } {
  const out = structuredClone(raw);
  let regionSource = out.region !== undefined ? "config file" : undefined;
  const region: [string | undefined, string][] = [
    [flags.region, "--region"], [env.AWS_REGION, "AWS_REGION"], [env.AWS_DEFAULT_REGION, "AWS_DEFAULT_REGION"],
  ];
  const pick = region.find(([v]) => v);
  if (pick) [out.region, regionSource] = pick;
  const profile = flags.profile ?? env.AWS_PROFILE;
  if (profile) out.profile = profile;
  const tag = flags.tag ?? env.LOGSHIP_TAG;
  // A non-mapping image is left as it is, so validation still reports it instead of the flag hiding it.
  const imageIsMapping = out.image === undefined || (typeof out.image === "object" && out.image !== null && !Array.isArray(out.image));
  if ((tag || flags.platform) && imageIsMapping) {
    out.image = { ...out.image };
    if (tag) out.image.tag = tag;
    if (flags.platform) out.image.platform = flags.platform;
  }
  return { raw: out, regionSource };
}

const notMapping = (raw: unknown) =>
  `(top level): expected a mapping of settings, got ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`;

export function validateConfig(raw: unknown, file = "logship.yaml"): Config {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError([notMapping(raw)], file);
  }
  const result = configSchema.safeParse(raw, { reportInput: true, error: describeIssue });
  const problems = [...(result.success ? [] : formatIssues(configSchema, result.error.issues)), ...nulByteProblems(raw)];
  if (problems.length || !result.success) throw new ConfigError(problems, file);
  return result.data;
}

/** A config file as messages name it: relative to where logship runs, unless it lies elsewhere. */
function shown(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return !rel ? path.basename(file) : rel.startsWith("..") ? file : rel;
}

async function readMapping(file: string, cwd: string): Promise<unknown> {
  const display = shown(cwd, file);
  return parseConfigText(await readConfigText(file, display), file, display);
}

/** `--env NAME` or LOGSHIP_ENV=NAME: logship.NAME.yaml beside the config file. Messages name the source. */
async function readOverlay(file: string, name: string, source: "--env" | "LOGSHIP_ENV", cwd: string) {
  const given = source === "--env" ? `--env ${name}` : `LOGSHIP_ENV=${name}`;
  if (!ENV_NAME.test(name)) {
    throw new UserError(`${source}: ${JSON.stringify(name)} is not an environment name: use lower-case letters, digits and -`);
  }
  const overFile = overlayFile(file, name);
  if (!(await exists(overFile))) {
    throw new UserError(`${given}: ${shown(cwd, overFile)} does not exist`,
      `create it with the settings that differ in ${name}, or ${source === "--env" ? "drop --env" : "unset LOGSHIP_ENV"}`);
  }
  const raw = await readMapping(overFile, cwd);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError([notMapping(raw)], shown(cwd, overFile));
  return { env: name, file: overFile, raw };
}

/**
 * A region from --region or the environment is checked here, not by the schema, so a bad one is not
 * blamed on logship.yaml. A bad --region is a usage error; a bad AWS_REGION may be set for other tools
 * and blocks only a command that calls AWS (src/aws/clients.ts names the variable then).
 */
function checkRegionOverride(region: unknown, source: string | undefined): void {
  if (source === "--region" && typeof region === "string" && !AWS_REGION.test(region)) {
    throw new UserError(`--region: ${JSON.stringify(region)} is not an AWS region (e.g. us-east-1)`);
  }
}

export async function loadConfig(opts: {
  cwd: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Overrides;
  /** Environment overlay name (`--env staging`); LOGSHIP_ENV when absent. */
  envName?: string;
}): Promise<LoadedConfig> {
  const env = opts.env ?? process.env;
  const file = await findConfigFile(opts.cwd, opts.configPath);
  const display = shown(opts.cwd, file);
  let parsed = await readMapping(file, opts.cwd);
  const envName = opts.envName ?? env.LOGSHIP_ENV;
  const overlay = envName ? await readOverlay(file, envName, opts.envName ? "--env" : "LOGSHIP_ENV", opts.cwd) : undefined;
  if (overlay) parsed = deepMerge(parsed, overlay.raw);
  const isMapping = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  const { raw, regionSource } = isMapping
    ? applyOverrides(parsed as Record<string, any>, env, opts.overrides ?? {})
    : { raw: parsed, regionSource: undefined };
  const override = isMapping && regionSource !== "config file" ? (raw as Record<string, any>).region : undefined;
  checkRegionOverride(override, regionSource);
  // The schema sees the files' own region; the override is put back after validation.
  const checked = override === undefined ? raw : { ...(raw as object), region: (parsed as Record<string, any>).region };
  let config: Config;
  try {
    config = validateConfig(checked, overlay ? `${display} + ${shown(opts.cwd, overlay.file)}` : display);
  } catch (e) {
    if (!(e instanceof ConfigError) || !overlay) throw e;
    // Say which file set each bad value: the overlay, or the base file under it.
    const overName = path.basename(overlay.file);
    const problems = e.problems.map((line) => {
      const printed = line.slice(0, line.indexOf(": "));
      return overlaySets(overlay.raw, printed) ? `${line} (set in ${overName})` : line;
    });
    throw new ConfigError(problems, e.file);
  }
  if (override !== undefined) config.region = override;
  return { config, file, root: path.dirname(file), regionSource, overlay: overlay && { env: overlay.env, file: overlay.file } };
}
