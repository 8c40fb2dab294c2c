// `destroy ecs`: delete the Express service (ECS removes its load balancer, target groups, security
// groups and scaling with it: aws-apis.md §6.3) and wait until it is gone; with --with-roles also the
// two roles, but only ones logship created for this app (tagged logship:app).
import { ecsCalls, isDraining, isNotFound } from "../../aws/ecs.js";
import { execute } from "../../aws/execute.js";
import type { Context, Step } from "../../steps/types.js";
import { deleteRoleStep } from "../../steps/iam-role.js";
import { deleteStep, destroyList } from "../service/destroy.js";
import { findService } from "./api.js";
import { waitGone } from "./wait.js";
import { EXEC_ROLE_PURPOSE, INFRA_ROLE_PURPOSE, targetConfig } from "./spec.js";

export function deleteServiceStep(): Step {
  return deleteStep<string>({
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
    async find(ctx) {
      const t = targetConfig(ctx.config);
      return (await findService(ctx, t.cluster, t.service))?.serviceArn;
    },
    absent: "no service",
    async delete(ctx, arn) {
      try {
        await execute(ctx, ecsCalls.deleteExpressService(arn), () => undefined);
      } catch (e) {
        // Already DRAINING (a delete in progress) or gone between the check and now, in any of the
        // ways Express says so (src/aws/ecs.ts, after Terraform's Delete): wait it out.
        if (!isNotFound(e) && !isDraining(e)) throw e;
      }
    },
    waitGone: (ctx, arn) => waitGone(ctx, arn, targetConfig(ctx.config).service),
    deleted: (ctx) => `deleted ${targetConfig(ctx.config).service}`,
  });
}

function deleteEcsRoleStep(purpose: string, configured: (ctx: Context) => string | undefined): Step {
  return deleteRoleStep({ id: `ecs.delete-role-${purpose}`, group: "ecs", purpose, configured });
}

/** The service first (it uses the roles), then the roles when asked for. */
export function ecsDestroySteps(ctx: Context): Step[] {
  return destroyList(ctx, [deleteServiceStep()], () => [
    deleteEcsRoleStep(EXEC_ROLE_PURPOSE, (c) => targetConfig(c.config).executionRoleArn),
    deleteEcsRoleStep(INFRA_ROLE_PURPOSE, (c) => targetConfig(c.config).infrastructureRoleArn),
  ]);
}
