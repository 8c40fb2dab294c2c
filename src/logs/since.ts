// `--since` and `--filter` as the user types them, turned into what CloudWatch and docker want.
import { UserError } from "../errors.js";

export const DEFAULT_SINCE = "10m";

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export interface Since {
  /** Epoch milliseconds: FilterLogEvents startTime. */
  startTime: number;
  /** The same point for `docker logs --since` (a Go duration or an RFC 3339 time). */
  docker: string;
}

/** "30s", "10m", "2h", "1d", or an ISO 8601 time ("2026-11-25T08:00:00Z"). */
export function parseSince(value: string | undefined, now: number = Date.now()): Since {
  const text = (value ?? DEFAULT_SINCE).trim();
  const rel = /^(\d+)(s|m|h|d)$/.exec(text);
  if (rel) {
    const n = Number(rel[1]);
    const unit = rel[2] as keyof typeof UNIT_MS;
    // Go durations (docker's --since) have no "d": say it in hours.
    return { startTime: now - n * UNIT_MS[unit], docker: unit === "d" ? `${n * 24}h` : text };
  }
  // Only full dates: Date.parse alone would take "10" or "May 1" too.
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const t = Date.parse(text);
    if (Number.isFinite(t)) return { startTime: t, docker: new Date(t).toISOString() };
  }
  throw new UserError(
    `--since: "${text}" is not a duration or a time`,
    "use a duration such as 30s, 10m, 2h or 1d, or an ISO time such as 2026-11-25T08:00:00Z",
  );
}

/**
 * CloudWatch reads a bare `--filter` as a pattern: `user-id=42` would be a syntax error and
 * `ERROR timeout` means two terms. Quoting makes plain text one literal, case-sensitive term.
 * Text that is already a pattern (quoted, {JSON}, [space-delimited], %regex%) goes through as is.
 */
export function filterPattern(filter: string | undefined): string | undefined {
  if (filter === undefined || filter === "") return undefined;
  if (/^\s*["{[%]/.test(filter)) return filter;
  return `"${filter.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
