// Before any Lambda write: the pushed image must be one that Lambda can run. Lambda refuses image
// indexes (BuildKit attestations turn a single-platform build into an index) and an image of the
// wrong architecture only fails at invoke time ("exec format error"). aws-apis.md §2, §4.1.
import { DeployError, UserError } from "../../errors.js";
import { requireRemote, lambdaArch, shortDigest, target } from "./shared.js";
import type { Context, ImageState, Step } from "../types.js";
import { findPushedImage } from "../resolve-image.js";

/** The media types Lambda accepts: one image, Docker v2 schema 2 or OCI. */
export const SINGLE_IMAGE_MANIFESTS = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
];

const INDEX_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];

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
    title: () => "Check the image is a single-platform manifest Lambda can run",
    describe: (ctx) => [
      {
        kind: "aws", command: "ECR.DescribeImages",
        input: { repositoryName: image.spec.registry.repository, imageIds: [{ imageDigest: image.remote?.digest ?? "<digest after push>" }] },
        note: `imageManifestMediaType must be ${SINGLE_IMAGE_MANIFESTS.join(" or ")}`,
      },
      { kind: "check", command: `image architecture matches targets.lambda.architecture (${target(ctx).architecture})` },
    ],
    async run(ctx) {
      const repositoryName = ecrRepositoryName(image);
      await resolvePushed(ctx, image, repositoryName);
      const { digest } = requireRemote(image);
      const { DescribeImagesCommand } = await import("@aws-sdk/client-ecr");
      const out = await (await ctx.aws.ecr()).send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageDigest: digest }] }));
      const mediaType = out.imageDetails?.[0]?.imageManifestMediaType;
      const want = target(ctx).architecture;
      const platform = want === "arm64" ? "linux/arm64" : "linux/amd64";
      if (!mediaType || !SINGLE_IMAGE_MANIFESTS.includes(mediaType)) {
        const what = mediaType && INDEX_TYPES.includes(mediaType)
          ? "an image index (several platforms, or build attestations)"
          : `of media type ${mediaType ?? "unknown"}`;
        throw new DeployError(
          `${repositoryName}@${shortDigest(digest)} is ${what}; Lambda runs only a single-image manifest`,
          `rebuild without attestations for one platform: docker build --provenance=false --sbom=false --platform ${platform} ` +
            "(or set BUILDX_NO_DEFAULT_ATTESTATIONS=1), then push again",
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
