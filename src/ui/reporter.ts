// Progress on stderr: spinners in a TTY, one plain line per event in CI, when piped and with --json.
// Which mode a run gets is decided in src/ui/output.ts; stdout belongs to src/ui/result.ts alone.
import type { Writable } from "node:stream";

export type StepStatus = "done" | "skipped" | "failed" | "planned";

export interface StepEvent {
  id: string;
  title: string;
  group?: string;
}

export interface Reporter {
  stepStart(e: StepEvent): void;
  stepEnd(e: StepEvent & { status: StepStatus; detail?: string; ms: number }): void;
  /** A line under the current step (docker output), shown only with --verbose or in plain mode's debug. */
  progress(e: StepEvent, line: string): void;
  info(message: string): void;
  warn(message: string): void;
  close(): void;
}

export interface ReporterOptions {
  stdout: Writable;
  stderr: Writable;
  mode: "tty" | "plain" | "json";
  color: boolean;
  verbose?: boolean;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[39m` : s);
export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;

const SYMBOL: Record<StepStatus, [string, number]> = {
  done: ["✔", 32],
  skipped: ["↷", 90],
  failed: ["✖", 31],
  planned: ["•", 36],
};

export function lineFor(e: StepEvent & { status: StepStatus; detail?: string; ms: number }, color: boolean): string {
  const [sym, code] = SYMBOL[e.status];
  const group = e.group ? `[${e.group}] ` : "";
  const detail = e.detail ? ` — ${e.detail}` : "";
  const time = e.status === "planned" ? "" : ` (${seconds(e.ms)})`;
  return `${paint(color, code, sym)} ${group}${e.title}${detail}${paint(color, 90, time)}`;
}

/** Plain mode: CI, pipes, --no-progress, and --json (whose stderr stays human). */
export class PlainReporter implements Reporter {
  constructor(protected o: ReporterOptions) {}
  stepStart(e: StepEvent) {
    if (this.o.mode !== "json") this.o.stderr.write(`→ ${e.group ? `[${e.group}] ` : ""}${e.title}\n`);
  }
  stepEnd(e: StepEvent & { status: StepStatus; detail?: string; ms: number }) {
    this.o.stderr.write(`${lineFor(e, this.o.color)}\n`);
  }
  progress(e: StepEvent, line: string) {
    if (this.o.verbose) this.o.stderr.write(`  ${e.group ? `[${e.group}] ` : ""}${line}\n`);
  }
  info(message: string) {
    this.o.stderr.write(`${message}\n`);
  }
  warn(message: string) {
    this.o.stderr.write(`${paint(this.o.color, 33, "warning:")} ${message}\n`);
  }
  close() {}
}

/** TTY mode: one ora spinner naming every running step with its elapsed time. */
export class TtyReporter extends PlainReporter {
  private running = new Map<string, { e: StepEvent; started: number }>();
  private spinner: import("ora").Ora | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(o: ReporterOptions, private ora: typeof import("ora").default) {
    super(o);
  }

  private key = (e: StepEvent) => `${e.group ?? ""}/${e.id}`;

  private render() {
    if (!this.spinner) return;
    const now = Date.now();
    this.spinner.text = [...this.running.values()]
      .map(({ e, started }) => `${e.group ? `[${e.group}] ` : ""}${e.title} ${paint(this.o.color, 90, seconds(now - started))}`)
      .join("  ·  ");
  }

  stepStart(e: StepEvent) {
    this.running.set(this.key(e), { e, started: Date.now() });
    if (!this.spinner) {
      this.spinner = this.ora({ stream: this.o.stderr as NodeJS.WriteStream, color: "cyan", isEnabled: true, discardStdin: false }).start();
      this.timer = setInterval(() => this.render(), 250);
      this.timer.unref();
    }
    this.render();
  }

  stepEnd(e: StepEvent & { status: StepStatus; detail?: string; ms: number }) {
    this.running.delete(this.key(e));
    this.spinner?.clear();
    this.o.stderr.write(`${lineFor(e, this.o.color)}\n`);
    if (this.running.size === 0) this.stop();
    else this.render();
  }

  private withSpinnerPaused(write: () => void) {
    this.spinner?.clear();
    write();
    this.spinner?.render();
  }

  info(message: string) {
    this.withSpinnerPaused(() => super.info(message));
  }
  warn(message: string) {
    this.withSpinnerPaused(() => super.warn(message));
  }
  progress(e: StepEvent, line: string) {
    if (this.o.verbose) this.withSpinnerPaused(() => super.progress(e, line));
  }

  private stop() {
    if (this.timer) clearInterval(this.timer);
    this.spinner?.stop();
    this.spinner = undefined;
    this.timer = undefined;
  }

  close() {
    this.stop();
  }
}

export async function createReporter(o: ReporterOptions): Promise<Reporter> {
  if (o.mode !== "tty") return new PlainReporter(o);
  const { default: ora } = await import("ora");
  return new TtyReporter(o, ora);
}
