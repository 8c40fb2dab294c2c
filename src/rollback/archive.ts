// ECR's archive storage class (November 2025): "Archived images cannot be pulled. Requests to pull the
// archived image will fail with a 404 error", but DescribeImages still lists them with imageStatus
// ARCHIVED (https://docs.aws.amazon.com/AmazonECR/latest/userguide/archive-image.html). A restore
// (UpdateImageStorageClass to STANDARD) shows ACTIVATING and "typically takes up to 20 minutes"
// (restore-image.html). Rolling back to an archived image would leave App Runner, ECS or Lambda
// unable to pull it, so rollback checks first: it says "archived, restore it first", or, with
// --restore, restores it and waits until it is ACTIVE.
import { allImages as allRepositoryImages, ecrCalls, findImage, type ImageDetail } from "../aws/ecr.js";
import { execute } from "../aws/execute.js";
import { DeployError } from "../errors.js";
import { poll } from "../util/poll.js";
import type { Context, Step } from "../steps/types.js";

/** ACTIVE, ARCHIVED or ACTIVATING; an image detail without the field (older APIs, emulators) is ACTIVE. */
export const storageStatus = (d: Pick<ImageDetail, "imageStatus">) => d.imageStatus ?? "ACTIVE";

/** Every image of the repository, archived ones included: `logship releases` marks those. */
export const allImages = (ctx: Context, repositoryName: string): Promise<ImageDetail[]> => allRepositoryImages(ctx.aws, repositoryName);

/** One image by digest, whatever its storage class (src/aws/ecr.ts findImage says how). */
const describeOne = (ctx: Context, repositoryName: string, imageDigest: string) =>
  findImage(ctx.aws, repositoryName, { imageDigest }, { anyStatus: true });

const short = (digest: string) => `${digest.slice(0, 19)}…`;
const restoreCommand = (repository: string, digest: string) =>
  `aws ecr update-image-storage-class --repository-name ${repository} --image-id imageDigest=${digest} --target-storage-class STANDARD`;

/** Restores take up to 20 minutes (restore-image.html): wait a while longer before giving up. */
const RESTORE_TIMEOUT_MS = 30 * 60_000;

/**
 * Before a rollback deploys `digest`: fine when ACTIVE; archived or being restored is an error that
 * says how to restore, unless `restore` is set, when it restores (if archived) and waits for ACTIVE.
 */
export async function ensurePullable(ctx: Context, o: { repository: string; digest: string; restore: boolean; command: string }): Promise<string> {
  const found = await describeOne(ctx, o.repository, o.digest);
  // Gone from ECR (a lifecycle rule expired it): a Lambda version on it is Failed and cannot serve, "If the
  // corresponding container image no longer exists on Amazon ECR … the function enters the Failed state"
  // (https://docs.aws.amazon.com/lambda/latest/dg/invocation-images.html), so pointing an alias there is refused.
  if (!found) throw new DeployError(`image ${short(o.digest)} is not in ECR repository ${o.repository} any more`, "roll back to another release (`logship releases` lists them)");
  const status = storageStatus(found);
  if (status === "ACTIVE") return "ACTIVE";
  if (!o.restore) {
    const since = found.lastArchivedAt ? ` since ${found.lastArchivedAt.toISOString().slice(0, 10)}` : "";
    throw new DeployError(
      status === "ARCHIVED"
        ? `image ${short(o.digest)} is archived in ECR${since}: the service cannot pull it, restore it first`
        : `image ${short(o.digest)} is being restored from the ECR archive (ACTIVATING): the service cannot pull it yet`,
      status === "ARCHIVED"
        ? `run \`${o.command} --restore\` (restores it, up to 20 minutes, then rolls back), or ${restoreCommand(o.repository, o.digest)}`
        : `wait until it is ACTIVE (up to 20 minutes), or run \`${o.command} --restore\` to wait for it`,
    );
  }
  if (status === "ARCHIVED") await execute(ctx, ecrCalls.restoreImage(o.repository, o.digest), () => undefined);
  await poll(ctx, `restoring ${short(o.digest)} from the ECR archive`, async () => {
    const now = await describeOne(ctx, o.repository, o.digest);
    const s = now ? storageStatus(now) : "gone";
    return s === "ACTIVE" ? { done: true, value: s } : { done: false, state: s };
  }, {
    service: "ECR", timeoutMs: RESTORE_TIMEOUT_MS, firstDelayMs: 5_000, maxDelayMs: 15_000, explainInterrupt: true,
    timeoutHint: `ECR is still restoring it: run \`${o.command}\` again once \`logship releases\` no longer marks it archived`,
  });
  return "restored";
}

/** The first step of a rollback: the chosen image is pullable, or restored with --restore, or an error. */
export function pullableStep(o: { group: string; repository: string; digest: () => string | undefined; command: string }): Step {
  return {
    id: "ecr.image-pullable",
    group: o.group,
    title: () => `Check that ECR can serve the image (not archived)`,
    describe: () => [
      { kind: "aws", command: "ECR.DescribeImages", input: { repositoryName: o.repository, imageIds: [{ imageDigest: o.digest() ?? "<chosen digest>" }], filter: { imageStatus: "ANY" } } },
      { kind: "aws", command: "ECR.UpdateImageStorageClass", input: { repositoryName: o.repository, imageId: { imageDigest: o.digest() ?? "<chosen digest>" }, targetStorageClass: "STANDARD" }, note: "only with --restore, for an archived image" },
    ],
    async isDone(ctx) {
      const digest = o.digest();
      if (!digest) return "no image to check";
      const found = await describeOne(ctx, o.repository, digest);
      return found && storageStatus(found) === "ACTIVE" ? `${short(digest)} is in standard storage` : false;
    },
    async run(ctx) {
      const digest = o.digest()!;
      const r = await ensurePullable(ctx, { repository: o.repository, digest, restore: !!ctx.options.restore, command: o.command });
      return r === "restored" ? `restored ${short(digest)} from the ECR archive` : `${short(digest)} is in standard storage`;
    },
  };
}
