// ctx.targets is typed per target (issue 11 point 6). The @ts-expect-error lines are the test that
// `npm run typecheck` runs: each fails to compile as soon as the bag takes any key or value again.
import { describe, expect, it } from "vitest";
import { outputOf, recordOutput } from "../../src/steps/outputs.js";
import { testContext } from "../helpers/context.js";

describe("ctx.targets", () => {
  it("takes each target's own fields, and no other target or field", () => {
    const { ctx } = testContext({ app: "demo" });
    ctx.targets.lambda = { url: "https://fn.lambda-url.us-east-1.on.aws/", version: "3" };
    ctx.targets.ecs = { url: "https://svc.ecs.us-east-1.on.aws", privateUrl: "http://10.0.0.1", serviceArn: "arn:aws:ecs:…" };
    // @ts-expect-error: no target is called lambada
    ctx.targets.lambada = { url: "https://x" };
    // @ts-expect-error: a Lambda version is the string Lambda answers ("3"), not a number
    ctx.targets.lambda = { version: 3 };
    // @ts-expect-error: only ECS records a private URL
    ctx.targets.apprunner = { privateUrl: "http://10.0.0.1" };
    expect(ctx.targets.lambda).toEqual({ version: 3 });
  });

  it("by name (a step's group): adds fields and keeps what the target recorded", () => {
    const { ctx } = testContext({ app: "demo" });
    ctx.targets.lambda = { url: "https://fn.lambda-url.us-east-1.on.aws/", version: "3" };
    recordOutput(ctx, "lambda", { smokeSkipped: "--no-smoke" });
    expect(outputOf(ctx, "lambda")).toEqual({ url: "https://fn.lambda-url.us-east-1.on.aws/", version: "3", smokeSkipped: "--no-smoke" });
    expect(outputOf(ctx, "ecs")).toBeUndefined();
  });
});
