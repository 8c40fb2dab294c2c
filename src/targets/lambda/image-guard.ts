// Before any Lambda write: the pushed image must be one that Lambda can run. Lambda refuses image
// indexes (attestations, the containerd image store's push, several platforms: image-index.ts says
// which from the index itself) and an image of the wrong architecture only fails at invoke time
// ("exec format error"). aws-apis.md §2, §4.1.
import { describeImage, getImageManifest } from "../../aws/ecr.js";
import { DeployError, UserError } from "../../errors.js";
import { requireRemote, lambdaArch, shortDigest, target } from "./shared.js";
import type { Context, ImageState, Step } from "../../steps/types.js";
import { findPushedImage } from "../../steps/resolve-image.js";
import { INDEX_TYPES, indexRefusal, readImageIndex, type IndexContents } from "./image-index.js";

/** The media types Lambda accepts: one image, Docker v2 schema 2 or OCI. */
export const SINGLE_IMAGE_MANIFESTS = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
];

/**
 * The index itself, by digest. BatchGetImage returns a stored manifest only in a media type the
 * caller accepts, so the index types are asked for beside the single-image ones, as ECR's own
 * containerd resolver does (awslabs/amazon-ecr-containerd-resolver ecr/base.go, supportedImageMediaTypes).
 * Missing or unreadable → undefined: the refusal then names every cause.
 */
async function readIndex(ctx: Context, repositoryName: string, digest: string): Promise<IndexContents | undefined> {
  try {
    return readImageIndex(await getImageManifest(ctx.aws, repositoryName, { imageDigest: digest }, [...INDEX_TYPES, ...SINGLE_IMAGE_MANIFESTS]));
  } catch (e) {
    ctx.progress(`could not read the index (${(e as Error).name}): ${(e as Error).message}`);
    return undefined;
  }
}

/** ECR's media type for the digest. Skipped when the look-up that found the image told it already
 * (an unchanged push, or `deploy`'s look-up of the tag): a no-op ship reads the image once. An image
 * gone since then fails here with ECR's own ImageNotFoundException. */
async function describedMediaType(ctx: Context, repositoryName: string, digest: string): Promise<string | undefined> {
  return (await describeImage(ctx.aws, repositoryName, { imageDigest: digest }))?.imageManifestMediaType;
}

function ecrRepositoryName(image: ImageState): string {
  if (image.spec.registry.type !== "ecr") {
    throw new UserError(
      "targets.lambda: Lambda runs images from Amazon ECR only, but registry.type is generic",
      "use registry.type: ecr, or give the Lambda target its own ECR repository with targets.lambda.repository",
    );
  }
  return image.spec.registry.repository;
}

/** Fills image.remote from ECR when this run did not push (plain `logship deploy lambda`). */
async function resolvePushed(ctx: Context, image: ImageState, repositoryName: string): Promise<void> {
  image.remote ??= await findPushedImage(ctx, repositoryName, image.tag!);
}

export function imageGuardStep(image: ImageState): Step {
  return {
    id: "lambda.check-image",
    group: "lambda",
    // Reads only: a dry run checks the image a real run would deploy.
    dryRun: "live",
    title: () => "Check the image is a single-platform manifest Lambda can run",
    describe: (ctx) => [
      {
        kind: "aws", command: "ECR.DescribeImages",
        input: { repositoryName: image.spec.registry.repository, imageIds: [{ imageDigest: image.remote?.digest ?? "<digest after push>" }] },
        note: `imageManifestMediaType must be ${SINGLE_IMAGE_MANIFESTS.join(" or ")}; not read again when the push's look-up told it`,
      },
      {
        kind: "aws", command: "ECR.BatchGetImage",
        input: { repositoryName: image.spec.registry.repository, imageIds: [{ imageDigest: image.remote?.digest ?? "<digest after push>" }] },
        note: "only when it is an image index: read it to name the cause (attestations, the containerd image store, several platforms)",
      },
      { kind: "check", command: `image architecture matches targets.lambda.architecture (${target(ctx).architecture})` },
    ],
    async run(ctx) {
      const repositoryName = ecrRepositoryName(image);
      await resolvePushed(ctx, image, repositoryName);
      const { digest } = requireRemote(image);
      const mediaType = image.remote?.mediaType ?? (await describedMediaType(ctx, repositoryName, digest));
      const want = target(ctx).architecture;
      const platform = want === "arm64" ? "linux/arm64" : "linux/amd64";
      if (mediaType && INDEX_TYPES.includes(mediaType)) {
        const { message, hint } = indexRefusal(`${repositoryName}@${shortDigest(digest)}`, await readIndex(ctx, repositoryName, digest), platform);
        throw new DeployError(message, hint);
      }
      if (!mediaType || !SINGLE_IMAGE_MANIFESTS.includes(mediaType)) {
        throw new DeployError(
          `${repositoryName}@${shortDigest(digest)} is of media type ${mediaType ?? "unknown"}; Lambda runs only a single-image manifest`,
          `rebuild without attestations for one platform: docker build --provenance=false --sbom=false --platform ${platform}, then push again`,
        );
      }
      const arch = lambdaArch(image.architecture);
      if (arch && arch !== want) {
        throw new DeployError(
          `the image is built for ${image.architecture} but targets.lambda.architecture is ${want}`,
          `rebuild with --platform ${platform} (set image.platform or targets.lambda.image)` +
            (arch === "x86_64" || arch === "arm64" ? `, or change targets.lambda.architecture to ${arch}` : ""),
        );
      }
      if (!arch) ctx.progress("image architecture unknown (not inspected locally); not checked");
      return `${mediaType.includes("oci") ? "OCI" : "Docker v2"} manifest, ${arch ?? want}`;
    },
  };
}
