// Project hooks: executables in .logship/hooks/ (pre-build, pre-push, pre-deploy, post-deploy),
// run with the run's context in LOGSHIP_* environment variables. A failing hook stops the pipeline.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { DeployError, InterruptedError, UserError } from "../errors.js";
import type { Context, Step } from "./types.js";
import { outputOf } from "./outputs.js";

export const HOOKS = ["pre-build", "pre-push", "pre-deploy", "post-deploy"] as const;
export type HookName = (typeof HOOKS)[number];

export const hookPath = (root: string, name: HookName) => path.join(root, ".logship", "hooks", name);

/** The environment a hook sees: what logship knows at that point of the run. */
export function hookEnv(ctx: Context, name: HookName, target?: string): Record<string, string> {
  const image = target ? [...ctx.images.values()].find((i) => i.spec.targets.includes(target as never)) : ctx.images.get("app");
  const env: Record<string, string> = {
    LOGSHIP_HOOK: name,
    LOGSHIP_APP: ctx.config.app,
    LOGSHIP_CONFIG: ctx.loaded.file,
  };
  if (target) env.LOGSHIP_TARGET = target;
  if (ctx.config.region) env.LOGSHIP_REGION = ctx.config.region;
  if (image?.tag) env.LOGSHIP_TAG = image.tag;
  if (image?.localRefs[0]) env.LOGSHIP_IMAGE = image.localRefs[0];
  if (image?.imageId) env.LOGSHIP_IMAGE_ID = image.imageId;
  if (image?.remote) env.LOGSHIP_IMAGE_DIGEST = `${image.remote.repository}@${image.remote.digest}`;
  const url = target ? outputOf(ctx, target)?.url : undefined;
  if (url) env.LOGSHIP_URL = url;
  return env;
}

/** A step for the hook if the project has one (and hooks are not skipped); otherwise nothing. */
export function hookSteps(ctx: Context, name: HookName, target?: string): Step[] {
  if (ctx.options.skipHooks) return [];
  const file = hookPath(ctx.loaded.root, name);
  if (!existsSync(file) || !statSync(file).isFile()) return [];
  try {
    accessSync(file, constants.X_OK);
  } catch {
    throw new UserError(`hook ${path.relative(ctx.cwd, file)} is not executable`, `run \`chmod +x ${path.relative(ctx.cwd, file)}\`, or pass --skip-hooks`);
  }
  return [{
    id: `hook.${name}`,
    group: target,
    title: () => `Hook ${name}`,
    describe: () => [{ kind: "check", command: `run ${path.relative(ctx.cwd, file)}`, note: "with LOGSHIP_* environment variables" }],
    async run(c) {
      const r = await execa(file, [], {
        cwd: c.loaded.root,
        env: hookEnv(c, name, target),
        cancelSignal: c.signal,
        reject: false,
        all: true,
      });
      for (const line of String(r.all ?? "").split("\n")) if (line.trim()) c.progress(line);
      if (r.isCanceled) throw new InterruptedError(`interrupted during the ${name} hook`);
      if (r.exitCode !== 0) {
        const last = String(r.all ?? "").trim().split("\n").at(-1);
        throw new DeployError(
          `${name} hook failed (exit ${r.exitCode ?? r.signal})${last ? `: ${last}` : ""}`,
          name === "post-deploy" ? "the deploy itself succeeded; fix the hook or pass --skip-hooks" : "nothing after it ran; fix the hook or pass --skip-hooks",
        );
      }
      return "ok";
    },
  }];
}
