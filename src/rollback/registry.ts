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

async function chooseDigest(ctx: Context, name: TargetName, target: Target, to?: string): Promise<string> {
  if (to) {
    const d = digestOf(to) ?? (/^[a-f0-9]{64}$/.test(to) ? `sha256:${to}` : undefined);
    if (!d) throw new UserError(`--to ${to}: give an image digest (sha256:…); \`logship releases ${name}\` lists them`);
    return d;
  }
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

/** Resolve the digest, then run the target's own deploy steps with that image. */
export async function registryRollbackSteps(ctx: Context, name: TargetName, target: Target, to?: string): Promise<Step[]> {
  const [spec] = imagesFor(ctx.config, ctx.loaded.root, [name]);
  if (spec.registry.type !== "ecr") throw new UserError(`rollback ${name}: needs an ECR registry`);
  const digest = ctx.dryRun && !to ? "<previous digest>" : await chooseDigest(ctx, name, target, to);
  const repositoryUri = ctx.dryRun
    ? `<account>.dkr.ecr.<region>.amazonaws.com/${spec.registry.repository}`
    : (await describeRepository(ctx.aws, spec.registry.repository))?.repositoryUri;
  if (!repositoryUri) throw new DeployError(`rollback ${name}: repository ${spec.registry.repository} not found`);
  const image: ImageState = { spec, localRefs: [], repositoryUri, remote: { repository: repositoryUri, tag: "", digest } };
  ctx.images.set(spec.key, image);
  const pullable = pullableStep({ group: name, repository: spec.registry.repository, digest: () => digest, command: `logship rollback ${name}` });
  return [pullable, ...target.deploySteps(ctx, image)];
}
