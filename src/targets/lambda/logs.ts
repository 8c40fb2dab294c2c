// Which CloudWatch log group holds the Lambda function's output: read from AWS, never guessed.
import type { Context } from "../../steps/types.js";
import { notDeployed } from "../../logs/errors.js";
import { errName } from "../../util/err-name.js";
import { getFunctionConfiguration } from "../../aws/lambda.js";

/**
 * `/aws/lambda/<function>` unless the function logs elsewhere (LoggingConfig.LogGroup, Lambda's
 * advanced logging controls). Without lambda:GetFunctionConfiguration, fall back to the default.
 */
export async function lambdaLogGroup(ctx: Context): Promise<string> {
  const fn = ctx.config.targets.lambda!.function;
  const fallback = `/aws/lambda/${fn}`;
  try {
    const cfg = await getFunctionConfiguration(ctx.aws, fn, { signal: ctx.signal });
    if (!cfg) throw notDeployed("lambda", `no Lambda function ${fn}`);
    return cfg.LoggingConfig?.LogGroup || fallback;
  } catch (e) {
    if (/AccessDenied/.test(errName(e))) return fallback;
    throw e;
  }
}
