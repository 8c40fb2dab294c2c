// `logship deploy <aws target>` without a push in the same run: deploy what the registry holds
// for the current tag, by digest. Nothing pushed under that tag → say so before any write.
import { DeployError } from "../errors.js";
import type { Context, ImageState, Step } from "./types.js";

export function resolvePushedImageStep(image: ImageState, group: string): Step {
  const repositoryName = image.spec.registry.repository;
  return {
    id: "registry.resolve",
    group,
    title: () => `Find ${repositoryName}:${image.tag} in ECR`,
    describe: () => [
      { kind: "aws", command: "ECR.DescribeRepositories", input: { repositoryNames: [repositoryName] } },
      { kind: "aws", command: "ECR.DescribeImages", input: { repositoryName, imageIds: [{ imageTag: image.tag }] } },
    ],
    async isDone() {
      return image.remote ? `pushed in this run: ${image.remote.digest}` : false;
    },
    async run(ctx: Context) {
      if (image.spec.registry.type !== "ecr") {
        throw new DeployError(`${group}: AWS targets run images from Amazon ECR, but registry.type is generic`, "set registry.type: ecr");
      }
      const sdk = await import("@aws-sdk/client-ecr");
      const ecr = await ctx.aws.ecr();
      const notPushed = () => new DeployError(
        `${group}: ${repositoryName}:${image.tag} is not in ECR`,
        `run \`logship push\` first, or \`logship ship ${group}\` to build, push and deploy in one go`,
      );
      try {
        const repo = await ecr.send(new sdk.DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }));
        const found = await ecr.send(new sdk.DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: image.tag }] }));
        const digest = found.imageDetails?.[0]?.imageDigest;
        const repository = repo.repositories?.[0]?.repositoryUri;
        if (!digest || !repository) throw notPushed();
        image.repositoryUri = repository;
        image.remote = { repository, tag: image.tag!, digest, skipped: true };
        return `${repository}@${digest}`;
      } catch (e) {
        if (["RepositoryNotFoundException", "ImageNotFoundException"].includes((e as Error).name)) throw notPushed();
        throw e;
      }
    },
  };
}
