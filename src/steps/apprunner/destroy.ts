// `destroy apprunner`: delete the service and wait until it is gone; with --with-roles also the
// ECR access role, but only one logship created for this app (tagged logship:app).
import { retryOn } from "../../util/retry.js";
import { roleName } from "../iam-role.js";
import type { Context, Step } from "../types.js";
import { findService, isInvalidState, waitDeleted, waitSettled } from "./api.js";
import { ACCESS_ROLE_PURPOSE } from "./deploy.js";
import { targetConfig } from "./spec.js";

export function deleteServiceStep(): Step {
  let arn: string | undefined;
  return {
    id: "apprunner.delete-service",
    group: "apprunner",
    title: (ctx) => `Delete App Runner service ${targetConfig(ctx.config).service}`,
    describe: (ctx) => {
      const name = targetConfig(ctx.config).service;
      return [
        { kind: "aws", command: "AppRunner.ListServices", input: { MaxResults: 20 }, note: `find ${name}, every page` },
        { kind: "aws", command: "AppRunner.DeleteService", input: { ServiceArn: `<ARN of service ${name}>` }, note: "if it exists" },
        { kind: "aws", command: "AppRunner.DescribeService", input: { ServiceArn: `<ARN of service ${name}>` }, note: "until DELETED" },
      ];
    },
    async isDone(ctx) {
      arn = (await findService(ctx, targetConfig(ctx.config).service))?.arn;
      return arn ? false : "no service";
    },
    async run(ctx) {
      const { DeleteServiceCommand } = await import("@aws-sdk/client-apprunner");
      const client = await ctx.aws.apprunner();
      const name = targetConfig(ctx.config).service;
      const settled = await waitSettled(ctx, arn!, name);
      if (settled && settled.Status !== "DELETED") {
        await retryOn(() => client.send(new DeleteServiceCommand({ ServiceArn: arn })), isInvalidState, { tries: 5, signal: ctx.signal })
          .catch((e) => {
            if ((e as Error).name !== "ResourceNotFoundException") throw e;
          });
      }
      await waitDeleted(ctx, arn!, name);
      return `deleted ${name}`;
    },
  };
}

export function deleteAccessRoleStep(): Step {
  const name = (ctx: Context) => roleName(ctx.config.app, ACCESS_ROLE_PURPOSE);
  return {
    id: "apprunner.delete-access-role",
    group: "apprunner",
    title: (ctx) => `Delete IAM role ${name(ctx)}`,
    describe: (ctx) => [
      { kind: "aws", command: "IAM.GetRole", input: { RoleName: name(ctx) }, note: `only a role tagged logship:app=${ctx.config.app}` },
      { kind: "aws", command: "IAM.DetachRolePolicy", input: { RoleName: name(ctx), PolicyArn: "<each attached policy>" } },
      { kind: "aws", command: "IAM.DeleteRolePolicy", input: { RoleName: name(ctx), PolicyName: "<each inline policy>" } },
      { kind: "aws", command: "IAM.DeleteRole", input: { RoleName: name(ctx) } },
    ],
    async isDone(ctx) {
      if (targetConfig(ctx.config).accessRoleArn) return "the access role comes from the config";
      const { GetRoleCommand } = await import("@aws-sdk/client-iam");
      try {
        const role = (await (await ctx.aws.iam()).send(new GetRoleCommand({ RoleName: name(ctx) }))).Role;
        const tagged = role?.Tags?.some((t) => t.Key === "logship:app" && t.Value === ctx.config.app);
        return tagged ? false : `role ${name(ctx)} was not created by logship for ${ctx.config.app}: left alone`;
      } catch (e) {
        if ((e as Error).name === "NoSuchEntityException") return "no role";
        throw e;
      }
    },
    async run(ctx) {
      const sdk = await import("@aws-sdk/client-iam");
      const iam = await ctx.aws.iam();
      const RoleName = name(ctx);
      let Marker: string | undefined;
      do {
        const out = await iam.send(new sdk.ListAttachedRolePoliciesCommand({ RoleName, Marker }));
        for (const p of out.AttachedPolicies ?? []) await iam.send(new sdk.DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn }));
        Marker = out.IsTruncated ? out.Marker : undefined;
      } while (Marker);
      const inline = await iam.send(new sdk.ListRolePoliciesCommand({ RoleName }));
      for (const PolicyName of inline.PolicyNames ?? []) await iam.send(new sdk.DeleteRolePolicyCommand({ RoleName, PolicyName }));
      await iam.send(new sdk.DeleteRoleCommand({ RoleName }));
      return `deleted ${RoleName}`;
    },
  };
}
