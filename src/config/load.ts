// Finds and reads logship.yaml / logship.json, overlays environment and flags, then validates.
// Precedence: flags > environment > file > schema defaults (defaults are applied last, by zod).
import { readFile, access } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { configSchema, type Config } from "./schema.js";
import { describeIssue, formatIssues } from "./issues.js";
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

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
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

export function parseConfigText(text: string, file: string): unknown {
  const display = path.basename(file);
  if (file.endsWith(".json")) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new UserError(`${display}: not valid JSON: ${(e as Error).message}`);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true }) ?? {};
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const at = e.linePos?.[0];
      // The first line of the yaml message ends "at line L, column C:", which the prefix already says.
      const what = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
      throw new UserError(`${display}${at ? `:${at.line}:${at.col}` : ""}: not valid YAML: ${what}`);
    }
    throw e;
  }
}

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

export function validateConfig(raw: unknown, file = "logship.yaml"): Config {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError([`(top level): expected a mapping of settings, got ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`], file);
  }
  const result = configSchema.safeParse(raw, { reportInput: true, error: describeIssue });
  if (!result.success) throw new ConfigError(formatIssues(configSchema, result.error.issues), file);
  return result.data;
}

async function readMapping(file: string): Promise<unknown> {
  return parseConfigText(await readFile(file, "utf8"), file);
}

export async function loadConfig(opts: {
  cwd: string;
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Overrides;
  /** Environment overlay name (`--env staging`, or LOGSHIP_ENV). */
  envName?: string;
}): Promise<LoadedConfig> {
  const file = await findConfigFile(opts.cwd, opts.configPath);
  const display = path.relative(opts.cwd, file) || path.basename(file);
  let parsed = await readMapping(file);
  let overlay: { env: string; file: string; raw: unknown } | undefined;
  const envName = opts.envName ?? opts.env?.LOGSHIP_ENV;
  if (envName) {
    if (!ENV_NAME.test(envName)) {
      throw new UserError(`--env: ${JSON.stringify(envName)} is not an environment name: use lower-case letters, digits and -`);
    }
    const overFile = overlayFile(file, envName);
    if (!(await exists(overFile))) {
      throw new UserError(`--env ${envName}: ${path.relative(opts.cwd, overFile)} does not exist`, `create it with the settings that differ in ${envName}, or drop --env`);
    }
    const raw = await readMapping(overFile);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new ConfigError([`(top level): expected a mapping of settings, got ${Array.isArray(raw) ? "a list" : JSON.stringify(raw)}`], path.relative(opts.cwd, overFile));
    }
    overlay = { env: envName, file: overFile, raw };
    parsed = deepMerge(parsed, raw);
  }
  const isMapping = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  const { raw, regionSource } = isMapping
    ? applyOverrides(parsed as Record<string, any>, opts.env ?? process.env, opts.overrides ?? {})
    : { raw: parsed, regionSource: undefined };
  let config: Config;
  try {
    config = validateConfig(raw, overlay ? `${display} + ${path.relative(opts.cwd, overlay.file)}` : display);
  } catch (e) {
    if (!(e instanceof ConfigError) || !overlay) throw e;
    // Say which file set each bad value: the overlay, or the base file under it.
    const overName = path.basename(overlay.file);
    const problems = e.problems.map((line) => {
      const printed = line.slice(0, line.indexOf(": "));
      return overlaySets(overlay!.raw, printed) ? `${line} (set in ${overName})` : line;
    });
    throw new ConfigError(problems, e.file);
  }
  return { config, file, root: path.dirname(file), regionSource, overlay: overlay && { env: overlay.env, file: overlay.file } };
}
