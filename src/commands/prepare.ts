// Before any step runs: which images, which tags, and the preflight checks that need no writes
// (Dockerfile present, Docker running, local image present). Bad input fails here, before anything changes.
import { stat } from "node:fs/promises";
import path from "node:path";
import { imagesFor, type ImageSpec } from "../images.js";
import { readVersion, tagForImage } from "../tag-policy.js";
import { gitTopLevel, readGit } from "../util/git.js";
import { readDockerignore } from "../build-context.js";
import { DeployError, UserError } from "../errors.js";
import { contextSize, formatBytes } from "../util/context-size.js";
import { detectBuildKit, ensureDockerReady } from "../docker/engine.js";
import { dockerInspectImageArgs } from "../docker/args.js";
import type { TargetName } from "../config/schema.js";
import type { Context, ImageState } from "../steps/types.js";

function fieldFor(spec: ImageSpec, ctx: Context, key: "dockerfile" | "context"): string {
  return spec.key === "lambda" && ctx.config.targets.lambda?.image ? `targets.lambda.image.${key}` : `image.${key}`;
}

/** `build lambda` / `push lambda` with no targets.lambda: the same exit 2 as `deploy lambda`. */
export { requireConfigured } from "../targets/index.js";

/** The project: the git work tree holding the config (a monorepo's root), else the config's folder. */
const projectRoot = async (root: string) => (await gitTopLevel(root)) ?? root;

/**
 * A context of "/" or a folder outside the project sends everything under it to the engine (a home
 * folder, a whole disk): legal, so a warning, with the size that would be sent.
 */
async function warnIfContextOutside(ctx: Context, spec: ImageSpec): Promise<void> {
  const inside = (dir: string) => !path.relative(dir, spec.context).startsWith("..");
  if (inside(ctx.loaded.root) && spec.context !== path.parse(spec.context).root) return;
  const project = await projectRoot(ctx.loaded.root);
  if (inside(project) && spec.context !== path.parse(spec.context).root) return;
  // Docker's own rules, as the build sends (also <Dockerfile>.dockerignore): src/build-context.ts.
  const { rules } = await readDockerignore(spec.context, spec.dockerfile);
  const size = await contextSize(spec.context, (rel) => rules.ignores(rel));
  const amount = `${size.partial ? "at least " : ""}${formatBytes(size.bytes)} in ${size.files.toLocaleString("en-US")}${size.partial ? "+" : ""} files`;
  ctx.reporter.warn(
    `${fieldFor(spec, ctx, "context")}: ${spec.context} is ${spec.context === path.parse(spec.context).root ? "the root of the file system" : `outside the project (${project})`}: ` +
    `docker build will send ${amount} to the engine; point it at the app's folder (usually ".")`,
  );
}

async function checkFiles(ctx: Context, spec: ImageSpec): Promise<void> {
  const rel = (p: string) => path.relative(ctx.cwd, p) || ".";
  const dir = await stat(spec.context).catch(() => undefined);
  if (!dir?.isDirectory()) {
    throw new UserError(`${fieldFor(spec, ctx, "context")}: ${rel(spec.context)} is not a directory`, "point it at the build context (usually \".\")");
  }
  const dockerfile = await stat(spec.dockerfile).catch(() => undefined);
  if (!dockerfile) {
    throw new UserError(
      `${fieldFor(spec, ctx, "dockerfile")}: ${rel(spec.dockerfile)} does not exist`,
      "fix the path in logship.yaml, or run `logship init` to write a Dockerfile",
    );
  }
  if (dockerfile.isDirectory()) {
    throw new UserError(
      `${fieldFor(spec, ctx, "dockerfile")}: ${rel(spec.dockerfile)} is a directory, not a Dockerfile`,
      `name the file itself, e.g. ${path.join(rel(spec.dockerfile), "Dockerfile")}`,
    );
  }
  await warnIfContextOutside(ctx, spec);
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

/**
 * Docker must answer before we do anything real; a dry run only notes which builder and engine it
 * would use. Which builder runs is asked only of a run that builds (the build step asks; see
 * src/steps/build.ts): a push or a deploy has no use for `docker build --help`.
 */
export async function prepareDocker(ctx: Context): Promise<void> {
  if (ctx.dryRun) {
    ctx.buildkit = await detectBuildKit(ctx.docker, ctx.env).catch(() => true);
    ctx.engine = await ensureDockerReady(ctx.docker).catch(() => undefined);
    return;
  }
  ctx.engine = await ensureDockerReady(ctx.docker);
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
  // What the release record names as the image's commit (logship labels every build with it).
  image.revision = info?.Config?.Labels?.["org.opencontainers.image.revision"];
}
