// Where the next poll of a followed log group starts, so it repeats nothing and skips nothing.
// A poll starts AT the newest timestamp seen so far (never one millisecond after it: another event
// with that same timestamp may be ingested after the poll that returned its sibling), less a
// look-back: CloudWatch makes events searchable seconds after their timestamp, and one instance's
// stream can lag another's, so an event older than the newest one printed may still turn up.
// The eventIds printed inside the window are what lets us drop the repeats.
import type { LogEvent } from "./format.js";

export class Cursor {
  /** Printed ids with their timestamps, for events at or after the current window's start. */
  private seen = new Map<string, number>();
  private newest: number;

  constructor(private readonly from: number, private readonly lookbackMs = 0) {
    this.newest = from;
  }

  /** Call before each poll: the startTime to ask for. */
  begin(): number {
    const start = Math.max(this.from, this.newest - this.lookbackMs);
    for (const [id, ts] of this.seen) if (ts < start) this.seen.delete(id);
    return start;
  }

  /** True when the event is new (and records it), false for a repeat. Any order within a poll. */
  accept(e: LogEvent): boolean {
    if (e.eventId !== undefined) {
      if (this.seen.has(e.eventId)) return false;
      this.seen.set(e.eventId, e.timestamp);
    }
    if (e.timestamp > this.newest) this.newest = e.timestamp;
    return true;
  }
}
