// What every Lambda step shares: the target's settings, the desired function configuration, and
// the comparisons that make a deploy converge (deploy by digest; "nothing changed" is a diff).
// aws-apis.md §4. Lambda itself is called through src/aws/lambda.ts.
import type { FunctionConfiguration, GetFunctionCommandOutput } from "../../aws/lambda.js";
import type { Config } from "../../config/schema.js";
import { DeployError, UserError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { remoteRepository } from "../../steps/push.js";
import type { Context, ImageState } from "../../steps/types.js";
import { targetEnv } from "../../config/env.js";
import { targetConfig } from "../config.js";

export type LambdaTarget = NonNullable<Config["targets"]["lambda"]>;

/** Shared by one deploy's steps: the execution role the function uses. */
export interface LambdaRun {
  roleArn?: string;
  /** True when this run created the role, so CreateFunction may meet IAM propagation delay. */
  roleCreated: boolean;
  /** $LATEST as the function step left it, so the alias step need not read it again. */
  latest?: FunctionConfiguration;
}

export const EXEC_ROLE_PURPOSE = "lambda-exec";
/** The execution role's AWS managed policy, as a path: its ARN is built in the role's partition (src/steps/managed-role.ts). */
export const BASIC_EXECUTION_POLICY = "service-role/AWSLambdaBasicExecutionRole";
/** Statement ids of the two permissions a public URL needs since October 2025 (aws-apis.md §4.5). */
export const PUBLIC_URL_SID = "logship-public-url";
export const PUBLIC_INVOKE_SID = "logship-public-url-invoke";

export function target(ctx: Context): LambdaTarget {
  return targetConfig(ctx.config, "lambda", ctx.loaded.file);
}

export const errMessage = (e: unknown): string => String((e as { message?: string } | undefined)?.message ?? e);

/** Lambda's word for the architecture docker reports (amd64 → x86_64). */
export function lambdaArch(dockerArch: string | undefined): string | undefined {
  if (dockerArch === "amd64") return "x86_64";
  if (dockerArch === "arm64") return "arm64";
  return dockerArch;
}

export const shortDigest = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12);

export function digestOf(uri: string | undefined): string | undefined {
  return uri ? /@(sha256:[a-f0-9]{64})$/.exec(uri)?.[1] : undefined;
}

/** repo@sha256:… once pushed; a placeholder in a dry run. */
export function imageUri(image: ImageState): string {
  if (image.remote) return `${image.remote.repository}@${image.remote.digest}`;
  return `${remoteRepository(image)}@<digest after push>`;
}

export function requireRemote(image: ImageState): { uri: string; digest: string } {
  if (!image.remote) {
    throw new DeployError(`image ${image.localRefs[0]} has not been pushed`, "run `logship push` first, or `logship ship lambda`");
  }
  return { uri: imageUri(image), digest: image.remote.digest };
}

/** Keys Lambda sets itself and refuses in Environment.Variables (InvalidParameterValueException).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime */
export const RESERVED_ENV = new Set([
  "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
]);

/** ctx.config.env, then the target's env; Lambda wants strings. A reserved key in the shared env
 * (AWS_REGION for local runs, say) is left out; in targets.lambda.env it is a config error. */
export function functionEnv(ctx: Context): Record<string, string> {
  const own = target(ctx).env;
  const bad = Object.keys(own).find((k) => RESERVED_ENV.has(k));
  if (bad) throw new UserError(`targets.lambda.env.${bad}: is reserved by Lambda, which sets it itself`, "remove it from targets.lambda.env");
  return Object.fromEntries(Object.entries(targetEnv(ctx.config, "lambda")).filter(([k]) => !RESERVED_ENV.has(k)));
}

export function roleArnFor(ctx: Context, run: LambdaRun): string {
  return target(ctx).roleArn ?? run.roleArn ?? `arn:aws:iam::<account>:role/logship-${ctx.config.app}-${EXEC_ROLE_PURPOSE}`;
}

export interface ImageConfigWanted {
  EntryPoint?: string[];
  Command?: string[];
  WorkingDirectory?: string;
}

export function imageConfig(t: LambdaTarget): ImageConfigWanted {
  const c: ImageConfigWanted = {};
  if (t.entrypoint) c.EntryPoint = t.entrypoint;
  if (t.command) c.Command = t.command;
  if (t.workdir) c.WorkingDirectory = t.workdir;
  return c;
}

/** The settings UpdateFunctionConfiguration owns (CreateFunction sends the same). */
export function desiredConfig(ctx: Context, run: LambdaRun) {
  const t = target(ctx);
  return {
    Role: roleArnFor(ctx, run),
    MemorySize: t.memory,
    Timeout: t.timeout,
    EphemeralStorage: { Size: t.ephemeralStorage },
    Environment: { Variables: functionEnv(ctx) },
    ImageConfig: imageConfig(t),
  };
}
export type DesiredConfig = ReturnType<typeof desiredConfig>;

/** An image config as a comparable value: an empty list or string means the same as none at all.
 * Lambda answers `ImageConfig: {EntryPoint: [], Command: []}` for a function that sets neither
 * (https://docs.aws.amazon.com/lambda/latest/api/API_ImageConfig.html: each is optional). */
const clean = (o: object | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) =>
  v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0)));
const same = (a: unknown, b: unknown) => stable(a) === stable(b);
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${k}:${stable((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

/** Names of the settings where the function differs from what logship.yaml wants. */
export function configDrift(cfg: FunctionConfiguration, want: DesiredConfig): string[] {
  const out: string[] = [];
  if (cfg.Role !== want.Role) out.push("role");
  if (cfg.MemorySize !== want.MemorySize) out.push("memory");
  if (cfg.Timeout !== want.Timeout) out.push("timeout");
  if ((cfg.EphemeralStorage?.Size ?? 512) !== want.EphemeralStorage.Size) out.push("ephemeralStorage");
  if (!same(cfg.Environment?.Variables ?? {}, want.Environment.Variables)) out.push("env");
  if (!same(clean(cfg.ImageConfigResponse?.ImageConfig), clean(want.ImageConfig))) out.push("image config");
  return out;
}

/** Why the code differs: another digest, or another architecture. */
export function codeDrift(fn: GetFunctionCommandOutput, digest: string, arch: string): string[] {
  const out: string[] = [];
  const running = digestOf(fn.Code?.ResolvedImageUri) ?? digestOf(fn.Code?.ImageUri);
  if (running !== digest) out.push(`image ${running ? shortDigest(running) : "?"} → ${shortDigest(digest)}`);
  if ((fn.Configuration?.Architectures?.[0] ?? "x86_64") !== arch) out.push(`architecture → ${arch}`);
  return out;
}

/** What a published version is made of, to tell whether the alias already serves this deploy. */
export function fingerprint(cfg: FunctionConfiguration): string {
  return stable({
    code: cfg.CodeSha256,
    arch: cfg.Architectures ?? ["x86_64"],
    role: cfg.Role,
    memory: cfg.MemorySize,
    timeout: cfg.Timeout,
    storage: cfg.EphemeralStorage?.Size ?? 512,
    env: cfg.Environment?.Variables ?? {},
    image: clean(cfg.ImageConfigResponse?.ImageConfig),
  });
}

/** "An update is in progress": Lambda allows one update at a time (aws-apis.md §4.4). */
export const isUpdateInProgress = (e: unknown) =>
  errName(e) === "ResourceConflictException" && /in progress/i.test(errMessage(e));
