// Before any step runs: which images, which tags, and the preflight checks that need no writes
// (Dockerfile present, Docker running, local image present). Bad input fails here, before anything changes.
import { access, stat } from "node:fs/promises";
import path from "node:path";
import { imagesFor, type ImageSpec } from "../images.js";
import { readVersion, tagForImage } from "../tag-policy.js";
import { readGit } from "../util/git.js";
import { DeployError, UserError } from "../errors.js";
import { detectBuildKit, ensureDockerReady } from "../docker/engine.js";
import { dockerInspectImageArgs } from "../docker/args.js";
import type { TargetName } from "../config/schema.js";
import type { Context, ImageState } from "../steps/types.js";

function fieldFor(spec: ImageSpec, ctx: Context, key: "dockerfile" | "context"): string {
  return spec.key === "lambda" && ctx.config.targets.lambda?.image ? `targets.lambda.image.${key}` : `image.${key}`;
}

async function checkFiles(ctx: Context, spec: ImageSpec): Promise<void> {
  const rel = (p: string) => path.relative(ctx.cwd, p) || ".";
  const dir = await stat(spec.context).catch(() => undefined);
  if (!dir?.isDirectory()) {
    throw new UserError(`${fieldFor(spec, ctx, "context")}: ${rel(spec.context)} is not a directory`, "point it at the build context (usually \".\")");
  }
  if (!(await access(spec.dockerfile).then(() => true, () => false))) {
    throw new UserError(
      `${fieldFor(spec, ctx, "dockerfile")}: ${rel(spec.dockerfile)} does not exist`,
      "fix the path in logship.yaml, or run `logship init` to write a Dockerfile",
    );
  }
}

/** Resolves images and tags for `targets` into ctx.images. Reads git and files; runs no build. */
export async function prepareImages(ctx: Context, targets: TargetName[]): Promise<ImageState[]> {
  const root = ctx.loaded.root;
  const specs = imagesFor(ctx.config, root, targets);
  ctx.git = await readGit(root);
  const version = await readVersion(root, ctx.config.version);
  const now = new Date();
  for (const spec of specs) {
    await checkFiles(ctx, spec);
    const tag = await tagForImage(ctx, spec, { version, now });
    ctx.images.set(spec.key, { spec, tag, localRefs: [`${spec.name}:${tag}`] });
  }
  return [...ctx.images.values()];
}

/** Docker must answer before we do anything real; a dry run only notes which builder and engine it would use. */
export async function prepareDocker(ctx: Context): Promise<void> {
  if (ctx.dryRun) {
    ctx.buildkit = await detectBuildKit(ctx.docker, ctx.env).catch(() => true);
    ctx.engine = await ensureDockerReady(ctx.docker).catch(() => undefined);
    return;
  }
  ctx.engine = await ensureDockerReady(ctx.docker);
  ctx.buildkit = await detectBuildKit(ctx.docker, ctx.env);
}

/**
 * For commands that use an image built earlier (`push`, `deploy local`): it must exist locally.
 * AWS deploys run what the registry holds, so there (`optional`) a missing local image is fine:
 * we only learn its architecture when it is here.
 */
export async function requireLocalImage(ctx: Context, image: ImageState, command: string, optional = false): Promise<void> {
  if (ctx.dryRun) return;
  const r = await ctx.docker(dockerInspectImageArgs(image.localRefs[0]), { allowFailure: true });
  if (r.exitCode !== 0 && optional) return;
  if (r.exitCode !== 0) {
    throw new DeployError(
      `image ${image.localRefs[0]} is not built yet (the tag policy gives "${image.tag}" now)`,
      `run \`logship build\` first, or \`logship ship\` to build and ${command} in one go`,
    );
  }
  const info = JSON.parse(r.stdout)[0];
  image.imageId = info?.Id;
  image.architecture = info?.Architecture;
}
