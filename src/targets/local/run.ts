// `deploy local`'s first step: run the image on this machine (smoke.ts then waits until it answers).
// Env values reach docker through its environment, never argv, so secrets stay out of `ps` and --dry-run.
//
// Replacing a container that serves: two containers cannot publish one host port, so the new one
// cannot start beside the old. The old one is stopped (not removed), the new one runs as
// logship-<app>-next, and only when it answers the smoke test is the old one removed and the new one
// renamed. If `docker run` or the smoke test fails, the new one is removed and the old one started
// again. The cost is a gap of a few seconds in service; the gain is that a bad image, a taken port
// or a typo in the config never leaves the user with nothing running.
import { createHash } from "node:crypto";
import { dockerInspectImageArgs, dockerRemoveArgs, dockerRunArgs } from "../../docker/args.js";
import { dockerStopArgs } from "../../docker/local-args.js";
import { DeployError, InterruptedError } from "../../errors.js";
import { shortId } from "../../steps/build.js";
import type { Context, ImageState, Step } from "../../steps/types.js";
import { containerName, describeState, inspectContainer } from "./container.js";
import { lockLocal } from "./lock.js";
import { checkHostPort } from "./port.js";
import { localEnv, settings } from "./settings.js";
import { rollBack, startSwap, type Swap } from "./swap.js";

/** The image's single EXPOSEd port, else 8080. */
async function exposedPort(ctx: Context, ref: string): Promise<number> {
  const r = await ctx.docker(dockerInspectImageArgs(ref), { allowFailure: true });
  const ports = r.exitCode === 0 ? Object.keys(JSON.parse(r.stdout)[0]?.Config?.ExposedPorts ?? {}) : [];
  const tcp = ports.filter((p) => p.endsWith("/tcp")).map((p) => Number(p.split("/")[0]));
  return tcp.length === 1 ? tcp[0] : 8080;
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
