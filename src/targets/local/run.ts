// `deploy local`: run the image on this machine, then wait until the smoke path answers. Env values
// reach docker through its environment, never argv, so secrets stay out of `ps` and --dry-run.
//
// Replacing a container that serves: two containers cannot publish one host port, so the new one
// cannot start beside the old. The old one is stopped (not removed), the new one runs as
// logship-<app>-next, and only when it answers the smoke test is the old one removed and the new one
// renamed. If `docker run` or the smoke test fails, the new one is removed and the old one started
// again. The cost is a gap of a few seconds in service; the gain is that a bad image, a taken port
// or a typo in the config never leaves the user with nothing running.
import { createHash } from "node:crypto";
import { dockerInspectImageArgs, dockerLogsArgs, dockerRemoveArgs, dockerRunArgs } from "../../docker/args.js";
import { dockerRenameArgs, dockerStopArgs } from "../../docker/local-args.js";
import { DeployError, InterruptedError } from "../../errors.js";
import { parseDuration } from "../../config/rules.js";
import { targetEnv } from "../../config/env.js";
import { waitForHttp } from "../../util/http.js";
import { shortId } from "../../steps/build.js";
import { containerName, describeState, inspectContainer, nextContainerName } from "./container.js";
import { lockLocal } from "./lock.js";
import { finishLocalSwap, pendingSwap, rollBack, startSwap, type Swap } from "./swap.js";
import { checkHostPort } from "./port.js";
import { switchableSmoke } from "../../steps/smoke-http.js";
import type { Context, ImageState, Step } from "../../steps/types.js";

export const localEnv = (ctx: Context): Record<string, string> => targetEnv(ctx.config, "local");

/** The image's single EXPOSEd port, else 8080. */
async function exposedPort(ctx: Context, ref: string): Promise<number> {
  const r = await ctx.docker(dockerInspectImageArgs(ref), { allowFailure: true });
  const ports = r.exitCode === 0 ? Object.keys(JSON.parse(r.stdout)[0]?.Config?.ExposedPorts ?? {}) : [];
  const tcp = ports.filter((p) => p.endsWith("/tcp")).map((p) => Number(p.split("/")[0]));
  return tcp.length === 1 ? tcp[0] : 8080;
}

function settings(ctx: Context, image: ImageState) {
  const t = ctx.config.targets.local ?? { port: 8000, bind: "127.0.0.1", env: {} };
  const host = t.bind === "0.0.0.0" || t.bind === "::" ? "127.0.0.1" : t.bind;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${t.port}`;
  return {
    base,
    url: `${base}${ctx.config.smoke.path}`,
    name: containerName(ctx.config.app),
    next: nextContainerName(ctx.config.app),
    image: image.imageId ?? image.localRefs[0],
    bind: t.bind,
    hostPort: t.port,
    containerPort: t.containerPort,
  };
}

/** A label that changes whenever anything about the container would: image, ports or env. */
function configHash(image: string, ports: string, env: Record<string, string>): string {
  return createHash("sha256").update(JSON.stringify({ image, ports, env })).digest("hex").slice(0, 16);
}

export function localRunStep(image: ImageState): Step {
  let containerPort: number | undefined;
  const runArgs = (ctx: Context, name: string) => {
    const s = settings(ctx, image);
    const env = localEnv(ctx);
    const port = s.containerPort ?? containerPort ?? 8080;
    return dockerRunArgs({
      name, image: s.image, bind: s.bind, hostPort: s.hostPort, containerPort: port,
      envNames: Object.keys(env),
      labels: { "logship.app": ctx.config.app, "logship.config": configHash(s.image, `${s.bind}:${s.hostPort}:${port}`, env) },
    });
  };
  /** `docker run`, and if it fails, no `Created` container left behind under that name. */
  const run = async (ctx: Context, name: string) => {
    try {
      await ctx.docker(runArgs(ctx, name), { env: localEnv(ctx), signal: ctx.signal });
    } catch (e) {
      await ctx.docker(dockerRemoveArgs(name), { allowFailure: true });
      throw e;
    }
  };
  return {
    id: "local.run",
    group: "local",
    title: (ctx) => `Run container ${containerName(ctx.config.app)}`,
    describe: (ctx) => {
      const s = settings(ctx, image);
      return [
        { kind: "check", command: `lock ${ctx.config.app}/local`, note: "one logship run per app and target; a second one waits" },
        { kind: "check", command: `port ${s.bind}:${s.hostPort} is free`, note: `or held by ${s.name}; checked before anything is stopped` },
        { kind: "docker", command: dockerStopArgs(s.name), note: `only if ${s.name} runs with another configuration; started again if the new one fails` },
        { kind: "docker", command: runArgs(ctx, s.name), note: `as ${s.next} while a previous container is kept; env values are passed through docker's environment` },
      ];
    },
    async isDone(ctx) {
      await lockLocal(ctx, "deploy");
      const s = settings(ctx, image);
      containerPort = s.containerPort ?? (await exposedPort(ctx, s.image));
      const current = await inspectContainer(ctx, s.name);
      const want = runArgs(ctx, s.name).find((a) => a.startsWith("logship.config="))!.split("=")[1];
      if (current && describeState(current).serving && current.Config?.Labels?.["logship.config"] === want) {
        return `already running ${shortId(current.Image)} with this configuration`;
      }
      return false;
    },
    async run(ctx) {
      const s = settings(ctx, image);
      // A swap an earlier run left half done (Ctrl-C, a killed process): its new container goes.
      if (await inspectContainer(ctx, s.next)) await ctx.docker(dockerRemoveArgs(s.next));
      await checkHostPort(ctx, s.bind, s.hostPort, [s.name, s.next]);
      const previous = await inspectContainer(ctx, s.name);
      const where = `${shortId(s.image)} on ${s.bind}:${s.hostPort}`;
      if (!previous) {
        await run(ctx, s.name);
        return `started ${where}`;
      }
      const swap: Swap = { next: s.next, final: s.name, previousImage: previous.Image, restore: !!previous.State?.Running && !previous.State.Restarting };
      // No signal: a stop takes at most its grace period, and a half-stopped container helps nobody.
      if (previous.State?.Running) await ctx.docker(dockerStopArgs(s.name));
      try {
        await run(ctx, s.next);
      } catch (e) {
        const undo = await rollBack(ctx, swap);
        if (e instanceof DeployError) throw new DeployError(`${e.message}; ${undo}`, e.hint);
        if (e instanceof InterruptedError) throw new InterruptedError(`${e.message}; ${undo}`);
        throw e;
      }
      startSwap(ctx, swap);
      return `started ${where} as ${s.next}; ${s.name} (${shortId(previous.Image)}) is stopped until it answers`;
    },
  };
}

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

export function localRemoveStep(): Step {
  const names = (ctx: Context) => [containerName(ctx.config.app), nextContainerName(ctx.config.app)];
  return {
    id: "local.remove",
    group: "local",
    title: (ctx) => `Remove container ${containerName(ctx.config.app)}`,
    describe: (ctx) => [{ kind: "docker", command: dockerRemoveArgs(containerName(ctx.config.app)) }],
    async isDone(ctx) {
      await lockLocal(ctx, "destroy");
      for (const name of names(ctx)) if (await inspectContainer(ctx, name)) return false;
      return "no container to remove";
    },
    async run(ctx) {
      for (const name of names(ctx)) if (await inspectContainer(ctx, name)) await ctx.docker(dockerRemoveArgs(name), { signal: ctx.signal });
      return "removed";
    },
  };
}
