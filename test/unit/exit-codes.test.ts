// The exit code a --json document reports is the one the process exits with, also after SIGTERM/SIGHUP.
import { describe, expect, it } from "vitest";
import { DeployError, exitCodeAfter, InterruptedError, signalExitCode } from "../../src/errors.js";

const stoppedBy = (reason?: string) => {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
};

describe("exitCodeAfter", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
    ["SIGINT", 130],
  ])("an interruption by %s is %i", (reason, code) => {
    expect(exitCodeAfter(new InterruptedError(), stoppedBy(reason))).toBe(code);
  });

  it("an interruption with no signal named (Ctrl-C in a test, an abort) stays 130; other failures keep theirs", () => {
    expect(exitCodeAfter(new InterruptedError(), stoppedBy())).toBe(130);
    expect(exitCodeAfter(new InterruptedError(), new AbortController().signal)).toBe(130);
    expect(exitCodeAfter(new DeployError("boom"), undefined)).toBe(1);
    expect(exitCodeAfter(new Error("bug"), undefined)).toBe(70);
  });

  it("any failure of a run a SIGTERM stopped (say docker push killed under it) exits 143; success stays 0", () => {
    expect(exitCodeAfter(new DeployError("docker push failed: signal: terminated"), stoppedBy("SIGTERM"))).toBe(143);
    expect(signalExitCode(0, stoppedBy("SIGTERM"))).toBe(0);
  });
});
