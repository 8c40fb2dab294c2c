// ECR's DescribeImages as the API model documents it (@aws-sdk/client-ecr DescribeImagesRequest):
// without filter.imageStatus "only images with ACTIVE status are returned"; imageIds name images
// (an unknown one: ImageNotFoundException "The image with imageId {…} does not exist within the
// repository with name '…' in the registry with id '…'"); UpdateImageStorageClass to STANDARD turns
// an ARCHIVED image ACTIVATING, and the restore ends ACTIVE after `restoreReads` more look-ups
// ("typically takes up to 20 minutes": restore-image.html).
import type { AwsStub } from "aws-sdk-client-mock";
import { DescribeImagesCommand, ImageNotFoundException, UpdateImageStorageClassCommand, type ImageDetail } from "@aws-sdk/client-ecr";

export function fakeEcrImages(ecr: AwsStub<any, any, any>, details: ImageDetail[], restoreReads = 2) {
  const store = details.map((d) => ({ imageStatus: "ACTIVE" as const, repositoryName: "shop", registryId: "123456789012", ...d }));
  let activating = 0;
  ecr.on(DescribeImagesCommand).callsFake((input) => {
    for (const d of store) {
      if (d.imageStatus === "ACTIVATING" && activating-- <= 0) Object.assign(d, { imageStatus: "ACTIVE", lastActivatedAt: new Date() });
    }
    const wanted = input.filter?.imageStatus ?? "ACTIVE";
    const shown = store.filter((d) => wanted === "ANY" || d.imageStatus === wanted);
    if (!input.imageIds) return { imageDetails: shown };
    const hits = input.imageIds.map((id: { imageDigest?: string }) => shown.find((d) => d.imageDigest === id.imageDigest));
    if (hits.some((h: unknown) => !h)) {
      throw new ImageNotFoundException({
        message: `The image with imageId {imageDigest:'${input.imageIds[0].imageDigest}', imageTag:'null'} does not exist within the repository with name '${input.repositoryName}' in the registry with id '123456789012'`,
        $metadata: {},
      });
    }
    return { imageDetails: hits };
  });
  ecr.on(UpdateImageStorageClassCommand).callsFake((input) => {
    const d = store.find((x) => x.imageDigest === input.imageId.imageDigest)!;
    if (input.targetStorageClass === "STANDARD" && d.imageStatus === "ARCHIVED") {
      Object.assign(d, { imageStatus: "ACTIVATING" });
      activating = restoreReads;
    }
    return { registryId: "123456789012", repositoryName: input.repositoryName, imageId: { imageDigest: d.imageDigest }, imageStatus: d.imageStatus };
  });
  return store;
}
