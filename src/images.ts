// Which images a run needs: one per distinct (Dockerfile, context, platform, repository).
// The Lambda target may bring its own Dockerfile and repository (as in the tutorial:
// log-analyzer and lambda-log-analyzer), and its architecture decides its platform.
import path from "node:path";
import type { Config, TargetName } from "./config/schema.js";

export type ImageRegistry =
  | {
    type: "ecr"; repository: string; scanOnPush: boolean; tagMutability: "MUTABLE" | "IMMUTABLE"; keepImages: number;
    tagMutabilityExclusions?: string[];
  }
  | { type: "generic"; repository: string };

export interface ImageSpec {
  /** "app" for the shared image, "lambda" for the Lambda target's own. */
  key: string;
  /** Local image name (docker build -t NAME:TAG). */
  name: string;
  dockerfile: string;
  context: string;
  platform: "linux/amd64" | "linux/arm64";
  buildArgs: Record<string, string>;
  target?: string;
  labels: Record<string, string>;
  registry: ImageRegistry;
  /** Appended to the tag when two images share a repository but not a platform. */
  tagSuffix: string;
  targets: TargetName[];
}

function registryFor(config: Config, repositoryOverride?: string): ImageRegistry {
  const r = config.registry;
  if (r.type === "generic") {
    return { type: "generic", repository: repositoryOverride ? r.url.replace(/[^/]+$/, repositoryOverride) : r.url };
  }
  return { ...r, repository: repositoryOverride ?? r.repository ?? config.app };
}

/** The images needed for `targets` (all images the config defines when none are named). */
export function imagesFor(config: Config, root: string, targets: TargetName[]): ImageSpec[] {
  const base = config.image;
  const defaultPlatform = base.platform ?? "linux/amd64";
  const app: ImageSpec = {
    key: "app",
    name: registryFor(config).repository.split("/").pop()!,
    dockerfile: path.resolve(root, base.dockerfile),
    context: path.resolve(root, base.context),
    platform: defaultPlatform,
    buildArgs: base.buildArgs,
    target: base.target,
    labels: base.labels,
    registry: registryFor(config),
    tagSuffix: "",
    targets: [],
  };
  const specs: ImageSpec[] = [];
  const wanted = targets.length ? targets : ((Object.keys(config.targets) as TargetName[]).filter((t) => config.targets[t]));
  for (const t of wanted) {
    const lambda = t === "lambda" ? config.targets.lambda : undefined;
    let spec = app;
    if (lambda) {
      const own = lambda.image;
      const platform = lambda.architecture === "arm64" ? "linux/arm64" : "linux/amd64";
      const candidate: ImageSpec = {
        ...app,
        key: "lambda",
        dockerfile: own ? path.resolve(root, own.dockerfile) : app.dockerfile,
        context: own ? path.resolve(root, own.context) : app.context,
        buildArgs: own ? own.buildArgs : app.buildArgs,
        target: own ? own.target : app.target,
        platform,
        registry: registryFor(config, lambda.repository),
        targets: [],
      };
      candidate.name = candidate.registry.repository.split("/").pop()!;
      const same = candidate.dockerfile === app.dockerfile && candidate.context === app.context &&
        candidate.platform === app.platform && candidate.registry.repository === app.registry.repository &&
        candidate.target === app.target;
      if (!same) {
        if (candidate.registry.repository === app.registry.repository) candidate.tagSuffix = `-${platform.split("/")[1]}`;
        spec = candidate;
      }
    }
    if (!specs.includes(spec)) specs.push(spec);
    spec.targets.push(t);
  }
  if (specs.length === 0) specs.push(app);
  return specs.map((s) => ({ ...s, targets: [...s.targets] }));
}
