// The Target contract: what each target (local, apprunner, lambda, ecs) gives a plan and the read
// commands. A leaf of types only, so a target's own files can name it without importing the registry
// of targets (src/targets/index.ts).
import type { Context, ImageState, Step } from "../steps/types.js";
import type { Release } from "../rollback/types.js";
import type { Finding } from "../doctor/finding.js";
import type { LogEvent } from "../logs/format.js";
import type { Since } from "../logs/since.js";

/** What `logship status` shows for one target; read back from where it runs (no local state). */
export interface TargetStatus {
  target: string;
  exists: boolean;
  /** The platform's own word: RUNNING, Active, running, … */
  state?: string;
  url?: string;
  /** Image reference it runs (repo@sha256:… for AWS targets, image id locally). */
  image?: string;
  /** ISO time of the last deployment, when the platform says. */
  updatedAt?: string;
  detail?: string;
}

/** What `logship logs` asks of a target that reads its own output (local: `docker logs`). */
export interface LogReadOptions {
  since: Since;
  follow?: boolean;
  /** --filter: text the events must contain. */
  filter?: string;
  onEvent: (e: LogEvent) => Promise<void> | void;
}

/** doctor's audit of what a target has deployed: read-only unless `fix` (--fix without --dry-run). */
export interface TargetAudit {
  /** The finding id doctor reports when the audit itself fails (no permission, throttled, …). */
  id: string;
  /** Can `fix` write? Then doctor --fix runs it under the target's deploy lock. */
  fixes?: boolean;
  run(ctx: Context, fix: boolean): Promise<Finding[]>;
}

export interface Target {
  /** Does the target run the image from a registry (so ship must push first)? */
  needsRegistry: boolean;
  deploySteps(ctx: Context, image: ImageState): Step[];
  destroySteps(ctx: Context): Step[];
  status(ctx: Context): Promise<TargetStatus>;
  /** The image deployed before the live one, as recorded on the resource (logship:previous-image). */
  previousImage?(ctx: Context): Promise<string | undefined>;
  /** Targets whose rollback is not "redeploy an earlier digest" (Lambda: move the alias). */
  releases?(ctx: Context): Promise<Release[]>;
  rollbackSteps?(ctx: Context, to?: string): Step[];
  /** The CloudWatch Logs group that holds the app's output, read back from AWS (never guessed). */
  logGroup?(ctx: Context): Promise<string>;
  /** A target whose output is not in CloudWatch reads and prints it itself; returns how many events. */
  readLogs?(ctx: Context, o: LogReadOptions): Promise<number>;
  audit?: TargetAudit;
}
