// The pipeline with fake steps: skip, run, fail, dry run, parallel groups, Ctrl-C.
import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { runGroups, runSteps, PipelineError } from "../../src/pipeline.js";
import { executePlan } from "../../src/commands/run.js";
import { writeResult } from "../../src/ui/result.js";
import { exitCodeOf, InterruptedError } from "../../src/errors.js";
import type { Context, PlannedAction, Step } from "../../src/steps/types.js";
import type { Io } from "../../src/commands/globals.js";
import { testContext } from "../helpers/context.js";

function step(id: string, over: Partial<Step> = {}): Step & { run: ReturnType<typeof vi.fn>; describe: ReturnType<typeof vi.fn> } {
  return {
    id,
    title: () => `Step ${id}`,
    describe: vi.fn((): PlannedAction[] => [{ kind: "docker", command: ["echo", id] }]),
    run: vi.fn(async () => `ran ${id}`),
    ...over,
  } as never;
}

const setup = (over: Partial<Context> = {}) => testContext({ app: "demo" }, over);

describe("runSteps", () => {
  it("runs steps in order and records done with the run's detail", async () => {
    const { ctx, stderr } = setup();
    const order: string[] = [];
    const a = step("a", { run: vi.fn(async () => void order.push("a")) });
    const b = step("b", { run: vi.fn(async () => (order.push("b"), "detail b")) });
    const results = await runSteps([a, b], ctx);
    expect(order).toEqual(["a", "b"]);
    expect(results.map(({ ms: _ms, ...r }) => r)).toEqual([
      { id: "a", title: "Step a", group: undefined, status: "done", detail: undefined },
      { id: "b", title: "Step b", group: undefined, status: "done", detail: "detail b" },
    ]);
    expect(stderr.text()).toContain("→ Step a\n");
    expect(stderr.text()).toContain("✔ Step b — detail b");
  });

  it("records an isDone reason as skipped, with its detail, and never runs the step", async () => {
    const { ctx, stderr } = setup();
    const s = step("s", { isDone: vi.fn(async () => "already exists") });
    const results = await runSteps([s], ctx);
    expect(results).toMatchObject([{ id: "s", status: "skipped", detail: "already exists" }]);
    expect(s.run).not.toHaveBeenCalled();
    expect(s.describe).not.toHaveBeenCalled();
    expect(stderr.text()).toContain("↷ Step s — already exists");
  });

  it("runs the step when isDone says false", async () => {
    const { ctx } = setup();
    const s = step("s", { isDone: vi.fn(async () => false as const) });
    expect(await runSteps([s], ctx)).toMatchObject([{ status: "done", detail: "ran s" }]);
    expect(s.run).toHaveBeenCalledTimes(1);
  });

  it("gives steps a progress function that reports under the step", async () => {
    const { ctx } = setup();
    const seen: string[] = [];
    ctx.reporter.progress = (e, line) => void seen.push(`${e.id}: ${line}`);
    await runSteps([step("p", { run: vi.fn(async (c: Context) => c.progress("layer 1/2")) })], ctx);
    expect(seen).toEqual(["p: layer 1/2"]);
  });

  it("stops at the first failure; the PipelineError carries the cause and the results so far", async () => {
    const { ctx, stderr } = setup();
    const boom = new Error("docker push failed: denied\nmore detail");
    const a = step("a");
    const b = step("b", { run: vi.fn(async () => { throw boom; }) });
    const c = step("c");
    const err = await runSteps([a, b, c], ctx).catch((e) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect(err.cause).toBe(boom);
    expect(err.message).toBe(boom.message);
    expect(err.results.map((r: { id: string; status: string; detail?: string }) => [r.id, r.status, r.detail])).toEqual([
      ["a", "done", "ran a"],
      ["b", "failed", "docker push failed: denied"],
    ]);
    expect(c.run).not.toHaveBeenCalled();
    expect(stderr.text()).toContain("✖ Step b — docker push failed: denied");
  });

  it("fails the step when isDone throws", async () => {
    const { ctx } = setup();
    const s = step("s", { isDone: vi.fn(async () => { throw new Error("cannot tell"); }) });
    const err = await runSteps([s], ctx).catch((e) => e);
    expect(err.results).toMatchObject([{ status: "failed", detail: "cannot tell" }]);
    expect(s.run).not.toHaveBeenCalled();
  });

  it("dry run: describes only, never calls isDone or run, results are planned with actions", async () => {
    const { ctx, stderr } = setup({ dryRun: true });
    const isDone = vi.fn(async () => "nope" as const);
    const a = step("a", { isDone, group: "lambda" });
    const b = step("b");
    const results = await runSteps([a, b], ctx);
    expect(results).toEqual([
      { id: "a", title: "Step a", group: "lambda", status: "planned", ms: 0, actions: [{ kind: "docker", command: ["echo", "a"] }] },
      { id: "b", title: "Step b", group: undefined, status: "planned", ms: 0, actions: [{ kind: "docker", command: ["echo", "b"] }] },
    ]);
    expect(isDone).not.toHaveBeenCalled();
    expect(a.run).not.toHaveBeenCalled();
    expect(b.run).not.toHaveBeenCalled();
    expect(a.describe).toHaveBeenCalledWith(ctx);
    expect(stderr.text()).toBe("");
  });

  it("an aborted signal stops before the next step with an InterruptedError (exit 130)", async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx } = setup({ signal: controller.signal });
    const a = step("a");
    const err = await runSteps([a], ctx).catch((e) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect(err.cause).toBeInstanceOf(InterruptedError);
    expect(err.cause.message).toBe("interrupted before: Step a");
    expect(exitCodeOf(err.cause)).toBe(130);
    expect(err.results).toEqual([]);
    expect(a.run).not.toHaveBeenCalled();
  });

  it("a step failing because of Ctrl-C becomes an InterruptedError, the step reported as interrupted", async () => {
    const controller = new AbortController();
    const { ctx } = setup({ signal: controller.signal });
    const a = step("a", { run: vi.fn(async () => { controller.abort(); throw new Error("execa: the operation was aborted"); }) });
    const b = step("b");
    const err = await runSteps([a, b], ctx).catch((e) => e);
    expect(err.cause).toBeInstanceOf(InterruptedError);
    expect(err.cause.message).toBe("interrupted during: Step a");
    expect(exitCodeOf(err.cause)).toBe(130);
    expect(err.results).toMatchObject([{ id: "a", status: "failed", detail: "interrupted" }]);
    expect(b.run).not.toHaveBeenCalled();
  });
});

describe("runGroups", () => {
  it("runs groups side by side (each step waits on a promise only the other group resolves)", { timeout: 2000 }, async () => {
    const { ctx } = setup();
    let releaseA!: () => void;
    let releaseB!: () => void;
    const aMayFinish = new Promise<void>((r) => (releaseA = r));
    const bMayFinish = new Promise<void>((r) => (releaseB = r));
    const a = step("a", { group: "lambda", run: vi.fn(async () => { releaseB(); await aMayFinish; return "a done"; }) });
    const b = step("b", { group: "apprunner", run: vi.fn(async () => { releaseA(); await bMayFinish; return "b done"; }) });
    const outcomes = await runGroups([{ group: "lambda", steps: [a] }, { group: "apprunner", steps: [b] }], ctx);
    expect(outcomes.map((o) => [o.group, o.error, o.results.map((r) => [r.id, r.status, r.detail])])).toEqual([
      ["lambda", undefined, [["a", "done", "a done"]]],
      ["apprunner", undefined, [["b", "done", "b done"]]],
    ]);
  });

  it("one group's failure does not stop the other; the outcome carries the unwrapped cause", async () => {
    const { ctx } = setup();
    const boom = new Error("lambda said no");
    const a1 = step("a1", { group: "lambda", run: vi.fn(async () => { throw boom; }) });
    const a2 = step("a2", { group: "lambda" });
    const b1 = step("b1", { group: "local" });
    const b2 = step("b2", { group: "local" });
    const outcomes = await runGroups([{ group: "lambda", steps: [a1, a2] }, { group: "local", steps: [b1, b2] }], ctx);
    expect(outcomes[0].error).toBe(boom);
    expect(outcomes[0].results.map((r) => [r.id, r.status])).toEqual([["a1", "failed"]]);
    expect(a2.run).not.toHaveBeenCalled();
    expect(outcomes[1].error).toBeUndefined();
    expect(outcomes[1].results.map((r) => [r.id, r.status])).toEqual([["b1", "done"], ["b2", "done"]]);
  });

  it("an aborted signal interrupts every group", async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx } = setup({ signal: controller.signal });
    const outcomes = await runGroups([{ group: "x", steps: [step("x")] }, { group: "y", steps: [step("y")] }], ctx);
    for (const o of outcomes) {
      expect(o.error).toBeInstanceOf(InterruptedError);
      expect(exitCodeOf(o.error)).toBe(130);
    }
  });
});

describe("executePlan", () => {
  function io(signal: AbortSignal): Io & { out: () => string } {
    const stdout = new PassThrough();
    let out = "";
    stdout.on("data", (d) => (out += d.toString()));
    return { stdout, stderr: new PassThrough(), env: { CI: "1" }, cwd: "/project", isTTY: false, signal, interactive: false, out: () => out };
  }

  it("Ctrl-C: throws the InterruptedError itself (exit 130), runs cleanups, and --json says so", async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx } = setup({ signal: controller.signal });
    const cleanup = vi.fn(async () => {});
    ctx.session.cleanup.push(cleanup);
    const s = step("s");
    const i = io(controller.signal);
    const err = await executePlan("push", ctx, { sequence: [s] }).then((r) => writeResult(r, true, i)).catch((e) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(exitCodeOf(err)).toBe(130);
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(s.run).not.toHaveBeenCalled();
    const doc = JSON.parse(i.out());
    expect(doc).toMatchObject({ command: "push", ok: false, dryRun: false, steps: [], error: { message: "interrupted before: Step s", exitCode: 130 } });
  });
});
