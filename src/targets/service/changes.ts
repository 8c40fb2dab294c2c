// What a dry run says a service write changes, field by field ("cpu 1024 → 2048", "image 3f2a9c1b4d5e
// → 9c1b4d5e3f2a"), for App Runner and ECS alike (their changes.ts map their drift onto these). Env
// values never appear: they may be secrets, so only the names that were added, removed or changed do.

/** An image by its digest's first 12 hex digits (as the step details show it), else by its tag. */
export function shortImage(ref: string | undefined): string {
  if (!ref) return "none";
  const digest = /@sha256:([0-9a-f]{12})/.exec(ref);
  if (digest) return digest[1];
  return ref.split("/").pop() ?? ref;
}

export const imageChange = (from: string | undefined, to: string) => `image ${shortImage(from)} → ${shortImage(to)}`;

/** "cpu 1024 → 2048"; an unset value shows as "default". */
export const valueChange = (what: string, from: unknown, to: unknown) => `${what} ${from ?? "default"} → ${to ?? "default"}`;

/** The last part of a role ARN ("arn:…:role/service-role/x" → "x"). */
export const roleName = (arn: string | undefined) => arn?.split("/").pop() ?? "none";

/** "env: API_TOKEN changed, DEBUG added": names only, values may be secrets. */
export function namedChanges(what: string, now: Record<string, string>, want: Record<string, string>): string {
  const names = [...new Set([...Object.keys(now), ...Object.keys(want)])].sort();
  const each = names.flatMap((k) => {
    if (!(k in now)) return [`${k} added`];
    if (!(k in want)) return [`${k} removed`];
    return now[k] !== want[k] ? [`${k} changed`] : [];
  });
  return `${what}: ${each.join(", ")}`;
}
