// Options every command accepts, and the I/O a run gets (injectable, so tests run the CLI in-process).
import type { Writable } from "node:stream";
import type { Overrides } from "../config/load.js";

export interface GlobalOptions extends Overrides {
  config?: string;
  dryRun?: boolean;
  json?: boolean;
  progress?: boolean;
  verbose?: boolean;
  debug?: boolean;
  /** Environment overlay: logship.<env>.yaml over logship.yaml. */
  env?: string;
  /** --skip-hooks */
  skipHooks?: boolean;
  yes?: boolean;
}

export interface Io {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal: spinners are allowed. */
  isTTY: boolean;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
  /** Can we ask the user a question? (stdin is a TTY and not CI) */
  interactive: boolean;
  confirm?: (question: string) => Promise<boolean>;
}
