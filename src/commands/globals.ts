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
  /** -y on destroy and migrate; here because steps read it through ctx.options. */
  yes?: boolean;
  /** --lock-wait on the writing commands: how long to wait for a held deploy lock (src/lock/guard.ts). */
  lockWait?: string;
}

/** build, push: --tag and --platform (Overrides) are all they add. */
export type ImageOptions = GlobalOptions;

/** deploy, ship: what steps read back through ctx.options. */
export interface DeployOptions extends GlobalOptions {
  /** --recreate: delete and create again what failed to create. */
  recreate?: boolean;
  /** --no-smoke gives false. */
  smoke?: boolean;
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
  /** Ask a yes/no question on the terminal; `preview` (a diff) goes to stdout first, as data. */
  confirm?: (question: string, preview?: string) => Promise<boolean>;
}
