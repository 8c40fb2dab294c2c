// App Runner and ECS roll back by redeploying an earlier image by digest. The candidates are the
// images in the target's ECR repository; "previous" is what logship recorded on the resource
// (the logship:previous-image tag) when the target offers it, else the image pushed before the live one.
import { describeRepository } from "../aws/ecr.js";
import { DeployError, UserError } from "../errors.js";
import { imagesFor } from "../images.js";
import type { Target } from "../targets/index.js";
import type { TargetName } from "../config/schema.js";
import type { Context, ImageState, Step } from "../steps/types.js";
import type { Release } from "./types.js";
import { allImages, pullableStep, storageStatus } from "./archive.js";

const digestOf = (ref?: string) => ref?.match(/sha256:[a-f0-9]{64}/)?.[0];

export async function registryReleases(ctx: Context, name: TargetName, target: Target): Promise<Release[]> {
  const [spec] = imagesFor(ctx.config, ctx.loaded.root, [name]);
  if (spec.registry.type !== "ecr") throw new UserError(`releases ${name}: only ECR repositories can be listed`);
  const status = await target.status(ctx);
  const live = digestOf(status.image);
  const out: (Release & { pushed: number })[] = [];
  // Archived images too, marked: a rollback to one must restore it first (archive.ts).
  for (const d of await allImages(ctx, spec.registry.repository)) {
    if (!d.imageDigest) continue;
    const storage = storageStatus(d);
    out.push({
      id: d.imageDigest, image: d.imageDigest, live: d.imageDigest === live,
      createdAt: d.imagePushedAt?.toISOString(), description: d.imageTags?.join(", "), pushed: d.imagePushedAt?.getTime() ?? 0,
      ...(storage === "ACTIVE" ? {} : { storage }),
    });
  }
  return out.sort((a, b) => b.pushed - a.pushed).map(({ pushed: _p, ...r }) => r);
}

/** --to as a digest, or undefined for "the previous one"; a malformed --to is a usage error. */
function digestGiven(name: TargetName, to?: string): string | undefined {
  if (!to) return undefined;
  const d = digestOf(to) ?? (/^[a-f0-9]{64}$/.test(to) ? `sha256:${to}` : undefined);
  if (!d) throw new UserError(`--to ${to}: give an image digest (sha256:…); \`logship releases ${name}\` lists them`);
  return d;
}

async function previousDigest(ctx: Context, name: TargetName, target: Target): Promise<string> {
  // The tag is written before an update; if that update rolled back, it may name what is live now.
  const recorded = digestOf(await target.previousImage?.(ctx));
  const live = digestOf((await target.status(ctx)).image);
  if (recorded && recorded !== live) return recorded;
  const releases = await registryReleases(ctx, name, target);
  const liveAt = releases.findIndex((r) => r.live);
  if (liveAt < 0 && live) throw new DeployError(`${name}: the live image ${live.slice(0, 19)}… is not in the repository any more`, "pass --to sha256:…");
  const previous = liveAt >= 0 ? releases[liveAt + 1] : undefined;
  if (!previous) throw new DeployError(`${name}: no previous image to roll back to`, `pass --to sha256:… (see \`logship releases ${name}\`)`);
  return previous.id;
}

/**
 * A first step chooses the digest (so under the deploy lock: a deploy that was still running when
 * the rollback started has recorded its previous image by then), then the pullable check and the
 * target's own deploy steps run with that image.
 */
export function registryRollbackSteps(ctx: Context, name: TargetName, target: Target, to?: string): Step[] {
  const [spec] = imagesFor(ctx.config, ctx.loaded.root, [name]);
  if (spec.registry.type !== "ecr") throw new UserError(`rollback ${name}: needs an ECR registry`);
  const given = digestGiven(name, to);
  const repository = spec.registry.repository;
  const image: ImageState = {
    spec, localRefs: [], repositoryUri: `<account>.dkr.ecr.<region>.amazonaws.com/${repository}`,
    remote: { repository: `<account>.dkr.ecr.<region>.amazonaws.com/${repository}`, tag: "", digest: given ?? "<previous digest>" },
  };
  ctx.images.set(spec.key, image);
  const choose: Step = {
    id: "registry.choose-release",
    group: name,
    // Reads only: a dry run reads the same state and shows the digest a real run would go back to.
    dryRun: "live",
    title: () => `Choose the image to roll back ${name} to${given ? ` (${given.slice(0, 19)}…)` : ""}`,
    describe: () => [
      { kind: "aws", command: "ECR.DescribeRepositories", input: { repositoryNames: [repository] } },
      ...(given ? [] : [{ kind: "check" as const, command: "the previous image", note: "the service's logship:previous-image tag, else the image pushed before the live one" }]),
    ],
    async run(c) {
      const digest = given ?? (await previousDigest(c, name, target));
      const uri = (await describeRepository(c.aws, repository))?.repositoryUri;
      if (!uri) throw new DeployError(`rollback ${name}: repository ${repository} not found`);
      image.repositoryUri = uri;
      image.remote = { repository: uri, tag: "", digest };
      return `${uri}@${digest}`;
    },
  };
  const pullable = pullableStep({ group: name, repository, digest: () => image.remote!.digest, command: `logship rollback ${name}` });
  return [choose, pullable, ...target.deploySteps(ctx, image)];
}
