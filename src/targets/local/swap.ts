// The swap of `deploy local` (run.ts starts the new container, smoke.ts finishes or undoes the swap): while the new container proves itself under a
// temporary name, the old one is stopped but kept, so a failure can start it again.
import { dockerRemoveArgs } from "../../docker/args.js";
import { dockerRenameArgs, dockerStartArgs } from "../../docker/local-args.js";
import { dockerErrorText } from "../../docker/stderr.js";
import { shortId } from "../../steps/build.js";
import type { Context } from "../../steps/types.js";

/** A replacement under way: the new container runs as `next`; the old one is stopped, not gone. */
export interface Swap {
  next: string;
  final: string;
  previousImage: string;
  /** It served before we stopped it, so a failure starts it again. */
  restore: boolean;
}
const swaps = new WeakMap<Context["session"], Swap>();

/** Undo a swap: remove the new container, start the old one again. Returns what to tell the user. */
export async function rollBack(ctx: Context, swap: Swap): Promise<string> {
  swaps.delete(ctx.session);
  await ctx.docker(dockerRemoveArgs(swap.next), { allowFailure: true });
  if (!swap.restore) return `the previous container ${swap.final} was not running and stays stopped`;
  const r = await ctx.docker(dockerStartArgs(swap.final), { allowFailure: true });
  return r.exitCode === 0
    ? `the previous container ${swap.final} (${shortId(swap.previousImage)}) is running again`
    : `and starting the previous container ${swap.final} again failed: ${dockerErrorText(r.stderr)}`;
}

export const startSwap = (ctx: Context, swap: Swap) => void swaps.set(ctx.session, swap);
export const pendingSwap = (ctx: Context): Swap | undefined => swaps.get(ctx.session);

/**
 * Completes a swap once the new container is trusted: the old one goes, the new one takes its name.
 * Also for a deploy whose smoke test is switched off (--no-smoke): then `docker run` succeeding is all
 * the proof there is. A no-op when nothing was swapped.
 */
export async function finishLocalSwap(ctx: Context): Promise<void> {
  const swap = swaps.get(ctx.session);
  if (!swap) return;
  await ctx.docker(dockerRemoveArgs(swap.final));
  await ctx.docker(dockerRenameArgs(swap.next, swap.final));
  swaps.delete(ctx.session);
}
