import { createContext, executePlan, makeReporter } from "./run.js";
import { prepareDocker } from "./prepare.js";
import { parseTargetName, targetFor } from "../targets/index.js";
import type { GlobalOptions, Io } from "./globals.js";

export async function destroy(targetName: string, opts: GlobalOptions, io: Io): Promise<void> {
  const target = parseTargetName(targetName);
  const reporter = await makeReporter(opts, io);
  const ctx = await createContext(opts, io, reporter);
  const steps = targetFor(ctx, target).destroySteps(ctx);
  await prepareDocker(ctx);
  await executePlan(`destroy ${target}`, ctx, { sequence: [], groups: [{ group: target, steps }] }, opts, io);
}
