// Who holds a deploy lock, as written in its parameter's value: enough for a teammate to find the run
// (caller, host, pid, command, commit, CI run) and for logship to tell its own lock from another's.

export interface Holder {
  /** This run's random id: how a run recognises its own lock. */
  id: string;
  /** STS caller ARN. */
  by: string;
  host: string;
  pid: number;
  /** "logship deploy lambda". */
  command: string;
  /** The commit being deployed, when known. */
  sha?: string;
  ci?: string;
  /** When the lock was taken (ISO time). */
  since: string;
  /** How long a lock lives without a renewal. */
  ttlSeconds: number;
}

/**
 * The CI run's URL where the CI exports one: GitHub Actions (GITHUB_SERVER_URL/…/actions/runs/ID),
 * GitLab (CI_JOB_URL), Buildkite (BUILDKITE_BUILD_URL), CircleCI (CIRCLE_BUILD_URL), Jenkins (BUILD_URL).
 */
export function ciRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL ?? "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return env.CI_JOB_URL || env.BUILDKITE_BUILD_URL || env.CIRCLE_BUILD_URL || env.BUILD_URL || undefined;
}

/** The holder in a parameter value, or undefined when the value is not one logship wrote. */
export function parseHolder(text: string): Holder | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const h = v as Partial<Holder>;
  const ok = !!h && typeof h === "object" && typeof h.id === "string" && typeof h.by === "string" &&
    typeof h.host === "string" && typeof h.pid === "number" && typeof h.since === "string" &&
    typeof h.ttlSeconds === "number" && h.ttlSeconds > 0 && !Number.isNaN(Date.parse(h.since));
  return ok ? (h as Holder) : undefined;
}

/** "2026-12-01 10:00:00 UTC": how the lock and the record show a time. */
export const utcClock = (d: Date | string) => new Date(d).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");

/** "arn:…/ci on runner-1 (pid 4242, logship deploy lambda, commit 1a2b3c4, https://…) since …, until …". */
export function describeHolder(h: Holder, until: Date): string {
  const details = [`pid ${h.pid}`, h.command, h.sha ? `commit ${h.sha.slice(0, 7)}` : undefined, h.ci].filter(Boolean).join(", ");
  return `${h.by} on ${h.host} (${details}) since ${utcClock(h.since)}, until ${utcClock(until)}`;
}
