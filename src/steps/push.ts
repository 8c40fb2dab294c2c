// Tag and push one image; record its registry digest. Skips the upload when the registry already
// holds this exact image under this tag (the digest docker recorded for it matches the registry's).
// A dry run never runs docker tag or push: the look-up decides "up to date", else the push is planned.
import { dockerInspectImageArgs, dockerManifestInspectArgs, dockerPushArgs, dockerTagArgs } from "../docker/args.js";
import { findImage, getImageManifest } from "../aws/ecr.js";
import { DeployError } from "../errors.js";
import { errName } from "../util/err-name.js";
import { protection, wantedRules } from "./ecr-tag-rules.js";
import type { Context, ImageState, Step } from "./types.js";

/** Repository without tag: the ECR URI once known, else the generic registry's repository. */
export function remoteRepository(image: ImageState): string {
  if (image.spec.registry.type === "generic") return image.spec.registry.repository;
  return image.repositoryUri ?? `<account>.dkr.ecr.<region>.amazonaws.com/${image.spec.registry.repository}`;
}

export function parsePushDigest(output: string): string | undefined {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}

async function localRepoDigests(ctx: Context, image: ImageState): Promise<string[]> {
  const r = await ctx.docker(dockerInspectImageArgs(image.imageId ?? image.localRefs[0]), { allowFailure: true });
  if (r.exitCode !== 0) return [];
  return JSON.parse(r.stdout)[0]?.RepoDigests ?? [];
}

/**
 * The image config digest (= the local image id) of the manifest the registry holds for the tag.
 * Docker records RepoDigests only after this machine pushed or pulled, so a fresh CI runner that
 * rebuilt the same image learns "same content" here instead.
 */
async function remoteConfigDigest(ctx: Context, image: ImageState, repository: string, tag: string): Promise<string | undefined> {
  if (image.spec.registry.type === "ecr") {
    const manifest = await getImageManifest(ctx.aws, image.spec.registry.repository, { imageTag: tag }, [
      "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json",
    ]);
    return manifest ? JSON.parse(manifest)?.config?.digest : undefined;
  }
  const r = await ctx.docker(dockerManifestInspectArgs(`${repository}:${tag}`), { allowFailure: true });
  if (r.exitCode !== 0) return undefined;
  const doc = JSON.parse(r.stdout);
  return Array.isArray(doc) ? undefined : (doc?.SchemaV2Manifest ?? doc?.OCIManifest)?.config?.digest;
}

/** The digest (and, from ECR, the media type) the registry holds for repository:tag; undefined when absent. */
async function remoteDigest(ctx: Context, image: ImageState, repository: string, tag: string): Promise<{ digest: string; mediaType?: string } | undefined> {
  if (image.spec.registry.type === "ecr") {
    const found = await findImage(ctx.aws, image.spec.registry.repository, { imageTag: tag }).catch((e: unknown) => {
      // A dry run may have only planned the repository's create (ecr.ts): it holds nothing yet.
      if (ctx.dryRun && errName(e) === "RepositoryNotFoundException") return undefined;
      throw e;
    });
    return found?.imageDigest ? { digest: found.imageDigest, mediaType: found.imageManifestMediaType } : undefined;
  }
  const r = await ctx.docker(dockerManifestInspectArgs(`${repository}:${tag}`), { allowFailure: true });
  if (r.exitCode !== 0) return undefined;
  const doc = JSON.parse(r.stdout);
  const digest = (Array.isArray(doc) ? undefined : doc?.Descriptor?.digest) as string | undefined;
  return digest ? { digest } : undefined;
}

/** "already in the registry: …" when the registry holds this image under this tag, else false. */
async function registryHolds(ctx: Context, image: ImageState): Promise<string | false> {
  const repository = remoteRepository(image);
  const found = await remoteDigest(ctx, image, repository, image.tag!);
  if (!found) return false;
  const { digest, mediaType } = found;
  const local = await localRepoDigests(ctx, image);
  const same = local.includes(`${repository}@${digest}`) ||
    (!!image.imageId && (await remoteConfigDigest(ctx, image, repository, image.tag!)) === image.imageId);
  if (same) {
    image.remote = { repository, tag: image.tag!, digest, skipped: true, ...(mediaType ? { mediaType } : {}) };
    return `already in the registry: ${repository}@${digest}`;
  }
  if (image.spec.registry.type === "ecr") {
    // The repository's own setting as the ensure step read it (exclusion filters included); the config's before that.
    const why = protection(image.tagRules ?? wantedRules(image.spec.registry), image.tag!);
    if (why) throw protectedTag(image, why);
  }
  return false;
}

function protectedTag(image: ImageState, why: string, cause?: unknown): DeployError {
  return new DeployError(
    `tag ${image.tag} already exists in ${image.spec.registry.repository} with other content, and ${why}`,
    "change image.tag (bump the version, or include {git.short}) and re-run",
    { cause },
  );
}

/**
 * ECR's refusal of an overwrite, as docker prints it: "tag invalid: The image tag 'v1' already exists
 * in the 'app' repository and cannot be overwritten because the repository is immutable."
 * (aws/containers-roadmap#862, moby/buildkit#3776), or "…because the tag is immutable." for a tag an
 * exclusion filter protects (osscontainertools/kaniko#204). Seen when another run pushed the tag
 * between our look-up and our push.
 */
const IMMUTABLE_REFUSAL = /tag invalid:.*cannot be overwritten because the (repository|tag) is immutable/i;

/** What the registry look-up answered: the image is there, it must be uploaded, or the push cannot go ahead. */
export type UploadAnswer = "held" | "upload" | "failed";

/** A push step, and whether it will upload: the ECR login asks first, so a run with nothing to
 * upload makes no GetAuthorizationToken and no docker login. The registry is read once. */
export interface PushStep extends Step {
  needsUpload(ctx: Context): Promise<boolean>;
  /** The look-up's answer once it came (the lifecycle and login steps ask before the push); undefined before. */
  answer(): UploadAnswer | undefined;
}

export function pushStep(image: ImageState): PushStep {
  let holds: Promise<string | false> | undefined;
  let answer: UploadAnswer | undefined;
  const probe = (ctx: Context) => (holds ??= registryHolds(ctx, image).then(
    (held) => ((answer = held ? "held" : "upload"), held),
    (e: unknown) => {
      answer = "failed";
      throw e;
    },
  ));
  const env = (ctx: Context): Record<string, string> =>
    image.spec.registry.type === "ecr" && ctx.session.dockerConfig ? { DOCKER_CONFIG: ctx.session.dockerConfig } : {};
  const ref = () => `${remoteRepository(image)}:${image.tag}`;
  // With the image's platform when the engine would otherwise push an index (src/docker/args.ts).
  const pushArgs = (ctx: Context) => dockerPushArgs(ref(), { platform: image.spec.platform, engine: ctx.engine });
  return {
    id: "registry.push",
    group: image.spec.key === "app" ? undefined : image.spec.key,
    title: () => `Push ${ref()}`,
    describe: (ctx) => [
      { kind: "docker", command: dockerTagArgs(image.localRefs[0], ref()) },
      {
        kind: "docker", command: pushArgs(ctx),
        note: answer === "upload" ? "needed: the registry does not hold this image under this tag" : "skipped when the registry already holds this image under this tag",
      },
    ],
    /**
     * A dry run reads and never runs docker. Once the look-up the steps before asked has answered
     * (ECR only; a generic registry's look-up is docker manifest inspect), the step is live when nothing
     * is uploaded: "up to date", or "would fail" for a protected tag. When the image must be uploaded
     * it is planned (docker tag and push), and so are the steps after it: the digest is not known yet.
     */
    get dryRun() {
      return image.spec.registry.type === "ecr" && (answer === "held" || answer === "failed") ? "live" as const : undefined;
    },
    answer: () => answer,
    isDone: (ctx) => probe(ctx),
    needsUpload: async (ctx) => (await probe(ctx)) === false,
    async run(ctx) {
      // Never reached in a dry run (see dryRun): a guard, since a push here would be a real upload.
      if (ctx.dryRun) throw new Error(`logship bug: a dry run reached docker push ${ref()}`);
      const repository = remoteRepository(image);
      await ctx.docker(dockerTagArgs(image.localRefs[0], ref()), { signal: ctx.signal });
      const r = await ctx.docker(pushArgs(ctx), { env: env(ctx), signal: ctx.signal, onLine: ctx.progress }).catch((e: unknown) => {
        if (e instanceof DeployError && IMMUTABLE_REFUSAL.test(e.message)) {
          throw protectedTag(image, /because the tag is/i.test(e.message) ? "ECR says the tag is immutable" : "ECR says the repository is immutable", e);
        }
        throw e;
      });
      const digest = parsePushDigest(r.stdout + "\n" + r.stderr);
      if (!digest) throw new DeployError(`docker push ${ref()} reported no digest`, "re-run with --verbose to see docker's output");
      image.remote = { repository, tag: image.tag!, digest };
      return `${repository}@${digest}`;
    },
  };
}
