// What the waits of App Runner and ECS share: how long and how often they poll (src/util/poll.ts),
// and which operation or deployment counts as the one our Create/Update started when AWS's answer
// did not name it: judged by AWS's timestamps against our local clock, which may be off by a little.

/** A service can stay busy for many minutes (creation, a slow health check, a canary's bakes). */
export const SERVICE_WAIT = {
  timeoutMs: 30 * 60_000,
  firstDelayMs: 5_000,
  maxDelayMs: 15_000,
};

/** Local clock vs AWS's: one started up to this long "before" our call may still be ours. */
export const CLOCK_SKEW_MS = 60_000;

/** The earliest AWS start time that may belong to a call made at local time `since`. */
export const earliestOurs = (since: Date) => new Date(since.getTime() - CLOCK_SKEW_MS);

/** One that had already ended before our call cannot be ours (an earlier one, perhaps failed). */
export const endedBefore = (ended: Date | undefined, since: Date) => !!ended && ended < since;
