// `deploy local`: run the image on this machine, replacing the app's previous container,
// then wait until the smoke path answers. Env values reach docker through its environment,
// never argv, so secrets stay out of `ps` and --dry-run.
import { createHash } from "node:crypto";
import { dockerInspectContainerArgs, dockerInspectImageArgs, dockerLogsArgs, dockerRemoveArgs, dockerRunArgs } from "../docker/args.js";
import { DeployError } from "../errors.js";
import { parseDuration } from "../config/rules.js";
import { targetEnv } from "../config/env.js";
import { waitForHttp } from "../util/http.js";
import { shortId } from "./build.js";
import { switchableSmoke } from "./smoke-http.js";
import type { Context, ImageState, Step } from "./types.js";

export const containerName = (app: string) => `logship-${app}`;

interface Inspected {
  running: boolean;
  status: string;
  imageId: string;
  labels: Record<string, string>;
}

export async function inspectContainer(ctx: Context, name: string): Promise<Inspected | undefined> {
  const r = await ctx.docker(dockerInspectContainerArgs(name), { allowFailure: true });
  if (r.exitCode !== 0) return undefined;
  const c = JSON.parse(r.stdout)[0];
  const state = c?.State ?? {};
  // With --restart unless-stopped, a container that keeps crashing reports Running: true while
  // Docker waits to restart it (State.Restarting); it is not serving, so it does not count as running.
  const running = !!state.Running && !state.Restarting;
  const status = state.Restarting || state.Status === "exited"
    ? `exited with code ${state.ExitCode ?? "?"}${state.Restarting ? " (docker keeps restarting it)" : ""}`
    : state.Status ?? "unknown";
  return { running, status, imageId: c?.Image, labels: c?.Config?.Labels ?? {} };
}

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
  const runArgs = (ctx: Context) => {
    const s = settings(ctx, image);
    const env = localEnv(ctx);
    const port = s.containerPort ?? containerPort ?? 8080;
    return dockerRunArgs({
      name: s.name, image: s.image, bind: s.bind, hostPort: s.hostPort, containerPort: port,
      envNames: Object.keys(env),
      labels: { "logship.app": ctx.config.app, "logship.config": configHash(s.image, `${s.bind}:${s.hostPort}:${port}`, env) },
    });
  };
  return {
    id: "local.run",
    group: "local",
    title: (ctx) => `Run container ${containerName(ctx.config.app)}`,
    describe: (ctx) => [
      { kind: "docker", command: dockerRemoveArgs(containerName(ctx.config.app)), note: "only if a different container of this app exists" },
      { kind: "docker", command: runArgs(ctx), note: "env values are passed through docker's environment" },
    ],
    async isDone(ctx) {
      const s = settings(ctx, image);
      containerPort = s.containerPort ?? (await exposedPort(ctx, s.image));
      const current = await inspectContainer(ctx, s.name);
      const want = runArgs(ctx).find((a) => a.startsWith("logship.config="))!.split("=")[1];
      if (current?.running && current.labels["logship.config"] === want) {
        return `already running ${shortId(current.imageId)} with this configuration`;
      }
      return false;
    },
    async run(ctx) {
      const s = settings(ctx, image);
      const replaced = await inspectContainer(ctx, s.name);
      if (replaced) await ctx.docker(dockerRemoveArgs(s.name), { signal: ctx.signal });
      await ctx.docker(runArgs(ctx), { env: localEnv(ctx), signal: ctx.signal });
      return `${replaced ? `replaced ${shortId(replaced.imageId)} with` : "started"} ${shortId(s.image)} on ${s.bind}:${s.hostPort}`;
    },
  };
}

export function localSmokeStep(image: ImageState): Step {
  return switchableSmoke({
    id: "local.smoke-test",
    group: "local",
    title: (ctx) => `Smoke test ${settings(ctx, image).url}`,
    describe: (ctx) => [{
      kind: "http", command: `GET ${settings(ctx, image).url}`,
      note: `expect ${ctx.config.smoke.expectStatus ?? "2xx"} within ${ctx.config.smoke.timeout}`,
    }],
    async run(ctx) {
      const s = settings(ctx, image);
      const answer = await waitForHttp(s.url, {
        timeoutMs: parseDuration(ctx.config.smoke.timeout)!,
        expectStatus: ctx.config.smoke.expectStatus,
        signal: ctx.signal,
        onAttempt: (last) => ctx.progress(`waiting: ${last}`),
        giveUp: async () => {
          const c = await inspectContainer(ctx, s.name);
          if (c?.running) return undefined;
          const logs = await ctx.docker(dockerLogsArgs(s.name, 20), { allowFailure: true });
          const tail = (logs.stdout + logs.stderr).trim().split("\n").slice(-5).join(" | ");
          return `the container ${c ? c.status : "is gone"}${tail ? `; its last output: ${tail}` : ""}`;
        },
      }).catch((e) => {
        if (e instanceof DeployError && !e.hint) throw new DeployError(e.message, `see \`docker logs ${s.name}\``);
        throw e;
      });
      ctx.targets.local = { url: `${s.base}/`, status: answer.status };
      return `HTTP ${answer.status} after ${(answer.ms / 1000).toFixed(1)}s`;
    },
  }, (ctx) => {
    // --no-smoke: `docker run` succeeding is all the proof there is; the URL is still printed.
    ctx.targets.local = { url: `${settings(ctx, image).base}/` };
  });
}

export function localRemoveStep(): Step {
  return {
    id: "local.remove",
    group: "local",
    title: (ctx) => `Remove container ${containerName(ctx.config.app)}`,
    describe: (ctx) => [{ kind: "docker", command: dockerRemoveArgs(containerName(ctx.config.app)) }],
    async isDone(ctx) {
      return (await inspectContainer(ctx, containerName(ctx.config.app))) ? false : "no container to remove";
    },
    async run(ctx) {
      await ctx.docker(dockerRemoveArgs(containerName(ctx.config.app)), { signal: ctx.signal });
      return "removed";
    },
  };
}

export async function localStatus(ctx: Context): Promise<import("../targets/index.js").TargetStatus> {
  const name = containerName(ctx.config.app);
  const r = await ctx.docker(dockerInspectContainerArgs(name), { allowFailure: true });
  if (r.exitCode !== 0) return { target: "local", exists: false, detail: `no container ${name}` };
  const c = JSON.parse(r.stdout)[0];
  const binding = Object.values(c?.HostConfig?.PortBindings ?? {})[0] as { HostIp?: string; HostPort?: string }[] | undefined;
  const hostIp = !binding?.[0]?.HostIp || binding[0].HostIp === "0.0.0.0" ? "127.0.0.1" : binding[0].HostIp;
  return {
    target: "local",
    exists: true,
    state: c?.State?.Status,
    url: binding?.[0]?.HostPort ? `http://${hostIp}:${binding[0].HostPort}/` : undefined,
    image: c?.Image,
    updatedAt: c?.Created,
    detail: `container ${name}`,
  };
}
