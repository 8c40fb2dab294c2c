// Runs the real CLI in-process, as CI would: plain output, no terminal, no prompts unless given.
import { PassThrough } from "node:stream";
import { main } from "../../src/cli.js";
import type { Io } from "../../src/commands/globals.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions extends Partial<Omit<Io, "stdout" | "stderr">> {
  /** Called with all of stderr so far, each time more arrives (to act at a given moment). */
  onStderr?: (text: string) => void;
}

export async function runCli(argv: string[], o: CliOptions = {}): Promise<CliResult> {
  const { onStderr, ...io } = o;
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (d) => (stdout += d));
  err.on("data", (d) => {
    stderr += d;
    onStderr?.(stderr);
  });
  const code = await main(["node", "logship", ...argv], {
    stdout: out,
    stderr: err,
    env: { CI: "1" },
    cwd: process.cwd(),
    isTTY: false,
    signal: new AbortController().signal,
    interactive: false,
    ...io,
  });
  return { code, stdout, stderr };
}
