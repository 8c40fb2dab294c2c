// The app's container as docker sees it: found by name, read once, and put in words that do not
// hide a crash loop. Shared by `deploy local` (is the old one serving?) and `status local`.
import { dockerInspectContainerArgs } from "../../docker/args.js";
import { dockerErrorText } from "../../docker/stderr.js";
import { DeployError } from "../../errors.js";
import type { Context } from "../../steps/types.js";

export const containerName = (app: string) => `logship-${app}`;
/** Where a new container starts while the previous one is kept (the swap: run.ts, smoke.ts, swap.ts). */
export const nextContainerName = (app: string) => `logship-${app}-next`;

/** The parts of `docker container inspect` logship reads. */
export interface ContainerJson {
  Id: string;
  Name?: string;
  Image: string;
  Created?: string;
  RestartCount?: number;
  State?: {
    Status?: string;
    Running?: boolean;
    Paused?: boolean;
    Restarting?: boolean;
    OOMKilled?: boolean;
    ExitCode?: number;
    StartedAt?: string;
    Health?: { Status?: string };
  };
  Config?: { Image?: string; Labels?: Record<string, string> | null };
  HostConfig?: { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null };
  NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null };
}

export interface ContainerState {
  /** Up and able to serve: not restarting, not paused, not unhealthy, not just restarted after a crash. */
  serving: boolean;
  /** docker's state with what matters: `restarting (exit code 3, 7 restarts)`, `exited (code 1)`. */
  state: string;
  restartCount: number;
  /** The code of the last exit (for a running container: of the last crash docker restarted it from). */
  exitCode?: number;
  /** Why it is not serving, in a sentence; absent when it serves. */
  problem?: string;
}

/**
 * A container docker restarted less than this long ago is still in its crash loop: docker's restart
 * delay doubles from 100 ms up to a minute, and resets only after the container has run 10 s
 * (https://docs.docker.com/engine/containers/start-containers-automatically/#restart-policy-details).
 */
const RECENT_RESTART_MS = 60_000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Docker's state in words. `lastCrash` is the exit code of the last `die` event, which docker keeps
 * only in its event log once the container runs again (State.ExitCode goes back to 0).
 */
export function describeState(c: ContainerJson, now = Date.now(), lastCrash?: number): ContainerState {
  const s = c.State ?? {};
  const restartCount = c.RestartCount ?? 0;
  const name = (c.Name ?? "").replace(/^\//, "") || "the container";
  const restarts = plural(restartCount, "restart");
  if (s.Restarting) {
    return {
      serving: false, restartCount, exitCode: s.ExitCode, state: `restarting (exit code ${s.ExitCode ?? "?"}, ${restarts})`,
      problem: `${name} keeps crashing: it exited with code ${s.ExitCode ?? "?"} and docker is restarting it (${restarts} so far)`,
    };
  }
  if (s.Running && s.Paused) return { serving: false, restartCount, state: "paused", problem: `${name} is paused (\`docker unpause ${name}\`)` };
  if (s.Running) {
    const health = s.Health?.Status;
    const startedAgo = now - Date.parse(s.StartedAt ?? "");
    const crashNote = restartCount ? `${restarts}${lastCrash === undefined ? "" : `, last exit code ${lastCrash}`}` : "";
    const state = `running${[health, crashNote].filter(Boolean).length ? ` (${[health, crashNote].filter(Boolean).join(", ")})` : ""}`;
    if (health === "unhealthy") return { serving: false, restartCount, exitCode: lastCrash, state, problem: `${name} runs but its HEALTHCHECK says unhealthy` };
    if (restartCount && startedAgo < RECENT_RESTART_MS) {
      return {
        serving: false, restartCount, exitCode: lastCrash, state,
        problem: `${name} keeps crashing: docker restarted it ${Math.round(startedAgo / 1000)}s ago after it exited${lastCrash === undefined ? "" : ` with code ${lastCrash}`} (${restarts} so far)`,
      };
    }
    return { serving: true, restartCount, exitCode: lastCrash, state };
  }
  const status = s.Status ?? "unknown";
  const code = s.ExitCode;
  const killed = s.OOMKilled ? ", killed: out of memory" : "";
  if (status === "exited" || status === "dead") {
    return {
      serving: false, restartCount, exitCode: code, state: `${status} (code ${code ?? "?"}${killed})`,
      problem: `${name} is not running: it exited with code ${code ?? "?"}${killed}`,
    };
  }
  return { serving: false, restartCount, exitCode: code, state: status, problem: `${name} is not running (docker says ${status})` };
}

/** The container, or undefined when docker has none by that name. */
export async function inspectContainer(ctx: Context, name: string): Promise<ContainerJson | undefined> {
  const r = await ctx.docker(dockerInspectContainerArgs(name), { allowFailure: true });
  if (r.exitCode === 0) return (JSON.parse(r.stdout) as ContainerJson[])[0];
  // Only "no such container" means there is none; anything else (a socket we may not use) is said as is.
  if (/no such (container|object)/i.test(r.stderr)) return undefined;
  throw new DeployError(`docker container inspect ${name} failed: ${dockerErrorText(r.stderr)}`);
}
