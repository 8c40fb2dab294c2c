import { chmod, mkdir, mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { hookSteps } from "../../src/steps/hook.js";
import { runSteps, PipelineError } from "../../src/pipeline.js";
import { exitCodeOf } from "../../src/errors.js";
import type { Step } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";

async function project(hooks: Record<string, string>) {
  const root = await mkdtemp(path.join(os.tmpdir(), "logship-hooks-"));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  await mkdir(path.join(root, ".logship", "hooks"), { recursive: true });
  for (const [name, body] of Object.entries(hooks)) {
    const file = path.join(root, ".logship", "hooks", name);
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
  }
  return root;
}

function contextAt(root: string, options: Record<string, unknown> = {}) {
  const t = testContext({ app: "demo", targets: { local: {} } });
  t.ctx.loaded = { ...t.ctx.loaded, root, file: path.join(root, "logship.yaml") };
  t.ctx.cwd = root;
  t.ctx.options = options;
  t.ctx.images.set("app", {
    spec: { key: "app", targets: ["local"] } as never,
    tag: "1.0.0",
    localRefs: ["demo:1.0.0"],
    imageId: "sha256:abc",
    remote: { repository: "localhost:5000/demo", tag: "1.0.0", digest: "sha256:def" },
  });
  t.ctx.targets.local = { url: "http://127.0.0.1:8000/" };
  return t;
}

const marker = (log: string[], name: string): Step => ({
  id: name, title: () => name, describe: () => [], run: async () => void log.push(name),
});

describe("project hooks", () => {
  it("runs hooks in pipeline order with the run's context in LOGSHIP_* variables", async () => {
    const root = await project({
      "pre-deploy": 'echo "pre $LOGSHIP_TARGET $LOGSHIP_IMAGE $LOGSHIP_IMAGE_DIGEST" >> "$0.log"',
      "post-deploy": 'echo "post $LOGSHIP_URL $LOGSHIP_APP $LOGSHIP_TAG" >> "$(dirname "$0")/pre-deploy.log"',
    });
    const { ctx } = contextAt(root);
    const log: string[] = [];
    const steps = [...hookSteps(ctx, "pre-deploy", "local"), marker(log, "deploy"), ...hookSteps(ctx, "post-deploy", "local")];
    const results = await runSteps(steps, ctx);
    expect(results.map((r) => r.id)).toEqual(["hook.pre-deploy", "deploy", "hook.post-deploy"]);
    const written = await readFile(path.join(root, ".logship", "hooks", "pre-deploy.log"), "utf8");
    expect(written).toBe("pre local demo:1.0.0 localhost:5000/demo@sha256:def\npost http://127.0.0.1:8000/ demo 1.0.0\n");
  });

  it("a failing pre-hook stops the pipeline with exit 1 and its last line", async () => {
    const root = await project({ "pre-build": 'echo "tests are red" >&2; exit 3' });
    const { ctx } = contextAt(root);
    const log: string[] = [];
    const err = await runSteps([...hookSteps(ctx, "pre-build"), marker(log, "build")], ctx).catch((e) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect(err.cause.message).toBe("pre-build hook failed (exit 3): tests are red");
    expect(exitCodeOf(err.cause)).toBe(1);
    expect(log).toEqual([]);
  });

  it("no hook file → no step; --skip-hooks → no step even when the file exists", async () => {
    const root = await project({ "pre-push": "exit 1" });
    expect(hookSteps(contextAt(root).ctx, "pre-build")).toEqual([]);
    expect(hookSteps(contextAt(root).ctx, "pre-push")).toHaveLength(1);
    expect(hookSteps(contextAt(root, { skipHooks: true }).ctx, "pre-push")).toEqual([]);
  });

  it("a hook that is not executable is a usage error naming the chmod", async () => {
    const root = await project({});
    await writeFile(path.join(root, ".logship", "hooks", "pre-deploy"), "#!/bin/sh\n");
    const { ctx } = contextAt(root);
    expect(() => hookSteps(ctx, "pre-deploy", "local")).toThrow(/is not executable/);
  });
});
