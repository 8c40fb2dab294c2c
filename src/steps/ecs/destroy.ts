// `destroy ecs`: delete the Express service (ECS removes its load balancer, target groups, security
// groups and scaling with it: aws-apis.md §6.3) and wait until it is gone; with --with-roles also the
// two roles, but only ones logship created for this app (tagged logship:app).
import type { Context, Step } from "../types.js";
import { roleName } from "../iam-role.js";
import { errName, findService, waitGone } from "./api.js";
import { EXEC_ROLE_PURPOSE, INFRA_ROLE_PURPOSE, targetConfig } from "./spec.js";

export function deleteServiceStep(): Step {
  let arn: string | undefined;
  return {
    id: "ecs.delete-service",
    group: "ecs",
    title: (ctx) => `Delete ECS Express service ${targetConfig(ctx.config).service}`,
    describe: (ctx) => {
      const t = targetConfig(ctx.config);
      const serviceArn = `<ARN of service ${t.service}>`;
      return [
        { kind: "aws", command: "ECS.DescribeServices", input: { cluster: t.cluster, services: [t.service] }, note: "find the service" },
        { kind: "aws", command: "ECS.DeleteExpressGatewayService", input: { serviceArn }, note: "if it exists; also removes its load balancer, target groups and security groups" },
        { kind: "aws", command: "ECS.DescribeExpressGatewayService", input: { serviceArn }, note: "until INACTIVE or gone" },
      ];
    },
    async isDone(ctx) {
      const t = targetConfig(ctx.config);
      arn = (await findService(ctx, t.cluster, t.service))?.serviceArn;
      return arn ? false : "no service";
    },
    async run(ctx) {
      const { DeleteExpressGatewayServiceCommand } = await import("@aws-sdk/client-ecs");
      const name = targetConfig(ctx.config).service;
      try {
        await (await ctx.aws.ecs()).send(new DeleteExpressGatewayServiceCommand({ serviceArn: arn }));
      } catch (e) {
        // Already DRAINING (a delete in progress) or gone between the check and now: wait it out.
        if (!["ServiceNotActiveException", "ServiceNotFoundException", "ResourceNotFoundException"].includes(errName(e))) throw e;
      }
      await waitGone(ctx, arn!, name);
      return `deleted ${name}`;
    },
  };
}

export function deleteRoleStep(purpose: string, configured: (ctx: Context) => string | undefined): Step {
  const name = (ctx: Context) => roleName(ctx.config.app, purpose);
  return {
    id: `ecs.delete-role-${purpose}`,
    group: "ecs",
    title: (ctx) => `Delete IAM role ${name(ctx)}`,
    describe: (ctx) => [
      { kind: "aws", command: "IAM.GetRole", input: { RoleName: name(ctx) }, note: `only a role tagged logship:app=${ctx.config.app}` },
      { kind: "aws", command: "IAM.DetachRolePolicy", input: { RoleName: name(ctx), PolicyArn: "<each attached policy>" } },
      { kind: "aws", command: "IAM.DeleteRolePolicy", input: { RoleName: name(ctx), PolicyName: "<each inline policy>" } },
      { kind: "aws", command: "IAM.DeleteRole", input: { RoleName: name(ctx) } },
    ],
    async isDone(ctx) {
      if (configured(ctx)) return "the role comes from the config";
      const { GetRoleCommand } = await import("@aws-sdk/client-iam");
      try {
        const role = (await (await ctx.aws.iam()).send(new GetRoleCommand({ RoleName: name(ctx) }))).Role;
        const tagged = role?.Tags?.some((t) => t.Key === "logship:app" && t.Value === ctx.config.app);
        return tagged ? false : `role ${name(ctx)} was not created by logship for ${ctx.config.app}: left alone`;
      } catch (e) {
        if (errName(e) === "NoSuchEntityException") return "no role";
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

/** The service first (it uses the roles), then the roles when asked for. */
export function ecsDestroySteps(ctx: Context): Step[] {
  const roles = ctx.options.withRoles ? [
    deleteRoleStep(EXEC_ROLE_PURPOSE, (c) => targetConfig(c.config).executionRoleArn),
    deleteRoleStep(INFRA_ROLE_PURPOSE, (c) => targetConfig(c.config).infrastructureRoleArn),
  ] : [];
  return [deleteServiceStep(), ...roles];
}
