// Amazon ECR: the operations logship uses (aws-apis.md §3), each once: repositories and their
// settings, the registry login, and images (the one DescribeImages look-up by tag or digest, the
// archive-aware listing, manifests, restores). The repository writes are records with their senders
// (ecrCalls, src/aws/call.ts) that steps hand to the executor, so a dry run lists what a run sends.
// The SDK is imported inside each function, so `logship --help` never loads it.
import type {
  AuthorizationData, CreateRepositoryCommandInput, ImageDetail, PutImageTagMutabilityCommandInput, Repository,
} from "@aws-sdk/client-ecr";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";
import { awsCall, type AwsCall } from "./call.js";

export type { AuthorizationData, ImageDetail, ImageTagMutability, Repository } from "@aws-sdk/client-ecr";

/**
 * The repository, or undefined when there is none by that name: DescribeRepositories answers a
 * missing name with RepositoryNotFoundException
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html).
 */
export async function describeRepository(aws: AwsClients, repositoryName: string): Promise<Repository | undefined> {
  const { DescribeRepositoriesCommand } = await import("@aws-sdk/client-ecr");
  const ecr = await aws.ecr();
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }));
    return out.repositories?.[0];
  } catch (e) {
    if (errName(e) === "RepositoryNotFoundException") return undefined;
    throw e;
  }
}

/**
 * The repository's lifecycle policy text, or undefined when it has none: LifecyclePolicyNotFoundException
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetLifecyclePolicy.html).
 */
export async function getLifecyclePolicyText(aws: AwsClients, repositoryName: string): Promise<string | undefined> {
  const { GetLifecyclePolicyCommand } = await import("@aws-sdk/client-ecr");
  try {
    return (await (await aws.ecr()).send(new GetLifecyclePolicyCommand({ repositoryName }))).lifecyclePolicyText;
  } catch (e) {
    if (errName(e) === "LifecyclePolicyNotFoundException") return undefined;
    throw e;
  }
}

/**
 * The registry's docker login: a base64 "user:password" token and the endpoint it is for (12 hours).
 * A read, so it is no record: the token is a secret that no plan, record or --json may hold, and a
 * dry run never asks for it (src/steps/login.ts).
 */
export async function getAuthorizationData(aws: AwsClients): Promise<AuthorizationData | undefined> {
  const { GetAuthorizationTokenCommand } = await import("@aws-sdk/client-ecr");
  return (await (await aws.ecr()).send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
}

// Images.

/** One image: by tag (what a push names) or by digest (what a deploy pins). */
export type ImageId = { imageTag: string } | { imageDigest: string };

export interface ImageQuery {
  /**
   * Archived and restoring images too. Without the filter DescribeImages answers "only images with
   * ACTIVE status" (DescribeImagesFilter.imageStatus in the ECR API model).
   */
  anyStatus?: boolean;
}

const statusFilter = (q: ImageQuery) => (q.anyStatus ? { filter: { imageStatus: "ANY" as const } } : {});

/**
 * DescribeImages for one image, as AWS answers it: a missing image throws ImageNotFoundException
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html). Use findImage
 * where a missing image is an answer rather than a failure.
 */
export async function describeImage(aws: AwsClients, repositoryName: string, imageId: ImageId, q: ImageQuery = {}): Promise<ImageDetail | undefined> {
  const { DescribeImagesCommand } = await import("@aws-sdk/client-ecr");
  const out = await (await aws.ecr()).send(new DescribeImagesCommand({ repositoryName, imageIds: [imageId], ...statusFilter(q) }));
  return out.imageDetails?.[0];
}

/**
 * The image, or undefined when the repository does not hold it (ImageNotFoundException). With
 * anyStatus: the API model documents no conflict between imageIds and filter (only nextToken/maxResults
 * "cannot be used" with imageIds), but whether ECR accepts both together is not confirmed anywhere
 * public: if it refuses the pair (InvalidParameterException), the repository's full listing is searched.
 * A missing repository still throws (RepositoryNotFoundException): the caller knows what that means.
 */
export async function findImage(aws: AwsClients, repositoryName: string, imageId: ImageId, q: ImageQuery = {}): Promise<ImageDetail | undefined> {
  try {
    return await describeImage(aws, repositoryName, imageId, q);
  } catch (e) {
    if (errName(e) === "ImageNotFoundException") return undefined;
    if (q.anyStatus && errName(e) === "InvalidParameterException" && "imageDigest" in imageId) {
      return (await allImages(aws, repositoryName)).find((d) => d.imageDigest === imageId.imageDigest);
    }
    throw e;
  }
}

/** Every image of the repository, archived ones included, every page. */
export async function allImages(aws: AwsClients, repositoryName: string): Promise<ImageDetail[]> {
  const { DescribeImagesCommand } = await import("@aws-sdk/client-ecr");
  const ecr = await aws.ecr();
  const out: ImageDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecr.send(new DescribeImagesCommand({ repositoryName, nextToken, filter: { imageStatus: "ANY" } }));
    out.push(...(page.imageDetails ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/**
 * The manifest text ECR stores for the image, exactly as pushed. BatchGetImage returns a manifest only
 * in a media type the caller accepts, and answers a missing image in `failures`, not by throwing
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html; aws-apis.md §3.3):
 * both are undefined here.
 */
export async function getImageManifest(aws: AwsClients, repositoryName: string, imageId: ImageId, acceptedMediaTypes: string[]): Promise<string | undefined> {
  const { BatchGetImageCommand } = await import("@aws-sdk/client-ecr");
  const out = await (await aws.ecr()).send(new BatchGetImageCommand({ repositoryName, imageIds: [imageId], acceptedMediaTypes }));
  return out?.images?.[0]?.imageManifest;
}

/** The repository writes logship makes, as records with their senders (src/aws/call.ts). */
export const ecrCalls = {
  /**
   * CreateRepository. "exists" when the name is taken, e.g. another run created it between our
   * Describe and this Create: RepositoryAlreadyExistsException
   * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html).
   */
  createRepository: (input: CreateRepositoryCommandInput): AwsCall<{ repository?: Repository } | "exists"> =>
    awsCall("ECR", "CreateRepository", input, async (aws) => {
      const { CreateRepositoryCommand } = await import("@aws-sdk/client-ecr");
      try {
        return { repository: (await (await aws.ecr()).send(new CreateRepositoryCommand(input))).repository };
      } catch (e) {
        if (errName(e) === "RepositoryAlreadyExistsException") return "exists";
        throw e;
      }
    }),
  putImageTagMutability: (input: PutImageTagMutabilityCommandInput): AwsCall<void> => awsCall("ECR", "PutImageTagMutability", input, async (aws) => {
    const { PutImageTagMutabilityCommand } = await import("@aws-sdk/client-ecr");
    await (await aws.ecr()).send(new PutImageTagMutabilityCommand(input));
  }),
  putScanOnPush: (repositoryName: string, scanOnPush: boolean): AwsCall<void> => {
    const input = { repositoryName, imageScanningConfiguration: { scanOnPush } };
    return awsCall("ECR", "PutImageScanningConfiguration", input, async (aws) => {
      const { PutImageScanningConfigurationCommand } = await import("@aws-sdk/client-ecr");
      await (await aws.ecr()).send(new PutImageScanningConfigurationCommand(input));
    });
  },
  putLifecyclePolicy: (repositoryName: string, lifecyclePolicyText: string): AwsCall<void> =>
    awsCall("ECR", "PutLifecyclePolicy", { repositoryName, lifecyclePolicyText }, async (aws) => {
      const { PutLifecyclePolicyCommand } = await import("@aws-sdk/client-ecr");
      await (await aws.ecr()).send(new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText }));
    }),
  /** Starts a restore of an archived image to standard storage (it shows ACTIVATING until done; restore-image.html). */
  restoreImage: (repositoryName: string, imageDigest: string): AwsCall<void> => {
    const input = { repositoryName, imageId: { imageDigest }, targetStorageClass: "STANDARD" as const };
    return awsCall("ECR", "UpdateImageStorageClass", input, async (aws) => {
      const { UpdateImageStorageClassCommand } = await import("@aws-sdk/client-ecr");
      await (await aws.ecr()).send(new UpdateImageStorageClassCommand(input));
    });
  },
  /**
   * Deletes the repository and every image in it (force). False when it was already gone:
   * RepositoryNotFoundException (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html).
   */
  deleteRepository: (repositoryName: string): AwsCall<boolean> => awsCall("ECR", "DeleteRepository", { repositoryName, force: true }, async (aws) => {
    const { DeleteRepositoryCommand } = await import("@aws-sdk/client-ecr");
    try {
      await (await aws.ecr()).send(new DeleteRepositoryCommand({ repositoryName, force: true }));
      return true;
    } catch (e) {
      if (errName(e) === "RepositoryNotFoundException") return false;
      throw e;
    }
  }),
};
