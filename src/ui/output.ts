// All terminal policy, decided once (DESIGN.md "Output and exit codes"; STYLE.md 8): is stderr a
// terminal (spinners), is this CI, is colour on, may we ask a question. Commands and the reporter
// read these answers; nothing else looks at process.stdin, process.stderr or CI itself.
import { createReporter, type Reporter } from "./reporter.js";
import { InterruptedError } from "../errors.js";
import type { GlobalOptions, Io } from "../commands/globals.js";

export type OutputMode = "tty" | "plain" | "json";

/** What a process's own streams say, for src/cli.ts's defaultIo (tests inject both answers). */
export interface TerminalFacts {
  isTTY: boolean;
  interactive: boolean;
}

type Streams = {
  stdin: { isTTY?: boolean };
  stderr: { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
};

export function terminalFacts(proc: Streams = process): TerminalFacts {
  return {
    // A terminal that reports no width (a pty nobody sized) would send ora into an endless
    // clear-lines loop: treat it as no terminal and print plain lines.
    isTTY: !!proc.stderr.isTTY && (proc.stderr.columns ?? 0) > 0,
    // Wrangler's rule (STYLE.md): "can show a spinner" is not "may prompt"; CI never answers.
    interactive: !!proc.stdin.isTTY && !proc.env.CI,
  };
}

/** The question on this process's terminal (stdin, stderr): y or yes is yes; Ctrl-C is an answer, not a bug. */
export function terminalConfirm(signal: AbortSignal): NonNullable<Io["confirm"]> {
  return async (question, preview) => {
    // The preview (migrate's diff) is data: stdout, before the question that asks about it.
    if (preview) process.stdout.write(preview.endsWith("\n") ? preview : `${preview}\n`);
    const { createInterface } = await import("node:readline/promises");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `, { signal })).trim());
    } catch (e) {
      if ((e as { code?: string }).code === "ABORT_ERR" || signal.aborted) throw new InterruptedError("not confirmed (Ctrl-C); nothing was changed");
      throw e;
    } finally {
      rl.close();
    }
  };
}

/** Spinners only in a terminal outside CI; one plain line per event otherwise; --json keeps stdout for its document. */
export function outputMode(opts: Pick<GlobalOptions, "json" | "progress">, io: Pick<Io, "isTTY" | "env">): OutputMode {
  if (opts.json) return "json";
  if (opts.progress === false || !io.isTTY || io.env.CI) return "plain";
  return "tty";
}

/** NO_COLOR (any non-empty value, no-color.org) turns colour off; so do pipes and CI logs. */
export const colorOn = (io: Pick<Io, "isTTY" | "env">): boolean => !io.env.NO_COLOR && io.isTTY && !io.env.CI;

export async function makeReporter(opts: Pick<GlobalOptions, "json" | "progress" | "verbose">, io: Io): Promise<Reporter> {
  return createReporter({
    stdout: io.stdout,
    stderr: io.stderr,
    mode: outputMode(opts, io),
    color: colorOn(io),
    verbose: opts.verbose,
  });
}
