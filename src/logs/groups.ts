// Which CloudWatch log group holds a target's application output. Read from AWS where AWS decides
// (App Runner's service id, a Lambda's custom log group, ECS's task definition), never guessed.
// Lambda's look-up lives with its target (src/targets/lambda/logs.ts).
import type { Context } from "../steps/types.js";
import { ecsLogGroup } from "../targets/ecs/logs.js";
import { apprunnerLogGroup } from "../targets/apprunner/logs.js";
import { notDeployed } from "./errors.js";
import { lambdaLogGroup } from "../targets/lambda/logs.js";

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
