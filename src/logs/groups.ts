// Which CloudWatch log group holds a target's application output. Read from AWS where AWS decides
// (App Runner's service id, a Lambda's custom log group, ECS's task definition), never guessed.
import type { Context } from "../steps/types.js";
import { ecsLogGroup } from "./ecs-group.js";
import { notDeployed } from "./errors.js";
import { errName } from "../util/err-name.js";


/**
 * `/aws/lambda/<function>` unless the function logs elsewhere (LoggingConfig.LogGroup, Lambda's
 * advanced logging controls). Without lambda:GetFunctionConfiguration, fall back to the default.
 */
export async function lambdaLogGroup(ctx: Context): Promise<string> {
  const fn = ctx.config.targets.lambda!.function;
  const fallback = `/aws/lambda/${fn}`;
  const { GetFunctionConfigurationCommand } = await import("@aws-sdk/client-lambda");
  try {
    const out = await (await ctx.aws.lambda()).send(new GetFunctionConfigurationCommand({ FunctionName: fn }), { abortSignal: ctx.signal });
    return out.LoggingConfig?.LogGroup || fallback;
  } catch (e) {
    if (errName(e) === "ResourceNotFoundException") throw notDeployed("lambda", `no Lambda function ${fn}`);
    if (/AccessDenied/.test(errName(e))) return fallback;
    throw e;
  }
}

/** `/aws/apprunner/<service-name>/<service-id>/application`; the id comes from ListServices. */
export async function apprunnerLogGroup(ctx: Context): Promise<string> {
  const name = ctx.config.targets.apprunner!.service;
  const { ListServicesCommand } = await import("@aws-sdk/client-apprunner");
  const client = await ctx.aws.apprunner();
  let NextToken: string | undefined;
  do {
    const out = await client.send(new ListServicesCommand({ NextToken, MaxResults: 20 }), { abortSignal: ctx.signal });
    const hit = (out.ServiceSummaryList ?? []).find((s) => s.ServiceName === name && s.Status !== "DELETED" && s.ServiceId);
    if (hit) return `/aws/apprunner/${name}/${hit.ServiceId}/application`;
    NextToken = out.NextToken;
  } while (NextToken);
  throw notDeployed("apprunner", `no App Runner service ${name}`);
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
