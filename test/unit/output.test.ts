// The one output module: terminal policy (src/ui/output.ts) and the one way a result reaches stdout
// (src/ui/result.ts); plus the typed command table (src/dispatch.ts).
import { describe, expect, it } from "vitest";
import { colorOn, outputMode, terminalFacts } from "../../src/ui/output.js";
import { envelope, Output, writeResult } from "../../src/ui/result.js";
import { action } from "../../src/dispatch.js";
import { DeployError, UserError } from "../../src/errors.js";
import { captureStream } from "../helpers/context.js";
import type { DeployOptions, GlobalOptions, Io } from "../../src/commands/globals.js";

describe("terminal policy", () => {
  it("a terminal with no width is no terminal (ora would loop); CI never prompts", () => {
    expect(terminalFacts({ stdin: { isTTY: true }, stderr: { isTTY: true, columns: 80 }, env: {} })).toEqual({ isTTY: true, interactive: true });
    expect(terminalFacts({ stdin: { isTTY: true }, stderr: { isTTY: true, columns: 0 }, env: {} }).isTTY).toBe(false);
    expect(terminalFacts({ stdin: { isTTY: true }, stderr: { isTTY: true, columns: 80 }, env: { CI: "true" } }).interactive).toBe(false);
    expect(terminalFacts({ stdin: {}, stderr: {}, env: {} })).toEqual({ isTTY: false, interactive: false });
  });

  it("colour only on a terminal, outside CI, without NO_COLOR; --json wins over every mode", () => {
    expect(colorOn({ isTTY: true, env: {} })).toBe(true);
    expect(colorOn({ isTTY: true, env: { NO_COLOR: "1" } })).toBe(false);
    expect(colorOn({ isTTY: true, env: { CI: "1" } })).toBe(false);
    expect(colorOn({ isTTY: false, env: {} })).toBe(false);
    expect(outputMode({ json: true, progress: false }, { isTTY: true, env: {} })).toBe("json");
  });
});

describe("a command's result on stdout", () => {
  const signal = new AbortController().signal;

  it("--json: one envelope, command/ok/dryRun first and the error last, with the exit code", async () => {
    const out = captureStream();
    const err = await writeResult({ command: "status", dryRun: false, fields: { targets: [] }, text: "ignored", error: new DeployError("boom", "fix it") }, true, { stdout: out.stream, signal })
      .catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    const doc = JSON.parse(out.text());
    expect(doc).toEqual({ command: "status", ok: false, dryRun: false, targets: [], error: { message: "boom", hint: "fix it", exitCode: 1 } });
    expect(Object.keys(doc)).toEqual(["command", "ok", "dryRun", "targets", "error"]);
  });

  it("without --json: the text, ending in one newline, and nothing when there is none", async () => {
    const out = captureStream();
    await writeResult({ command: "deploy local", dryRun: false, text: "http://127.0.0.1:8000/" }, false, { stdout: out.stream });
    await writeResult({ command: "init", dryRun: false }, false, { stdout: out.stream });
    expect(out.text()).toBe("http://127.0.0.1:8000/\n");
  });

  it("a command that streamed (logs) gets no closing document, also when it then fails", async () => {
    const out = captureStream();
    const output = new Output({ stdout: out.stream, signal }, true);
    output.stdout.write('{"message":"hello"}\n');
    await expect(output.finish({ command: "logs lambda", dryRun: false, error: new UserError("stopped") })).rejects.toThrow("stopped");
    await output.finish({ command: "logs lambda", dryRun: false, streamed: true });
    output.fail({ message: "late", exitCode: 1 });
    await output.end();
    expect(out.text()).toBe('{"message":"hello"}\n');
  });

  it("a usage error claims no command: only ok and error", async () => {
    const out = captureStream();
    const output = new Output({ stdout: out.stream, signal }, true);
    output.fail({ message: "unknown option '--bogus'", hint: "run with --help for usage", exitCode: 2 });
    await output.end();
    expect(JSON.parse(out.text())).toEqual({ ok: false, error: { message: "unknown option '--bogus'", hint: "run with --help for usage", exitCode: 2 } });
    expect(envelope({ command: "build", dryRun: true }, signal)).toEqual({ command: "build", ok: true, dryRun: true });
  });
});

describe("the typed command table", () => {
  it("a call must match the command's own parameters (checked by `npm run typecheck`)", () => {
    const out = captureStream();
    const io = { stdout: out.stream } as unknown as Io;
    const output = new Output(io, false);
    // Built, never run: each line is here for the compiler.
    const fine = action("deploy", output, (m, o: DeployOptions, target: string) => m.deploy(target, o, io));
    // @ts-expect-error deploy takes (target, options, io): swapping the first two does not compile
    action("deploy", output, (m, o: DeployOptions, target: string) => m.deploy(o, target, io));
    // @ts-expect-error build takes a list of targets, not one
    action("build", output, (m, o: GlobalOptions, target: string) => m.build(target, o, io));
    // @ts-expect-error there is no command "deploi"
    action("deploi", output, (m: never, o: GlobalOptions) => m);
    expect(typeof fine).toBe("function");
  });
});
