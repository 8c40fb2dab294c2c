// One "targets.<name>: not configured" check and message (src/targets/config.ts), for commands and steps.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import { targetConfig } from "../../src/targets/config.js";
import { requireConfigured } from "../../src/targets/index.js";
import { UserError } from "../../src/errors.js";
import { testContext } from "../helpers/context.js";

describe("targetConfig", () => {
  const config = validateConfig({ app: "shop", region: "us-east-1", targets: { lambda: { function: "shop-fn" } } });

  it("returns the target's own block, typed by its name", () => {
    const lambda = targetConfig(config, "lambda", "/p/logship.yaml");
    // `function` exists only on the Lambda block: this line type-checks only because the type follows the name.
    expect(lambda.function).toBe("shop-fn");
  });

  it.each([
    ["ecs", "/p/logship.yaml", "targets.ecs: not configured in /p/logship.yaml", "add a targets.ecs block with at least `service:`"],
    ["apprunner", undefined, "targets.apprunner: not configured", "add a targets.apprunner block with at least `service:`"],
  ] as const)("a missing %s block is one exit-2 UserError naming the file and the key to add", (name, file, message, hint) => {
    const err = (() => {
      try {
        targetConfig(config, name, file);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(message);
    expect((err as UserError).hint).toBe(`${hint} (see the README's config reference), or name another target`);
  });

  it("requireConfigured (build, push, deploy, logs) says the same; local needs no block", () => {
    const { ctx } = testContext({ app: "shop", targets: { lambda: { function: "shop-fn" } } });
    expect(() => requireConfigured(ctx, ["local", "lambda"])).not.toThrow();
    expect(() => requireConfigured(ctx, ["ecs"])).toThrow("targets.ecs: not configured in /project/logship.yaml");
  });
});
