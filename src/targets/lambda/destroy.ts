// `destroy lambda`: the URL, then the function (its versions, aliases and permissions go with it),
// and with --with-roles the execution role logship created for this app (never one it did not tag).
import { getFunction, lambdaCalls } from "../../aws/lambda.js";
import { getFunctionUrlConfig, lambdaUrlCalls } from "../../aws/lambda-url.js";
import { execute } from "../../aws/execute.js";
import { DeployError } from "../../errors.js";
import { deleteRoleStep } from "../../steps/iam-role.js";
import { EXEC_ROLE_PURPOSE, target } from "./shared.js";
import type { Context, Step } from "../../steps/types.js";

export function deleteUrlStep(): Step {
  return {
    id: "lambda.delete-url",
    group: "lambda",
    title: (ctx) => `Delete function URL of ${target(ctx).function}:${target(ctx).alias}`,
    describe: (ctx) => [{ kind: "aws", command: "Lambda.DeleteFunctionUrlConfig", input: { FunctionName: target(ctx).function, Qualifier: target(ctx).alias } }],
    async isDone(ctx) {
      return (await getFunctionUrlConfig(ctx.aws, target(ctx).function, target(ctx).alias)) ? false : "no function URL";
    },
    async run(ctx) {
      // Gone already (a concurrent destroy) is as good as deleted.
      await execute(ctx, lambdaUrlCalls.deleteFunctionUrlConfig(target(ctx).function, target(ctx).alias), () => true);
      return "deleted";
    },
  };
}

export function deleteFunctionStep(): Step {
  return {
    id: "lambda.delete-function",
    group: "lambda",
    title: (ctx) => `Delete Lambda function ${target(ctx).function}`,
    describe: (ctx) => [
      { kind: "aws", command: "Lambda.GetFunction", input: { FunctionName: target(ctx).function } },
      { kind: "aws", command: "Lambda.DeleteFunction", input: { FunctionName: target(ctx).function } },
    ],
    async isDone(ctx) {
      const fn = await getFunction(ctx.aws, target(ctx).function);
      if (!fn) return "no such function";
      const owner = fn.Tags?.["logship:app"];
      if (owner && owner !== ctx.config.app) {
        throw new DeployError(
          `Lambda function ${target(ctx).function} belongs to logship app "${owner}", not "${ctx.config.app}"`,
          "check targets.lambda.function in logship.yaml; logship leaves another app's function alone",
        );
      }
      return false;
    },
    async run(ctx) {
      await execute(ctx, lambdaCalls.deleteFunction(target(ctx).function), () => true);
      return "deleted (with its versions, aliases and URL permissions)";
    },
  };
}

/** Only the role logship made (named and tagged for this app); a roleArn from logship.yaml is the user's. */
export function deleteExecRoleStep(): Step {
  return deleteRoleStep({
    id: "lambda.delete-role",
    group: "lambda",
    purpose: EXEC_ROLE_PURPOSE,
    configured: (ctx) => target(ctx).roleArn,
  });
}

export function lambdaDestroySteps(ctx: Context): Step[] {
  const steps = [deleteUrlStep(), deleteFunctionStep()];
  if (ctx.options.withRoles && !target(ctx).roleArn) steps.push(deleteExecRoleStep());
  return steps;
}
