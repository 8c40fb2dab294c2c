// doctor (and deploy's stateful-app warning): lint each image's Dockerfile — layer caching, base
// tag, root user, .dockerignore, database files baked in.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { readDockerignore } from "../build-context.js";
import { lintDockerfile } from "../lint/dockerfile.js";
import { dataFilesInContext } from "./context-files.js";
import type { ImageSpec } from "../images.js";
import type { Context } from "../steps/types.js";
import type { Finding } from "./finding.js";

export async function lintImage(spec: ImageSpec): Promise<(Finding & { line?: number })[]> {
  const text = await readFile(spec.dockerfile, "utf8").catch(() => undefined);
  if (text === undefined) return [];
  const hasDockerignore = (await readDockerignore(spec.context, spec.dockerfile)).file !== undefined;
  const contextFiles = await dataFilesInContext(spec.context, spec.dockerfile);
  return lintDockerfile(text, { hasDockerignore, contextFiles });
}

export async function dockerfileChecks(ctx: Context): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const image of ctx.images.values()) {
    const rel = path.relative(ctx.cwd, image.spec.dockerfile) || image.spec.dockerfile;
    const findings = await lintImage(image.spec);
    if (!findings.length) out.push({ id: "dockerfile", severity: "ok", what: `${rel}: no problems found` });
    for (const f of findings) out.push({ ...f, id: `dockerfile.${f.id}`, what: `${rel}${f.line ? `:${f.line}` : ""}: ${f.what}` });
  }
  return out;
}

/** Before deploying to an AWS target: say so when data written in the container will be lost. */
export async function warnIfStateful(ctx: Context, targets: string[]): Promise<void> {
  const remote = [...ctx.images.values()].filter((i) => i.spec.targets.some((t) => t !== "local" && targets.includes(t)));
  for (const image of remote) {
    for (const f of (await lintImage(image.spec)).filter((x) => x.id === "stateful-data" || x.id === "volume")) {
      ctx.reporter.warn(`${f.what}: ${f.why}. To keep it: ${f.fix}.`);
    }
  }
}
