// A target's container environment: the shared `env`, then the target's own `env` (it wins),
// values as strings. One rule for every target.
import type { Config, TargetName } from "./schema.js";

export function targetEnv(config: Config, target: TargetName): Record<string, string> {
  const merged = { ...config.env, ...(config.targets[target]?.env ?? {}) };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, String(v)]));
}
