// Smoke-test the function URL with an unsigned GET. An AWS_IAM URL needs SigV4-signed requests,
// so it is skipped with a reason rather than reported as a failure; so is every URL with --no-smoke.
import { DeployError } from "../../errors.js";
import { smokeDetail, smokeExpectation, smokeGet, switchableSmoke } from "../../steps/smoke-http.js";
import { target } from "./shared.js";
import type { Context, Step } from "../../steps/types.js";

export const smokeUrl = (base: string, path: string) => `${base.endsWith("/") ? base : `${base}/`}${path.replace(/^\/+/, "")}`;

export function lambdaSmokeStep(fetchImpl?: typeof fetch): Step {
  const url = (ctx: Context) => smokeUrl(String(ctx.targets.lambda?.url ?? "<function URL>"), ctx.config.smoke.path);
  return switchableSmoke({
    id: "lambda.smoke-test",
    group: "lambda",
    // A dry run sends no request, not even a GET: the smoke test stays planned.
    dryRun: "inert",
    title: (ctx) => `Smoke test ${url(ctx)}`,
    describe: (ctx) => [target(ctx).url.public
      ? { kind: "http", command: `GET ${url(ctx)}`, note: smokeExpectation(ctx) }
      : { kind: "check", command: "smoke test skipped", note: "the URL needs SigV4 (AuthType AWS_IAM)" }],
    async isDone(ctx) {
      if (!target(ctx).url.public) return "URL needs SigV4; set url.public: true to smoke-test";
      return ctx.targets.lambda?.url ? false : "no function URL to test";
    },
    async run(ctx) {
      const answer = await smokeGet(ctx, url(ctx), { fetch: fetchImpl }).catch((e) => {
        if (e instanceof DeployError && !e.hint) {
          throw new DeployError(e.message, `see the function's logs: \`logship logs lambda\` or CloudWatch log group /aws/lambda/${ctx.config.targets.lambda?.function}`);
        }
        throw e;
      });
      ctx.targets.lambda = { ...ctx.targets.lambda, status: answer.status };
      return smokeDetail(answer);
    },
  });
}
