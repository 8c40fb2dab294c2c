import { describe, expect, it } from "vitest";
import { createReporter, lineFor, PlainReporter } from "../../src/ui/reporter.js";
import { outputMode as reporterMode } from "../../src/ui/output.js";
import { formatPlan } from "../../src/ui/plan.js";
import { captureStream } from "../helpers/context.js";
import type { Io } from "../../src/commands/globals.js";

const io = (over: Partial<Io>): Io => ({
  stdout: captureStream().stream, stderr: captureStream().stream, env: {}, cwd: "/", isTTY: true,
  signal: new AbortController().signal, interactive: false, ...over,
});

describe("reporter", () => {
  it("picks spinners only for a terminal outside CI, plain lines otherwise, json with --json", () => {
    expect(reporterMode({}, io({}))).toBe("tty");
    expect(reporterMode({}, io({ isTTY: false }))).toBe("plain");
    expect(reporterMode({}, io({ env: { CI: "true" } }))).toBe("plain");
    expect(reporterMode({ progress: false }, io({}))).toBe("plain");
    expect(reporterMode({ json: true }, io({}))).toBe("json");
  });

  it("plain mode: one line per event on stderr, nothing on stdout, no colour codes when colour is off", () => {
    const out = captureStream();
    const err = captureStream();
    const r = new PlainReporter({ stdout: out.stream, stderr: err.stream, mode: "plain", color: false });
    r.stepStart({ id: "docker.build", title: "Build app:1" });
    r.stepEnd({ id: "docker.build", title: "Build app:1", status: "done", detail: "image abc", ms: 1234 });
    r.warn("careful");
    expect(err.text()).toBe("→ Build app:1\n✔ Build app:1 — image abc (1.2s)\nwarning: careful\n");
    expect(out.text()).toBe("");
  });

  it("json mode keeps stdout for the final document and stderr free of step starts", () => {
    const out = captureStream();
    const err = captureStream();
    const r = new PlainReporter({ stdout: out.stream, stderr: err.stream, mode: "json", color: false });
    r.stepStart({ id: "x", title: "X" });
    r.stepEnd({ id: "x", title: "X", status: "skipped", detail: "up to date", ms: 5, group: "lambda" });
    expect(out.text()).toBe("");
    expect(err.text()).toBe("↷ [lambda] X — up to date (0.0s)\n");
  });

  it("tty mode draws a spinner, then leaves one finished line per step", async () => {
    const out = captureStream();
    const err = captureStream();
    const r = await createReporter({ stdout: out.stream, stderr: err.stream, mode: "tty", color: false });
    r.stepStart({ id: "a", title: "Push app" });
    r.stepEnd({ id: "a", title: "Push app", status: "failed", detail: "denied", ms: 10 });
    r.close();
    expect(err.text()).toContain("Push app");
    expect(err.text()).toContain("✖ Push app — denied (0.0s)\n");
  });

  it("colours only when asked", () => {
    expect(lineFor({ id: "a", title: "T", status: "done", ms: 0 }, true)).toContain("\u001b[32m");
    expect(lineFor({ id: "a", title: "T", status: "done", ms: 0 }, false)).not.toContain("\u001b[");
  });

  it("the dry-run plan lists docker argv (quoted when needed), AWS calls with input, and notes", () => {
    const text = formatPlan("push", [
      { id: "a", title: "Push", status: "planned", ms: 0, actions: [{ kind: "docker", command: ["push", "host/app:1 x"], note: "n" }] },
      { id: "b", title: "Repo", status: "planned", ms: 0, group: "lambda", actions: [{ kind: "aws", command: "ECR.CreateRepository", input: { repositoryName: "r" } }] },
    ]);
    expect(text).toBe(
      "Dry run of `logship push`: nothing was run. The plan:\n1. Push\n   $ docker push 'host/app:1 x'\n     (n)\n" +
        '2. [lambda] Repo\n   aws ECR.CreateRepository {"repositoryName":"r"}\n',
    );
  });
});
