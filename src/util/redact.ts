// The last line of defence for --dry-run and --json: whatever a step's describe() returns, container
// environment values are replaced by "***" before they are printed. Names stay, so the plan is still
// useful; values may be secrets (DESIGN.md: secrets never appear in --dry-run or --json).

/** Keys whose value is a { NAME: value } map of environment variables. */
const ENV_MAPS = new Set(["RuntimeEnvironmentVariables", "Variables"]);
/** Keys whose value is a [{ name, value }] list of environment variables (ECS). */
const ENV_LISTS = new Set(["environment"]);

export function redactEnvValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactEnvValues);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (ENV_MAPS.has(k) && typeof v === "object" && v !== null && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.keys(v).map((name) => [name, "***"]));
    } else if (ENV_LISTS.has(k) && Array.isArray(v)) {
      out[k] = v.map((e) => (typeof e === "object" && e !== null && "value" in e ? { ...e, value: "***" } : e));
    } else {
      out[k] = redactEnvValues(v);
    }
  }
  return out;
}
