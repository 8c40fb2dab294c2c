// Polls a function until Lambda has finished with it: State Active (or Inactive) after a create,
// LastUpdateStatus Successful after an update. The SDK's waitUntilFunctionActiveV2/UpdatedV2 do the same, but a
// loop of our own honours Ctrl-C between polls and reports progress (aws-apis.md §4.3, §4.4).
import { readFunctionConfiguration, type FunctionConfiguration } from "../../aws/lambda.js";
import { DeployError } from "../../errors.js";
import { sleep } from "../../util/retry.js";
import type { Context } from "../../steps/types.js";

export interface WaitOptions {
  /** A published version (or alias) rather than $LATEST. */
  qualifier?: string;
  timeoutMs?: number;
  /**
   * Before our own write: a Failed state left by an earlier run is settled, not an error — the
   * write about to happen is how the user fixes it. After our write, Failed is our failure.
   */
  failedIsSettled?: boolean;
}

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 15 * 60_000;

/**
 * Lambda is done with the function and takes the next write: "functions can only be updated if
 * they are in the Active or Inactive state" (an idle function goes Inactive and stays updatable),
 * and no update is InProgress. https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
 */
export const isSettled = (cfg: FunctionConfiguration) =>
  (cfg.State === "Active" || cfg.State === "Inactive") && (cfg.LastUpdateStatus === undefined || cfg.LastUpdateStatus === "Successful");

/** Returns the settled configuration (its RevisionId is the one to pass to the next write). */
export async function waitForFunction(ctx: Context, name: string, o: WaitOptions = {}): Promise<FunctionConfiguration> {
  const label = o.qualifier ? `${name}:${o.qualifier}` : name;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = Date.now();
  let delay = FIRST_DELAY_MS;
  while (true) {
    const cfg = await readFunctionConfiguration(ctx.aws, name, o.qualifier);
    if (o.failedIsSettled && (cfg.State === "Failed" || cfg.LastUpdateStatus === "Failed")) return cfg;
    if (cfg.State === "Failed") {
      throw new DeployError(
        `Lambda function ${label} failed: ${cfg.StateReason ?? "no reason given"}${cfg.StateReasonCode ? ` (${cfg.StateReasonCode})` : ""}`,
        hintFor(cfg.StateReasonCode),
      );
    }
    if (cfg.LastUpdateStatus === "Failed") {
      throw new DeployError(
        `update of Lambda function ${label} failed: ${cfg.LastUpdateStatusReason ?? "no reason given"}` +
          `${cfg.LastUpdateStatusReasonCode ? ` (${cfg.LastUpdateStatusReasonCode})` : ""}`,
        hintFor(cfg.LastUpdateStatusReasonCode),
      );
    }
    if (isSettled(cfg)) return cfg;
    const where = `State ${cfg.State ?? "?"}, LastUpdateStatus ${cfg.LastUpdateStatus ?? "?"}`;
    if (Date.now() - started + delay > timeoutMs) {
      throw new DeployError(
        `Lambda function ${label} did not settle within ${Math.round(timeoutMs / 60_000)} minutes (${where})`,
        "check the function in the Lambda console; re-running logship continues from where it stands",
      );
    }
    ctx.progress(`waiting: ${where}`);
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

function hintFor(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (/ImageAccessDenied|ImageDeleted/.test(code)) {
    return "Lambda cannot pull the image: check the ECR repository policy allows lambda.amazonaws.com, and that the image still exists";
  }
  if (/InvalidImage|ImageNotSupported|UnsupportedImage/i.test(code)) {
    return "rebuild a single-platform image: docker build --provenance=false --platform linux/amd64 (or linux/arm64)";
  }
  if (/Role/i.test(code)) return "check the execution role's trust policy (principal lambda.amazonaws.com)";
  return undefined;
}
