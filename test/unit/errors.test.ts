// One base for every failure the user can act on: it carries the hint, so no reporter casts to find it.
import { describe, expect, it } from "vitest";
import { ConfigError, DeployError, EXIT, ExpectedError, exitCodeOf, hintOf, InterruptedError, isExpected, UserError } from "../../src/errors.js";

describe("ExpectedError", () => {
  it("is the base of UserError, ConfigError, DeployError and InterruptedError, each with its exit code", () => {
    const cases: [ExpectedError, number][] = [
      [new UserError("bad flag", "use --help"), EXIT.usage],
      [new ConfigError(["app: required"], "logship.yaml"), EXIT.usage],
      [new DeployError("AWS said no", "log in again"), EXIT.failure],
      [new InterruptedError(), EXIT.interrupted],
    ];
    for (const [err, code] of cases) {
      expect(err).toBeInstanceOf(ExpectedError);
      expect(isExpected(err)).toBe(true);
      expect(exitCodeOf(err)).toBe(code);
    }
  });

  it("carries the hint on the base type; anything else has none and is a bug (70)", () => {
    const errors: ExpectedError[] = [new UserError("a", "do x"), new DeployError("b", "do y", { cause: new Error("c") })];
    expect(errors.map((e) => e.hint)).toEqual(["do x", "do y"]);
    expect(hintOf(new DeployError("b", "do y"))).toBe("do y");
    expect(hintOf(new InterruptedError())).toBeUndefined();
    // A plain Error with a hint-shaped field is still a bug, not an expected failure.
    expect(hintOf(Object.assign(new Error("x"), { hint: "not ours" }))).toBeUndefined();
    expect(isExpected(new Error("x"))).toBe(false);
    expect(exitCodeOf(new Error("x"))).toBe(70);
  });
});
