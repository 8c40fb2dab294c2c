// Runs the command line (src/program.ts) and maps every outcome to an exit code. main() returns the code
// (only a second Ctrl-C exits at once), so tests run the whole CLI in-process.
import { CommanderError } from "commander";
import { buildProgram } from "./program.js";
import { EXIT, exitCodeOf, isExpected, signalExitCode, STOP_SIGNALS } from "./errors.js";
import { terminalConfirm, terminalFacts } from "./ui/output.js";
import { errorFields, Output } from "./ui/result.js";
import type { Io } from "./commands/globals.js";

export { buildProgram };

function report(err: unknown, io: Io, debug: boolean): number {
  const code = exitCodeOf(err);
  if (isExpected(err)) {
    io.stderr.write(`error: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
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
    // TTY, CI and "may we ask" are decided in src/ui/output.ts.
    ...terminalFacts(),
    signal,
    confirm: terminalConfirm(signal),
  };
}

/**
 * The signals that stop a run: Ctrl-C, `kill`/`timeout`/a CI job cancel, a closed terminal. Node's
 * default for each is to die on the spot, running no cleanup, which left the ECR token on disk.
 * Handled, each stops the run like Ctrl-C; the exit code is 128 + the signal's number, as a shell reports.
 */
type StopSignal = keyof typeof STOP_SIGNALS;

function onStopSignals(io: Io, controller: AbortController): { off: () => void } {
  let caught: StopSignal | undefined;
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((name) => {
    const handler = () => {
      // A second signal: leave at once. process.exit runs the 'exit' hook that removes temp folders.
      if (caught) process.exit(128 + STOP_SIGNALS[name]);
      caught = name;
      io.stderr.write(name === "SIGINT"
        ? "\ninterrupting… (press Ctrl-C again to quit at once)\n"
        : `\n${name}: stopping and cleaning up… (send it again to quit at once)\n`);
      controller.abort(name); // the reason: --json documents report 143 or 129 too (exitCodeAfter)
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return { off: () => handlers.forEach(([name, handler]) => process.off(name, handler)) };
}

/** commander's message without its "error: " prefix; `logship` with no command has none of its own. */
const usageMessage = (err: CommanderError) =>
  err.code === "commander.help" ? "no command given" : err.message.replace(/^error: /, "");

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io?: Io): Promise<number> {
  const controller = new AbortController();
  let signals: ReturnType<typeof onStopSignals> | undefined;
  if (!io) {
    io = defaultIo(controller.signal);
    signals = onStopSignals(io, controller);
  }
  const debug = argv.includes("--debug");
  // With --json, stdout always gets one document, even when we fail before a command could write one.
  const output = new Output(io, argv.includes("--json"));
  const outcome = async (): Promise<number> => {
    try {
      await buildProgram(io!, output).parseAsync(argv);
      return EXIT.ok;
    } catch (err) {
      if (err instanceof CommanderError) {
        if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT.ok;
        // `logship` with no command prints help and exits 2, like any other missing argument.
        if (err.exitCode === 0 && err.code !== "commander.help") return EXIT.ok;
        output.fail({ message: usageMessage(err), hint: "run with --help for usage", exitCode: EXIT.usage });
        return EXIT.usage;
      }
      // A command's own failure already has its envelope (src/dispatch.ts); this covers anything else.
      const { explainAwsError } = await import("./aws/errors.js");
      const explained = explainAwsError(err) ?? err;
      const code = report(explained, io!, debug);
      output.fail({ ...errorFields(explained, controller.signal), exitCode: signalExitCode(code, controller.signal) });
      return code;
    }
  };
  try {
    // Stopped by a signal: say so in the exit code (SIGTERM 143, SIGHUP 129, SIGINT 130).
    return signalExitCode(await outcome(), controller.signal);
  } finally {
    signals?.off();
    await output.end();
  }
}
