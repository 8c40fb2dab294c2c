// `logship deploy <aws target>` without a push in the same run: deploy what the registry holds
// for the current tag, by digest. Nothing pushed under that tag → say so before any write.
import { describeRepository, findImage } from "../aws/ecr.js";
import { DeployError } from "../errors.js";
import { errName } from "../util/err-name.js";
import type { Context, ImageState, RemoteImage, Step } from "./types.js";

/** What ECR holds for repository:tag (its URI and digest), or undefined when either is missing. */
export async function findPushedImage(ctx: Context, repositoryName: string, tag: string): Promise<RemoteImage | undefined> {
  const repo = await describeRepository(ctx.aws, repositoryName);
  if (!repo) return undefined;
  // Deleted between the two reads: as missing as if the first had not found it.
  const detail = await findImage(ctx.aws, repositoryName, { imageTag: tag }).catch((e: unknown) => {
    if (errName(e) === "RepositoryNotFoundException") return undefined;
    throw e;
  });
  const repository = repo.repositoryUri;
  if (!detail?.imageDigest || !repository) return undefined;
  return { repository, tag, digest: detail.imageDigest, skipped: true, ...(detail.imageManifestMediaType ? { mediaType: detail.imageManifestMediaType } : {}) };
}

export function resolvePushedImageStep(image: ImageState, group: string): Step {
  const repositoryName = image.spec.registry.repository;
  return {
    id: "registry.resolve",
    group,
    // Reads only: a dry run looks the tag up as a real run does.
    dryRun: "live",
    title: () => `Find ${repositoryName}:${image.tag} in ECR`,
    describe: () => [
      { kind: "aws", command: "ECR.DescribeRepositories", input: { repositoryNames: [repositoryName] } },
      { kind: "aws", command: "ECR.DescribeImages", input: { repositoryName, imageIds: [{ imageTag: image.tag }] } },
    ],
    async isDone() {
      return image.remote ? `pushed in this run: ${image.remote.digest}` : false;
    },
    async run(ctx: Context) {
      // A generic registry never gets here: targetFor() refuses it for AWS targets before anything runs.
      const remote = await findPushedImage(ctx, repositoryName, image.tag!);
      if (!remote) {
        throw new DeployError(
          `${group}: ${repositoryName}:${image.tag} is not in ECR`,
          `run \`logship push\` first, or \`logship ship ${group}\` to build, push and deploy in one go`,
        );
      }
      image.repositoryUri = remote.repository;
      image.remote = remote;
      return `${remote.repository}@${remote.digest}`;
    },
  };
}
