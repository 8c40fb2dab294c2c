// Runs the command line (src/program.ts) and maps every outcome to an exit code. main() returns the code
// (only a second Ctrl-C exits at once), so tests run the whole CLI in-process.
import { CommanderError } from "commander";
import { buildProgram } from "./program.js";
import { Writable } from "node:stream";
import { EXIT, exitCodeOf, InterruptedError, isExpected } from "./errors.js";
import type { Io } from "./commands/globals.js";

export { buildProgram };

function report(err: unknown, io: Io, debug: boolean): number {
  const code = exitCodeOf(err);
  if (isExpected(err)) {
    io.stderr.write(`error: ${err.message}\n`);
    const hint = (err as { hint?: string }).hint;
    if (hint) io.stderr.write(`  hint: ${hint}\n`);
    if (code === EXIT.interrupted && !/stopped following/.test(err.message)) {
      io.stderr.write("  Nothing was left half-written that a re-run cannot finish: run the same command again.\n");
    }
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return code;
  }
  io.stderr.write(`internal error: ${(err as Error)?.message ?? String(err)}\n`);
  io.stderr.write(debug ? `${(err as Error)?.stack}\n` : "  this is a bug in logship: re-run with --debug and report it with the output\n");
  return EXIT.bug;
}

export function defaultIo(signal: AbortSignal): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    // A terminal that reports no width (a pty nobody sized) would send ora into an endless
    // clear-lines loop: treat it as no terminal and print plain lines.
    isTTY: !!process.stderr.isTTY && (process.stderr.columns ?? 0) > 0,
    signal,
    interactive: !!process.stdin.isTTY && !process.env.CI,
    confirm: async (question) => {
      const { createInterface } = await import("node:readline/promises");
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `, { signal })).trim());
      } catch (e) {
        // Ctrl-C at the prompt is an answer, not a bug.
        if ((e as { code?: string }).code === "ABORT_ERR" || signal.aborted) throw new InterruptedError("not confirmed (Ctrl-C); nothing was changed");
        throw e;
      } finally {
        rl.close();
      }
    },
  };
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io?: Io): Promise<number> {
  const controller = new AbortController();
  let onSigint: (() => void) | undefined;
  if (!io) {
    io = defaultIo(controller.signal);
    let presses = 0;
    // First Ctrl-C: stop waiting and report where things stand. Second: leave at once.
    onSigint = () => {
      if (++presses > 1) process.exit(EXIT.interrupted);
      io!.stderr.write("\ninterrupting… (press Ctrl-C again to quit at once)\n");
      controller.abort();
    };
    process.on("SIGINT", onSigint);
  }
  const debug = argv.includes("--debug");
  // With --json, stdout always gets one document, even when we fail before a command could write one.
  const json = argv.includes("--json");
  let wroteStdout = false;
  const realStdout = io.stdout;
  const stdout = new Writable({
    write(chunk, _enc, done) {
      wroteStdout = true;
      realStdout.write(chunk, done);
    },
  });
  const runIo: Io = { ...io, stdout };
  try {
    try {
      await buildProgram(runIo).parseAsync(argv);
      return EXIT.ok;
    } catch (err) {
      if (err instanceof CommanderError) {
        if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT.ok;
        // `logship` with no command prints help and exits 2, like any other missing argument.
        return err.exitCode === 0 && err.code !== "commander.help" ? EXIT.ok : EXIT.usage;
      }
      const { explainAwsError } = await import("./aws/errors.js");
      const explained = explainAwsError(err) ?? err;
      const code = report(explained, io, debug);
      if (json && !wroteStdout) {
        const e = explained as { message?: string; hint?: string };
        stdout.write(`${JSON.stringify({ ok: false, error: { message: e.message, hint: e.hint, exitCode: code } }, null, 2)}\n`);
      }
      return code;
    }
  } finally {
    if (onSigint) process.off("SIGINT", onSigint);
    await new Promise<void>((resolve) => stdout.end(resolve));
  }
}
