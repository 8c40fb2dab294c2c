// The step contract (DESIGN.md "Architecture"): small, idempotent, and able to describe itself,
// which is what makes --dry-run free.
import type { LoadedConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { Docker } from "../docker/runner.js";
import type { DockerEngine } from "../docker/engine.js";
import type { Reporter } from "../ui/reporter.js";
import type { AwsClients } from "../aws/clients.js";
import type { ImageSpec } from "../images.js";
import type { GitInfo } from "../util/git.js";
import type { TagRules } from "./ecr-tag-rules.js";
import type { CallRecord } from "../aws/call.js";

/** One command or API call a step would make, secrets already left out. */
export interface PlannedAction {
  kind: "docker" | "aws" | "http" | "check";
  /** docker argv (without the binary), or "Service.Operation", or "GET url". */
  command: string[] | string;
  input?: unknown;
  note?: string;
}

export interface RemoteImage {
  /** Repository URI without tag: 123.dkr.ecr.us-east-1.amazonaws.com/app or localhost:5000/app */
  repository: string;
  tag: string;
  /** sha256:… of the manifest in the registry. */
  digest: string;
  skipped?: boolean;
  /** The manifest's media type, when a look-up already told it (ECR's DescribeImages does). */
  mediaType?: string;
}

export interface ImageState {
  spec: ImageSpec;
  /** The tag computed by the tag policy. */
  tag?: string;
  /** Local references docker build tagged. */
  localRefs: string[];
  imageId?: string;
  /** The commit the local image was built from (its org.opencontainers.image.revision label). */
  revision?: string;
  architecture?: string;
  remote?: RemoteImage;
  /** ECR repository URI once ensured (before the push). */
  repositoryUri?: string;
  /** The ECR repository's tag mutability and exclusion filters, as read (or set) by the ensure step. */
  tagRules?: TagRules;
}

/**
 * What a target's steps record for the steps after them, the command's summary (the URL it prints)
 * and --json (`targets.<name>`): the fields every target shares.
 */
export interface TargetOutput {
  /** Where the app answers: printed by deploy, ship and rollback; LOGSHIP_URL for the hooks. */
  url?: string;
  /** The HTTP status the smoke test got. */
  status?: number;
  /** The service step's outcome ("updated (image) https://…"); App Runner and ECS. */
  detail?: string;
  /** Why the smoke test did not run (--no-smoke, smoke.enabled: false). */
  smokeSkipped?: string;
}

export type LocalOutput = TargetOutput;
export type AppRunnerOutput = TargetOutput;

export interface LambdaOutput extends TargetOutput {
  /** The function version the alias serves once the alias step ran. */
  version?: string;
}

export interface EcsOutput extends TargetOutput {
  /** The address inside its VPC: a service without a public one is not smoke-tested, and says where it answers. */
  privateUrl?: string;
  serviceArn?: string;
}

/**
 * ctx.targets: one entry per target that ran, typed by what its steps write. Code that knows its
 * target only as a string (a step's group, a hook's target) goes through src/steps/outputs.ts.
 */
export interface TargetOutputs {
  local?: LocalOutput;
  apprunner?: AppRunnerOutput;
  lambda?: LambdaOutput;
  ecs?: EcsOutput;
}

export interface Context {
  cwd: string;
  loaded: LoadedConfig;
  config: Config;
  dryRun: boolean;
  signal: AbortSignal;
  reporter: Reporter;
  docker: Docker;
  aws: AwsClients;
  env: NodeJS.ProcessEnv;
  buildkit?: boolean;
  /** What the Docker engine is (API version, image store), read once before the steps run. */
  engine?: DockerEngine;
  git?: GitInfo;
  images: Map<string, ImageState>;
  /** Per-run temporary docker config (ECR login lands here, never in the user's ~/.docker). */
  session: { dockerConfig?: string; ecrHost?: string; cleanup: (() => Promise<void>)[] };
  targets: TargetOutputs;
  /** Command flags steps may honour (recreate, yes, withRepository, withRoles, …). */
  options: Record<string, unknown>;
  /** Report a line of progress under the running step. */
  progress(line: string): void;
  /**
   * --dry-run reads live state: steps marked `dryRun: "live"` run their reads and decisions for real
   * and hand every write to the executor (src/aws/execute.ts), which sends none. Off, every step is
   * planned from describe() as before (src/plan/dry-run.ts).
   */
  liveDryRun?: boolean;
  /** The running step's writes, as the executor kept them (src/aws/execute.ts); set by the pipeline. */
  calls?: CallRecord[];
}

export interface Step {
  /** Stable id: "docker.build", "ecr.ensure-repository", "local.run". */
  id: string;
  /** Which target (or image) the step serves, shown as [group] and used in --json. */
  group?: string;
  title(ctx: Context): string;
  describe(ctx: Context): PlannedAction[];
  /** A reason the work is already done ("already exists"), or false to run it. */
  isDone?(ctx: Context): Promise<string | false>;
  /** Does the work; returns a short detail for the report ("sha256:ab12…"). */
  run(ctx: Context): Promise<string | void>;
  /**
   * How --dry-run treats the step. "live": isDone and run for real, every write through the executor
   * (so none is sent). "inert": planned from describe(), and nothing a later step reads depends on it
   * (the deploy lock, the smoke test). Absent: planned from describe(), and the steps after it are
   * planned too, since what they would read depends on what this one would have done.
   */
  dryRun?: "live" | "inert";
}
