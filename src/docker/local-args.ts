// Pure argv builders for what `deploy local` and `status local` need beyond src/docker/args.ts:
// the swap of the running container and the search for whoever holds a host port.

/**
 * `docker stop` sends SIGTERM and waits this long before SIGKILL. Shorter than docker's 10 s: the
 * stop is the gap in service during a swap, and an app that ignores SIGTERM (any PID 1 without a
 * handler) would make every deploy 10 s longer; an app that handles it exits at once anyway.
 */
export const STOP_GRACE_SECONDS = 3;

export const dockerStopArgs = (name: string) => ["stop", "--time", String(STOP_GRACE_SECONDS), name];
export const dockerStartArgs = (name: string) => ["start", name];
export const dockerRenameArgs = (from: string, to: string) => ["rename", from, to];

/** Every container docker counts as up (running, restarting or paused): each may hold its ports. */
export const dockerRunningIdsArgs = () => ["ps", "--quiet", "--no-trunc"];

/** Several containers at once: one JSON array, in the order given. */
export const dockerInspectContainersArgs = (ids: string[]) => ["container", "inspect", ...ids];

/** The `die` events docker still holds for one container: each line is an exit code. */
export const dockerDieEventsArgs = (id: string, untilEpochSeconds: number) =>
  ["events", "--since", "0", "--until", String(untilEpochSeconds), "--filter", `container=${id}`, "--filter", "event=die", "--format", "{{.Actor.Attributes.exitCode}}"];
