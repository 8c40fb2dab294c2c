// One `deploy local` / `ship local` / `destroy local` of an app at a time on this machine. Two at
// once raced on the container's name and port, and one failed with docker's "name already in use".
// The second run waits for the first (saying who it waits for) and goes on when it is done.
import { acquireLock, describeHolder } from "../../util/run-lock.js";
import type { Context } from "../../steps/types.js";

/** Long enough for a deploy whose smoke test waits minutes; Ctrl-C stops the wait at any time. */
export const LOCAL_LOCK_WAIT_MS = 10 * 60_000;

const held = new WeakMap<Context["session"], Promise<void>>();

/** Takes the app's local lock once per run; released when the run ends (the session's cleanup). */
export function lockLocal(ctx: Context, action: "deploy" | "destroy"): Promise<void> {
  const existing = held.get(ctx.session);
  if (existing) return existing;
  const taking = acquireLock({
    env: ctx.env,
    key: `${ctx.config.app}.local`,
    what: `logship ${action} local of "${ctx.config.app}"`,
    signal: ctx.signal,
    timeoutMs: Number(ctx.env.LOGSHIP_LOCK_WAIT_MS) || LOCAL_LOCK_WAIT_MS,
    onWait: (h, file) => ctx.reporter.info(`waiting for another logship run to finish: ${describeHolder(h)} (lock ${file})`),
    onStale: (h, file) => ctx.reporter.info(`took over a stale lock ${file}${h ? ` left by pid ${h.pid} (${h.what})` : ""}`),
  }).then((lock) => {
    ctx.session.cleanup.push(() => lock.release());
  });
  // A failed attempt must not stick: a later step of the same run may try again.
  taking.catch(() => held.delete(ctx.session));
  held.set(ctx.session, taking);
  return taking;
}
