// What a command hands back, and the one place it reaches stdout: with --json one envelope
// `{command, ok, dryRun, …the command's own fields, error}`, otherwise the command's text (a URL, a
// table, the dry-run plan). Commands return a CommandResult; they never write to stdout themselves.
import { Writable } from "node:stream";
import { exitCodeAfter, hintOf } from "../errors.js";

export interface CommandResult {
  /** The command as the envelope names it: "deploy lambda", "ship local lambda", "doctor". */
  command: string;
  dryRun: boolean;
  /** The command's own fields of the --json document (images, steps, findings, releases, …). */
  fields?: Record<string, unknown>;
  /** stdout without --json; nothing when absent. */
  text?: string;
  /** The failure that sets the exit code. `ok` is exactly "no error". */
  error?: unknown;
  /**
   * `logs`: the events went to stdout as they came (JSON Lines with --json, so `--follow` can
   * stream and `jq` reads each line), so there is no closing document.
   */
  streamed?: boolean;
}

/** The envelope's error: the message and hint the user sees on stderr, and the exit code the process ends with. */
export interface ErrorFields {
  message: string;
  hint?: string;
  exitCode: number;
}

export const errorFields = (err: unknown, signal: AbortSignal | undefined): ErrorFields => ({
  message: err instanceof Error ? err.message : String(err),
  hint: hintOf(err),
  exitCode: exitCodeAfter(err, signal),
});

/** The AWS SDK's raw errors, explained once (src/aws/errors.ts), so the document and stderr say the same. */
async function explained(err: unknown): Promise<unknown> {
  if (err === undefined) return undefined;
  const { explainAwsError } = await import("../aws/errors.js");
  return explainAwsError(err) ?? err;
}

export function envelope(result: CommandResult, signal: AbortSignal | undefined): Record<string, unknown> {
  const { command, dryRun, fields, error } = result;
  return { command, ok: error === undefined, dryRun, ...fields, ...(error === undefined ? {} : { error: errorFields(error, signal) }) };
}

const document = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/**
 * stdout for one run. It counts what reaches it, so that a failure no command reported (a usage
 * error, a config file that does not parse) still gives --json one document, and never a second one.
 */
export class Output {
  private wrote = false;
  /** What commander's help and `logs` (which streams) write to. */
  readonly stdout: Writable;

  constructor(private readonly io: { stdout: Writable; signal?: AbortSignal }, private readonly json: boolean) {
    this.stdout = new Writable({
      write: (chunk, _enc, done) => {
        this.wrote = true;
        io.stdout.write(chunk, done);
      },
    });
  }

  /**
   * Writes a command's result (its envelope with --json, else its text), then throws its error for the
   * exit code. A command that streamed (`logs`) and then failed gets no envelope after its lines.
   */
  async finish(result: CommandResult): Promise<void> {
    const error = await explained(result.error);
    if (this.json && !result.streamed && !this.wrote) this.stdout.write(document(envelope({ ...result, error }, this.io.signal)));
    else if (!this.json && result.text) this.stdout.write(result.text.endsWith("\n") ? result.text : `${result.text}\n`);
    if (error !== undefined) throw error;
  }

  /**
   * A failure no command result carries (a usage error: commander could not read the command line,
   * so no command is claimed): with --json, `{ok: false, error}` unless stdout already has output.
   */
  fail(error: ErrorFields): void {
    if (this.json && !this.wrote) this.stdout.write(document({ ok: false, error }));
  }

  end(): Promise<void> {
    return new Promise((resolve) => this.stdout.end(resolve));
  }
}

/** For a caller with no Output of its own (tests, one-off use): write `result` to `io.stdout` as a run would. */
export const writeResult = (result: CommandResult, json: boolean, io: { stdout: Writable; signal?: AbortSignal }) =>
  new Output(io, json).finish(result);
