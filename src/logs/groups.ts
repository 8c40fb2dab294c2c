// Which CloudWatch log group holds a target's application output. Read from AWS where AWS decides
// (App Runner's service id, a Lambda's custom log group, ECS's task definition), never guessed.
import type { Context } from "../steps/types.js";
import { ecsLogGroup } from "./ecs-group.js";
import { notDeployed } from "./errors.js";
import { errName } from "../util/err-name.js";
import { getFunctionConfiguration } from "../aws/lambda.js";
import { findService } from "../aws/apprunner.js";

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

/** `/aws/apprunner/<service-name>/<service-id>/application`; the id comes from the one service look-up. */
export async function apprunnerLogGroup(ctx: Context): Promise<string> {
  const name = ctx.config.targets.apprunner!.service;
  const found = await findService(ctx.aws, name, ctx.signal);
  if (!found?.id) throw notDeployed("apprunner", `no App Runner service ${name}`);
  return `/aws/apprunner/${name}/${found.id}/application`;
}

export type LogsTarget = "lambda" | "apprunner" | "ecs";

export function logGroupFor(ctx: Context, target: LogsTarget): Promise<string> {
  switch (target) {
    case "lambda":
      return lambdaLogGroup(ctx);
    case "apprunner":
      return apprunnerLogGroup(ctx);
    case "ecs":
      return ecsLogGroup(ctx);
  }
}
