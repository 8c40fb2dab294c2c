// `status local`: docker's own state of the app's container, with its restart count and last exit
// code, so a crash loop never reads as "running".
import type { TargetStatus } from "../types.js";
import { dockerDieEventsArgs } from "../../docker/local-args.js";
import { containerName, describeState, inspectContainer, type ContainerJson } from "./container.js";
import type { Context } from "../../steps/types.js";

export interface LocalStatus extends TargetStatus {
  restartCount?: number;
  exitCode?: number;
  /** Set when the container exists but does not serve (crash loop, exited, paused, unhealthy). */
  problem?: string;
}

/**
 * The exit code of the container's last crash. Once docker has restarted it, State.ExitCode is 0
 * again; the `die` event in docker's event log still carries the code.
 */
async function lastCrashCode(ctx: Context, c: ContainerJson): Promise<number | undefined> {
  if (!c.RestartCount || !c.State?.Running || c.State.Restarting) return undefined;
  const r = await ctx.docker(dockerDieEventsArgs(c.Id, Math.floor(Date.now() / 1000)), { allowFailure: true });
  const last = r.exitCode === 0 ? r.stdout.trim().split("\n").filter(Boolean).at(-1) : undefined;
  return last !== undefined && /^\d+$/.test(last) ? Number(last) : undefined;
}

export async function localStatus(ctx: Context): Promise<LocalStatus> {
  const name = containerName(ctx.config.app);
  const c = await inspectContainer(ctx, name);
  if (!c) return { target: "local", exists: false, detail: `no container ${name}` };
  const state = describeState(c, Date.now(), await lastCrashCode(ctx, c));
  const bindings = Object.values(c.HostConfig?.PortBindings ?? {})[0] ?? undefined;
  const hostIp = !bindings?.[0]?.HostIp || bindings[0].HostIp === "0.0.0.0" ? "127.0.0.1" : bindings[0].HostIp;
  return {
    target: "local",
    exists: true,
    state: state.state,
    url: bindings?.[0]?.HostPort ? `http://${hostIp.includes(":") ? `[${hostIp}]` : hostIp}:${bindings[0].HostPort}/` : undefined,
    image: c.Image,
    updatedAt: c.Created,
    detail: `container ${name}`,
    restartCount: state.restartCount,
    ...(state.exitCode === undefined ? {} : { exitCode: state.exitCode }),
    ...(state.problem ? { problem: state.problem } : {}),
  };
}
