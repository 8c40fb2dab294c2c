// Before `deploy local` stops or removes anything: is the host port free, or held by this app's own
// container (fine: the swap frees it)? Anything else is named (another logship app by its label,
// another container, another process) with how to free the port or which targets.local.port to set.
import { dockerInspectContainersArgs, dockerRunningIdsArgs } from "../../docker/local-args.js";
import { DeployError } from "../../errors.js";
import { portIsFree, processOnPort } from "../../util/host-port.js";
import type { ContainerJson } from "./container.js";
import type { Context } from "../../steps/types.js";

interface Binding {
  ip: string;
  from: number;
  to: number;
}

const WILDCARD = new Set(["", "0.0.0.0", "::"]);

/** "8000" or "8000-8010" (a published range); "" is a port docker picked, read from NetworkSettings. */
function parseBinding(b: { HostIp?: string; HostPort?: string }): Binding | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(b.HostPort ?? "");
  return m ? { ip: b.HostIp ?? "", from: Number(m[1]), to: Number(m[2] ?? m[1]) } : undefined;
}

/** Ports a container holds now (NetworkSettings) or takes again at its next restart (HostConfig). */
export function containerBindings(c: ContainerJson): Binding[] {
  const maps = [c.NetworkSettings?.Ports, c.HostConfig?.PortBindings];
  return maps.flatMap((m) => Object.values(m ?? {}).flatMap((list) => (list ?? []).map(parseBinding))).filter((b): b is Binding => !!b);
}

/** Two binds clash on the same port when the addresses are equal or either is a wildcard. */
export const clashes = (b: Binding, ip: string, port: number) =>
  port >= b.from && port <= b.to && (b.ip === ip || WILDCARD.has(b.ip) || WILDCARD.has(ip));

/** Can this process see the docker host's ports? Not when DOCKER_HOST points at another machine. */
const engineIsLocal = (env: NodeJS.ProcessEnv) => !env.DOCKER_HOST || env.DOCKER_HOST.startsWith("unix://");

async function runningContainers(ctx: Context): Promise<ContainerJson[]> {
  const ids = (await ctx.docker(dockerRunningIdsArgs())).stdout.split("\n").filter(Boolean);
  if (!ids.length) return [];
  // A container can be removed between `ps` and `inspect`: then inspect fails for it alone; ask again.
  const r = await ctx.docker(dockerInspectContainersArgs(ids), { allowFailure: true });
  return r.exitCode === 0 || r.stdout.trim().startsWith("[") ? (JSON.parse(r.stdout || "[]") as ContainerJson[]) : [];
}

async function isFree(ctx: Context, containers: ContainerJson[], ip: string, port: number): Promise<boolean> {
  if (containers.some((c) => containerBindings(c).some((b) => clashes(b, ip, port)))) return false;
  return !engineIsLocal(ctx.env) || (await portIsFree(ip, port)) !== false;
}

/** A free port above `port` to suggest, or undefined when none of the next few is. */
async function suggestPort(ctx: Context, containers: ContainerJson[], ip: string, port: number): Promise<number | undefined> {
  for (let p = port + 1; p <= Math.min(port + 20, 65535); p++) if (await isFree(ctx, containers, ip, p)) return p;
  return undefined;
}

/**
 * Throws a DeployError naming whoever holds bind:port, unless it is free or held by one of `own`
 * (this app's containers, which the deploy stops anyway).
 */
export async function checkHostPort(ctx: Context, bind: string, port: number, own: string[]): Promise<void> {
  const containers = await runningContainers(ctx);
  const name = (c: ContainerJson) => (c.Name ?? c.Id.slice(0, 12)).replace(/^\//, "");
  const holder = containers.find((c) => !own.includes(name(c)) && containerBindings(c).some((b) => clashes(b, bind, port)));
  const where = `${bind}:${port}`;
  let what: string;
  let free: string;
  if (holder) {
    const app = holder.Config?.Labels?.["logship.app"];
    if (app) {
      what = `container ${name(holder)} of the logship app "${app}"`;
      free = `run \`logship destroy local\` in that app's project (or \`docker rm --force ${name(holder)}\`)`;
    } else {
      what = `container ${name(holder)} (image ${holder.Config?.Image ?? holder.Image.slice(0, 19)})`;
      free = `stop it (\`docker stop ${name(holder)}\`)`;
    }
  } else {
    const ownHolds = containers.some((c) => own.includes(name(c)) && containerBindings(c).some((b) => clashes(b, bind, port)));
    if (ownHolds || !engineIsLocal(ctx.env) || (await portIsFree(bind, port)) !== false) return;
    const proc = await processOnPort(port);
    what = `another process on this machine${proc ? ` (${proc.command}, pid ${proc.pid})` : ""}`;
    free = proc ? `stop it (\`kill ${proc.pid}\`)` : `find it with \`ss -ltnp 'sport = :${port}'\` (or \`lsof -i :${port}\`) and stop it`;
  }
  const other = await suggestPort(ctx, containers, bind, port);
  throw new DeployError(
    `targets.local.port: ${where} is taken by ${what}; nothing was changed`,
    `${free}, or set targets.local.port to a free port${other ? ` (${other} is free)` : ""}`,
  );
}
