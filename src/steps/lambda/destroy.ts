// `destroy lambda`: the URL, then the function (its versions, aliases and permissions go with it),
// and with --with-roles the execution role logship created for this app (never one it did not tag).
import { DeployError } from "../../errors.js";
import { roleName } from "../iam-role.js";
import { BASIC_EXECUTION_POLICY, EXEC_ROLE_PURPOSE, errName, getFunction, target } from "./shared.js";
import { getUrlConfig } from "./url.js";
import type { Context, Step } from "../types.js";

export function deleteUrlStep(): Step {
  return {
    id: "lambda.delete-url",
    group: "lambda",
    title: (ctx) => `Delete function URL of ${target(ctx).function}:${target(ctx).alias}`,
    describe: (ctx) => [{ kind: "aws", command: "Lambda.DeleteFunctionUrlConfig", input: { FunctionName: target(ctx).function, Qualifier: target(ctx).alias } }],
    async isDone(ctx) {
      return (await getUrlConfig(ctx)) ? false : "no function URL";
    },
    async run(ctx) {
      const { DeleteFunctionUrlConfigCommand } = await import("@aws-sdk/client-lambda");
      const { function: FunctionName, alias: Qualifier } = target(ctx);
      await (await ctx.aws.lambda()).send(new DeleteFunctionUrlConfigCommand({ FunctionName, Qualifier }))
        .catch((e) => { if (errName(e) !== "ResourceNotFoundException") throw e; });
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
      const fn = await getFunction(ctx, target(ctx).function);
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
      const { DeleteFunctionCommand } = await import("@aws-sdk/client-lambda");
      await (await ctx.aws.lambda()).send(new DeleteFunctionCommand({ FunctionName: target(ctx).function }))
        .catch((e) => { if (errName(e) !== "ResourceNotFoundException") throw e; });
      return "deleted (with its versions, aliases and URL permissions)";
    },
  };
}

/** Only the role logship made (named and tagged for this app); a roleArn from logship.yaml is the user's. */
export function deleteRoleStep(): Step {
  const name = (ctx: Context) => roleName(ctx.config.app, EXEC_ROLE_PURPOSE);
  return {
    id: "lambda.delete-role",
    group: "lambda",
    title: (ctx) => `Delete IAM role ${name(ctx)}`,
    describe: (ctx) => [
      { kind: "aws", command: "IAM.GetRole", input: { RoleName: name(ctx) }, note: "only a role tagged logship:app=" + ctx.config.app },
      { kind: "aws", command: "IAM.ListAttachedRolePolicies", input: { RoleName: name(ctx) } },
      { kind: "aws", command: "IAM.DetachRolePolicy", input: { RoleName: name(ctx), PolicyArn: BASIC_EXECUTION_POLICY }, note: "each attached policy" },
      { kind: "aws", command: "IAM.DeleteRole", input: { RoleName: name(ctx) } },
    ],
    async isDone(ctx) {
      const { GetRoleCommand } = await import("@aws-sdk/client-iam");
      try {
        const role = (await (await ctx.aws.iam()).send(new GetRoleCommand({ RoleName: name(ctx) }))).Role;
        const tagged = role?.Tags?.some((t) => t.Key === "logship:app" && t.Value === ctx.config.app);
        return tagged ? false : `${name(ctx)} was not created by logship for ${ctx.config.app}; left alone`;
      } catch (e) {
        if (errName(e) === "NoSuchEntityException") return "no such role";
        throw e;
      }
    },
    async run(ctx) {
      const sdk = await import("@aws-sdk/client-iam");
      const iam = await ctx.aws.iam();
      const RoleName = name(ctx);
      const attached = await iam.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName }));
      for (const p of attached.AttachedPolicies ?? []) {
        await iam.send(new sdk.DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn }));
      }
      await iam.send(new sdk.DeleteRoleCommand({ RoleName }));
      return "deleted";
    },
  };
}

export function lambdaDestroySteps(ctx: Context): Step[] {
  const steps = [deleteUrlStep(), deleteFunctionStep()];
  if (ctx.options.withRoles && !target(ctx).roleArn) steps.push(deleteRoleStep());
  return steps;
}
