// One log event, one line on stdout: `<ISO time> <stream> <message>`, or with --json one JSON
// object per line (JSON Lines), so `logship logs … --json | jq` works while following.
import type { Writable } from "node:stream";

export interface LogEvent {
  /** Epoch milliseconds. */
  timestamp: number;
  /** The full stream name (CloudWatch) or the container name (local). */
  stream: string;
  message: string;
  /** CloudWatch's id, used to drop repeats while following. */
  eventId?: string;
}

/**
 * The part of a stream name that tells instances apart, shortened: Lambda's
 * "2026/11/25/[$LATEST]0f3c…" → "0f3c5e7a"; ECS "ecs/Main/9b1e…" and App Runner "instance/4d2a…" alike.
 */
export function shortStream(stream: string): string {
  const last = stream.split("/").at(-1) ?? stream;
  const id = last.replace(/^\[[^\]]*\]/, "");
  return /^[0-9a-f]{16,}$/i.test(id) ? id.slice(0, 8) : id || stream;
}

export function formatEvent(e: LogEvent, json: boolean): string {
  const time = new Date(e.timestamp).toISOString();
  // Lambda and most runtimes end a message with a newline; the line break is ours to add.
  const message = e.message.replace(/\r?\n$/, "");
  if (json) return `${JSON.stringify({ timestamp: time, stream: e.stream, message })}\n`;
  return `${time} ${shortStream(e.stream)} ${message}\n`;
}

/** Writes and waits when the pipe is full, so `logship logs | less` does not buffer without bound. */
export function writeLine(out: Writable, line: string): Promise<void> {
  if (out.write(line)) return Promise.resolve();
  return new Promise((resolve) => {
    // A closed pipe (`| head`) never drains: stop waiting then too.
    const done = () => {
      for (const ev of ["drain", "close", "error"]) out.off(ev, done);
      resolve();
    };
    for (const ev of ["drain", "close", "error"]) out.once(ev, done);
  });
}
