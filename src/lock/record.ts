// The release record (issue #12): one entry per deploy, rollback and destroy, kept as the versions of
// the SSM parameter /logship/<app>/<target>/release (Parameter Store keeps the newest 100 versions:
// API_GetParameterHistory), so a team can tell who shipped the running image, from which commit.
import { overwriteParameter, parameterHistory } from "../aws/ssm.js";
import { utcClock } from "./holder.js";
import type { AwsClients } from "../aws/clients.js";

export type ReleaseAction = "deploy" | "rollback" | "destroy";
export type ReleaseResult = "ok" | "failed" | "interrupted";

export interface ReleaseEntry {
  time: string;
  target: string;
  action: ReleaseAction;
  result: ReleaseResult;
  /** sha256:… of the image the target runs after this action, when known. */
  digest?: string;
  /** A deploy or rollback that failed: the digest it tried (the target may still run the old one). */
  attempted?: string;
  tag?: string;
  /** The commit the image was built from (its revision label), when known. */
  sha?: string;
  /** The tag carries a -dirty.<hash> marker: built from files that differ from the commit. */
  dirty?: boolean;
  /** STS caller ARN. */
  by: string;
  ci?: string;
  /** What failed, or what the action did, in one line. */
  detail?: string;
}

export const recordName = (app: string, target: string) => `/logship/${app}/${target}/release`;

/** A standard parameter holds at most 4 KB (API_PutParameter, Value): a long detail is cut to fit. */
const MAX_VALUE = 4096;

export function encodeEntry(entry: ReleaseEntry): string {
  const text = JSON.stringify(entry);
  if (Buffer.byteLength(text) <= MAX_VALUE || !entry.detail) return text;
  const over = Buffer.byteLength(text) - MAX_VALUE;
  return JSON.stringify({ ...entry, detail: `${entry.detail.slice(0, Math.max(0, entry.detail.length - over - 20))}…` });
}

export async function appendRelease(aws: AwsClients, app: string, entry: ReleaseEntry): Promise<void> {
  await overwriteParameter(aws, recordName(app, entry.target), encodeEntry(entry));
}

/** Newest first; a version whose value is not an entry logship wrote is left out. */
export async function readReleases(aws: AwsClients, app: string, target: string): Promise<ReleaseEntry[]> {
  const versions = await parameterHistory(aws, recordName(app, target));
  return versions.flatMap((v) => {
    try {
      const e = JSON.parse(v.value) as ReleaseEntry;
      return e && typeof e.time === "string" && typeof e.action === "string" ? [e] : [];
    } catch {
      return [];
    }
  });
}


/** "2026-12-01 10:00:00 UTC  deploy    ok           sha256:3f2a9c1b… 1.4.0-45b7145  commit 45b7145  by arn:…  https://ci/…" */
export function formatEntry(e: ReleaseEntry): string {
  const image = e.digest ? `${e.digest.slice(0, 19)}…` : e.attempted ? `tried ${e.attempted.slice(0, 19)}…` : "";
  return [
    utcClock(e.time), e.action.padEnd(8), e.result.padEnd(11), image, e.tag ?? "",
    e.sha ? `commit ${e.sha.slice(0, 7)}${e.dirty ? " (dirty)" : ""}` : "", `by ${e.by}`, e.ci ?? "", e.detail && e.result !== "ok" ? `: ${e.detail}` : "",
  ].filter(Boolean).join("  ");
}

/** "the release deployed by X on <time> from commit Z", for rollback to say where it goes back to. */
export function describeRelease(e: ReleaseEntry): string {
  return `the release deployed by ${e.by} on ${utcClock(e.time)}${e.sha ? ` from commit ${e.sha.slice(0, 7)}${e.dirty ? " (dirty)" : ""}` : ""}`;
}
