// Two kinds of failure (see DESIGN.md "Output and exit codes"): expected ones the user can act on
// (UserError, DeployError: a message and a hint, never a stack) and bugs (anything else: exit 70).

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  bug: 70,
  interrupted: 130,
} as const;

/**
 * The base of every failure the user can act on: a message, an optional hint (what to do next) and
 * a fixed exit code. Anything that is not an ExpectedError is a bug (exit 70). One base, so code
 * that reports an error reads `err.hint` with no cast and no guess at which subclass it is.
 */
export abstract class ExpectedError extends Error {
  abstract readonly exitCode: number;
  constructor(message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad flags, bad config, a missing file the user named: exit 2. */
export class UserError extends ExpectedError {
  readonly exitCode: number = EXIT.usage;
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = "UserError";
  }
}

/** Several config problems reported together; each line names its field. */
export class ConfigError extends UserError {
  constructor(readonly problems: string[], readonly file?: string) {
    super(
      `${file ? `${file}: ` : ""}${problems.length} problem${problems.length === 1 ? "" : "s"} in the config:\n` +
        problems.map((p) => `  ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** The environment or a remote system said no: Docker down, AWS refused, smoke test failed. Exit 1. */
export class DeployError extends ExpectedError {
  readonly exitCode: number = EXIT.failure;
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, hint, options);
    this.name = "DeployError";
  }
}

/** Ctrl-C: we stopped waiting. Exit 130. */
export class InterruptedError extends ExpectedError {
  readonly exitCode: number = EXIT.interrupted;
  constructor(message = "interrupted") {
    super(message);
    this.name = "InterruptedError";
  }
}

export function isExpected(err: unknown): err is ExpectedError {
  return err instanceof ExpectedError;
}

/** The hint of an expected error; anything else has none. */
export const hintOf = (err: unknown): string | undefined => (isExpected(err) ? err.hint : undefined);

export function exitCodeOf(err: unknown): number {
  return isExpected(err) ? err.exitCode : EXIT.bug;
}

/** The signals that stop a run, by number: the exit code is 128 + n, as a shell reports it. */
export const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * A failure of a run that a SIGTERM or SIGHUP stopped (the abort reason src/cli.ts gives) exits
 * 128 + the signal's number, whatever the failure it caused; the --json document says the same.
 */
export function signalExitCode(code: number, signal: AbortSignal | undefined): number {
  const name = signal?.aborted ? signal.reason : undefined;
  return code !== EXIT.ok && typeof name === "string" && name in STOP_SIGNALS
    ? 128 + STOP_SIGNALS[name as keyof typeof STOP_SIGNALS]
    : code;
}

export const exitCodeAfter = (err: unknown, signal: AbortSignal | undefined) => signalExitCode(exitCodeOf(err), signal);

export function throwIfAborted(signal: AbortSignal | undefined, what = "interrupted"): void {
  if (signal?.aborted) throw new InterruptedError(what);
}
