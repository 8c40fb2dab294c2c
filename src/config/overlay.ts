// Environments: `--env staging` lays logship.staging.yaml over logship.yaml (deep merge; lists and
// scalars replace; null removes a key). The merged result is validated as one config.
import path from "node:path";

export const ENV_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

export function overlayFile(baseFile: string, env: string): string {
  const ext = path.extname(baseFile);
  return path.join(path.dirname(baseFile), `${path.basename(baseFile, ext)}.${env}${ext}`);
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? deepMerge(out[k], v) : v;
  }
  return out;
}

/** Does the overlay set this path (so a problem there is the overlay's)? Path as printed: a.b[0].c */
export function overlaySets(overlay: unknown, printedPath: string): boolean {
  const parts = printedPath.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
  let node: unknown = overlay;
  for (const p of parts) {
    if (Array.isArray(node)) return true; // lists replace whole: the overlay owns everything below
    if (!isMapping(node) || !(p in node)) return false;
    node = node[p];
  }
  return true;
}
