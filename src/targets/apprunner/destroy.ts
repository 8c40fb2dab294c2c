// `destroy apprunner`: delete the service and wait until it is gone; with --with-roles also the
// ECR access role, but only one logship created for this app (tagged logship:app).
import { deleteService, findService } from "../../aws/apprunner.js";
import { errName } from "../../util/err-name.js";
import { retryOn } from "../../util/retry.js";
import { deleteRoleStep } from "../../steps/iam-role.js";
import type { Step } from "../../steps/types.js";
import { isInvalidState, waitDeleted, waitSettled } from "./api.js";
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
      arn = (await findService(ctx.aws, targetConfig(ctx.config).service))?.arn;
      return arn ? false : "no service";
    },
    async run(ctx) {
      const name = targetConfig(ctx.config).service;
      const settled = await waitSettled(ctx, arn!, name);
      if (settled && settled.Status !== "DELETED") {
        await retryOn(() => deleteService(ctx.aws, arn!), isInvalidState, {
          tries: 5, signal: ctx.signal,
          onRetry: (_e, n, ms) => ctx.progress(`waiting for App Runner to let ${name} be deleted: it is busy (retry ${n} of 4 in ${Math.round(ms / 1000)}s)`),
        })
          .catch((e) => {
            if (errName(e) !== "ResourceNotFoundException") throw e;
          });
      }
      await waitDeleted(ctx, arn!, name);
      return `deleted ${name}`;
    },
  };
}

export function deleteAccessRoleStep(): Step {
  return deleteRoleStep({
    id: "apprunner.delete-access-role",
    group: "apprunner",
    purpose: ACCESS_ROLE_PURPOSE,
    configured: (ctx) => targetConfig(ctx.config).accessRoleArn,
  });
}
