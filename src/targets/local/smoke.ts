// The local smoke test: wait until the new container answers the smoke path, then finish the swap
// (the previous container goes, the new one takes its name); if it never answers, put the old one back.
import { dockerLogsArgs, dockerRemoveArgs } from "../../docker/args.js";
import { dockerRenameArgs } from "../../docker/local-args.js";
import { DeployError, InterruptedError } from "../../errors.js";
import { parseDuration } from "../../config/rules.js";
import { waitForHttp } from "../../util/http.js";
import { shortId } from "../../steps/build.js";
import { switchableSmoke } from "../../steps/smoke-http.js";
import type { Context, ImageState, Step } from "../../steps/types.js";
import { inspectContainer } from "./container.js";
import { settings } from "./settings.js";
import { finishLocalSwap, pendingSwap, rollBack } from "./swap.js";

/** Why waiting for the container is pointless, or undefined while it may still answer. */
async function whyNotServing(ctx: Context, name: string): Promise<string | undefined> {
  const c = await inspectContainer(ctx, name);
  if (c?.State?.Running && !c.State.Restarting) return undefined;
  const logs = await ctx.docker(dockerLogsArgs(name, 20), { allowFailure: true });
  const tail = (logs.stdout + logs.stderr).trim().split("\n").slice(-5).join(" | ");
  const state = !c ? "is gone"
    : `exited with code ${c.State?.ExitCode ?? "?"}${c.State?.Restarting ? " (docker keeps restarting it)" : ""}`;
  return `the container ${state}${tail ? `; its last output: ${tail}` : ""}`;
}

export function localSmokeStep(image: ImageState): Step {
  return switchableSmoke({
    id: "local.smoke-test",
    group: "local",
    title: (ctx) => `Smoke test ${settings(ctx, image).url}`,
    describe: (ctx) => {
      const s = settings(ctx, image);
      return [
        { kind: "http", command: `GET ${s.url}`, note: `expect ${ctx.config.smoke.expectStatus ?? "2xx"} within ${ctx.config.smoke.timeout}` },
        { kind: "docker", command: dockerRemoveArgs(s.name), note: `when ${s.next} answers: the previous container goes` },
        { kind: "docker", command: dockerRenameArgs(s.next, s.name) },
      ];
    },
    async run(ctx) {
      const s = settings(ctx, image);
      const swap = pendingSwap(ctx);
      const name = swap?.next ?? s.name;
      let answer;
      try {
        answer = await waitForHttp(s.url, {
          timeoutMs: parseDuration(ctx.config.smoke.timeout)!,
          expectStatus: ctx.config.smoke.expectStatus,
          signal: ctx.signal,
          onAttempt: (last) => ctx.progress(`waiting: ${last}`),
          giveUp: () => whyNotServing(ctx, name),
        });
      } catch (e) {
        if (!swap) {
          if (e instanceof DeployError && !e.hint) throw new DeployError(e.message, `see \`docker logs ${s.name}\``);
          throw e;
        }
        // The new container never answered: put the old one back, so the user keeps a working app.
        const logs = await ctx.docker(dockerLogsArgs(name, 5), { allowFailure: true });
        const tail = (logs.stdout + logs.stderr).trim().split("\n").join(" | ");
        const undo = await rollBack(ctx, swap);
        if (e instanceof InterruptedError) throw new InterruptedError(`${e.message}; ${undo}`);
        if (!(e instanceof DeployError)) throw e;
        const output = tail && !e.message.includes(tail) ? `; the new container's last output: ${tail}` : "";
        throw new DeployError(`${e.message}${output}; ${undo}`, e.hint);
      }
      await finishLocalSwap(ctx);
      ctx.targets.local = { url: `${s.base}/`, status: answer.status };
      return `HTTP ${answer.status} after ${(answer.ms / 1000).toFixed(1)}s${swap ? `; replaced ${shortId(swap.previousImage)}` : ""}`;
    },
  }, async (ctx) => {
    // --no-smoke: `docker run` succeeding is all the proof there is; the URL is still printed.
    await finishLocalSwap(ctx);
    ctx.targets.local = { url: `${settings(ctx, image).base}/` };
  });
}
