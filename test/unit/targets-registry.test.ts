// The Target registry: `logs` and `doctor` dispatch through it, so a target that lost its log
// reader or its audit in a move would fail there only at run time. Pinned here instead.
import { describe, expect, it } from "vitest";
import { TARGET_NAMES } from "../../src/config/schema.js";
import { targetNamed, targetsAmong } from "../../src/targets/index.js";

describe("the Target registry", () => {
  it.each(TARGET_NAMES)("%s reads its logs one way: a CloudWatch log group or its own reader", (name) => {
    const t = targetNamed(name);
    expect([!!t.logGroup, !!t.readLogs]).toEqual(name === "local" ? [false, true] : [true, false]);
  });

  it("doctor audits Lambda's URL and App Runner's deployments, with the ids a failed audit reports", () => {
    expect(targetsAmong(TARGET_NAMES).flatMap(([name, t]) => (t.audit ? [[name, t.audit.id]] : []))).toEqual([
      ["lambda", "lambda.url"],
      ["apprunner", "apprunner"],
    ]);
  });

  it("only audits that can write take the deploy lock under doctor --fix: Lambda's URL fix, not App Runner's read-only check", () => {
    expect(targetsAmong(TARGET_NAMES).flatMap(([name, t]) => (t.audit?.fixes ? [name] : []))).toEqual(["lambda"]);
  });

  it("gives the named targets in the registry's order (doctor's audit order), whatever order they were named in", () => {
    expect(targetsAmong(["ecs", "apprunner", "lambda"]).map(([name]) => name)).toEqual(["lambda", "apprunner", "ecs"]);
  });
});
