// `destroy apprunner`: delete the service and wait until it is gone; with --with-roles also the
// ECR access role, but only one logship created for this app (tagged logship:app).
import { appRunnerCalls, findService } from "../../aws/apprunner.js";
import { execute } from "../../aws/execute.js";
import { errName } from "../../util/err-name.js";
import { retryOn } from "../../util/retry.js";
import { deleteRoleStep } from "../../steps/iam-role.js";
import type { Step } from "../../steps/types.js";
import { deleteStep } from "../service/destroy.js";
import { isInvalidState, waitDeleted, waitSettled } from "./api.js";
import { ACCESS_ROLE_PURPOSE } from "./roles.js";
import { targetConfig } from "./spec.js";

export function deleteServiceStep(): Step {
  return deleteStep<string>({
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
    find: async (ctx) => (await findService(ctx.aws, targetConfig(ctx.config).service))?.arn,
    absent: "no service",
    async delete(ctx, arn) {
      const name = targetConfig(ctx.config).service;
      // A service busy with another operation refuses DeleteService (InvalidStateException): let it settle first.
      const settled = await waitSettled(ctx, arn, name);
      if (!settled || settled.Status === "DELETED") return;
      await retryOn(() => execute(ctx, appRunnerCalls.deleteService(arn), () => undefined), isInvalidState, {
        tries: 5, signal: ctx.signal,
        onRetry: (_e, n, ms) => ctx.progress(`waiting for App Runner to let ${name} be deleted: it is busy (retry ${n} of 4 in ${Math.round(ms / 1000)}s)`),
      })
        .catch((e) => {
          if (errName(e) !== "ResourceNotFoundException") throw e;
        });
    },
    waitGone: (ctx, arn) => waitDeleted(ctx, arn, targetConfig(ctx.config).service),
    deleted: (ctx) => `deleted ${targetConfig(ctx.config).service}`,
  });
}

export function deleteAccessRoleStep(): Step {
  return deleteRoleStep({
    id: "apprunner.delete-access-role",
    group: "apprunner",
    purpose: ACCESS_ROLE_PURPOSE,
    configured: (ctx) => targetConfig(ctx.config).accessRoleArn,
  });
}
