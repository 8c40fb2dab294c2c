// The Lambda image guard reads an image index out of ECR and names its real cause and the fix that
// works. ECR is a small in-memory fake that holds manifests as pushed and answers as the ECR API
// reference documents (below); Lambda and IAM refuse every call, so the guard provably runs first.
import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { BatchGetImageCommand, DescribeImagesCommand, ECRClient, ImageNotFoundException } from "@aws-sdk/client-ecr";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { lambdaTarget } from "../../src/targets/lambda/index.js";
import { imagesFor } from "../../src/images.js";
import { runSteps } from "../../src/pipeline.js";
import { DeployError } from "../../src/errors.js";
import { indexCause, indexRefusal, readImageIndex } from "../../src/targets/lambda/image-index.js";
import type { ImageState } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";

const ecrMock = mockClient(ECRClient);
const lambdaMock = mockClient(LambdaClient);
const iamMock = mockClient(IAMClient);

const ACCOUNT = "123456789012";
const REPO = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/demo`;
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const sha = (s: string) => `sha256:${createHash("sha256").update(s).digest("hex")}`;
const IMG = sha("image manifest");
const IMG_ARM = sha("arm64 image manifest");

const image = (platform: Record<string, string>, digest = IMG) => ({ mediaType: OCI_MANIFEST, digest, size: 1035, platform });
// As BuildKit stores an attestation (https://docs.docker.com/build/metadata/attestations/attestation-storage/).
const attestation = (of = IMG) => ({
  mediaType: OCI_MANIFEST, digest: sha(`attestation of ${of}`), size: 567,
  annotations: { "vnd.docker.reference.digest": of, "vnd.docker.reference.type": "attestation-manifest" },
  platform: { architecture: "unknown", os: "unknown" },
});
const index = (...manifests: object[]) => JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
const AMD64 = { architecture: "amd64", os: "linux" };
const ARM64 = { architecture: "arm64", os: "linux", variant: "v8" };

/**
 * What ECR holds in repository "demo": manifests as pushed, by digest (the sha256 of the manifest
 * bytes, as a registry computes it). DescribeImages answers imageDetails with the documented fields
 * and ImageNotFoundException for a missing id; BatchGetImage answers imageManifest as the exact JSON
 * text stored and imageManifestMediaType, and a missing id in `failures`, not as an error
 * (API_DescribeImages.html, API_BatchGetImage.html, API_Image.html, API_ImageFailure.html).
 */
function ecrHolds(manifest: string, mediaType: string) {
  const digest = sha(manifest);
  const id = { imageDigest: digest, imageTag: "0.1.0" };
  ecrMock.on(DescribeImagesCommand).callsFake((input) => {
    if (input.repositoryName !== "demo" || input.imageIds?.[0]?.imageDigest !== digest) {
      throw new ImageNotFoundException({
        message: `The image with imageId {imageDigest:'${input.imageIds?.[0]?.imageDigest}', imageTag:'null'} does not exist within the repository with name '${input.repositoryName}' in the registry with id '${ACCOUNT}'`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    return {
      imageDetails: [{
        registryId: ACCOUNT, repositoryName: "demo", imageDigest: digest, imageTags: ["0.1.0"], imageSizeInBytes: 1602,
        imagePushedAt: new Date("2026-12-01T20:00:00Z"), imageManifestMediaType: mediaType,
      }],
    };
  });
  ecrMock.on(BatchGetImageCommand).callsFake((input) => {
    const wanted = input.imageIds?.[0]?.imageDigest;
    if (input.repositoryName !== "demo" || wanted !== digest) {
      return { images: [], failures: [{ imageId: { imageDigest: wanted }, failureCode: "ImageNotFound", failureReason: "Requested image not found" }] };
    }
    // Not modelled: converting a stored manifest to another accepted type. The guard must accept the stored one.
    if (!input.acceptedMediaTypes?.includes(mediaType)) throw new Error(`test: BatchGetImage must accept ${mediaType}`);
    return {
      images: [{ registryId: ACCOUNT, repositoryName: "demo", imageId: id, imageManifest: manifest, imageManifestMediaType: mediaType }],
      failures: [],
    };
  });
  return digest;
}

function setup(digest: string, lambda: Record<string, unknown> = {}) {
  const t = testContext({ app: "demo", targets: { lambda: { function: "demo-fn", roleArn: `arn:aws:iam::${ACCOUNT}:role/exec`, ...lambda } } });
  const spec = imagesFor(t.ctx.config, "/project", ["lambda"])[0];
  const img: ImageState = { spec, tag: "0.1.0", localRefs: ["demo:0.1.0"], remote: { repository: REPO, tag: "0.1.0", digest } };
  return { ...t, image: img };
}

/** Runs the whole Lambda deploy; returns the refusal and checks nothing reached Lambda or IAM. */
async function refusal(digest: string, lambda: Record<string, unknown> = {}): Promise<DeployError> {
  const { ctx, image: img } = setup(digest, lambda);
  const err = await runSteps(lambdaTarget().deploySteps(ctx, img), ctx).then(() => undefined, (e: { cause?: unknown }) => e.cause);
  expect(err).toBeInstanceOf(DeployError);
  expect(lambdaMock.calls()).toHaveLength(0);
  expect(iamMock.calls()).toHaveLength(0);
  return err as DeployError;
}

const short = (digest: string) => `demo@${digest.slice(7, 19)}`;

beforeEach(() => {
  ecrMock.reset();
  lambdaMock.reset();
  iamMock.reset();
  lambdaMock.onAnyCommand().rejects(new Error("test: no Lambda call may happen before the guard passes"));
  iamMock.onAnyCommand().rejects(new Error("test: no IAM call may happen before the guard passes"));
});

describe("Lambda image guard: an index in ECR, read for its cause", () => {
  it("image + attestation manifest (BuildKit provenance): rebuild without attestations, or push --platform", async () => {
    const digest = ecrHolds(index(image(AMD64), attestation()), OCI_INDEX);
    const e = await refusal(digest);
    expect(e.message).toBe(`${short(digest)} is an image index: one linux/amd64 image and 1 build attestation manifest (provenance/SBOM); Lambda runs only a single-image manifest`);
    expect(e.hint).toBe("rebuild without attestations: docker build --provenance=false --sbom=false (or BUILDX_NO_DEFAULT_ATTESTATIONS=1), then push again; " +
      "or push the image alone: docker push --platform linux/amd64 (Docker Engine 27+ with API 1.46+; `logship push` adds it itself on such an engine)");
    expect(ecrMock.commandCalls(BatchGetImageCommand)[0].args[0].input).toEqual({
      repositoryName: "demo", imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: [OCI_INDEX, DOCKER_LIST, "application/vnd.docker.distribution.manifest.v2+json", OCI_MANIFEST],
    });
  });

  it("one platform, no attestations: the containerd image store wrapped it at push", async () => {
    const digest = ecrHolds(index(image(AMD64)), OCI_INDEX);
    const e = await refusal(digest);
    expect(e.message).toBe(`${short(digest)} is an image index around one linux/amd64 image, no attestations: ` +
      "the containerd image store wrapped it when it was pushed (Docker 29's default); Lambda runs only a single-image manifest");
    expect(e.hint).toMatch(/^push again with docker push --platform linux\/amd64 \(Docker Engine 27\+ with API 1\.46\+/);
    expect(e.hint).toContain("or turn the containerd image store off (\"features\": {\"containerd-snapshotter\": false} in /etc/docker/daemon.json");
    expect(e.hint).not.toContain("provenance");
  });

  it("one arm64 image for an x86_64 function: rebuild for amd64 first", async () => {
    const digest = ecrHolds(index(image(ARM64)), OCI_INDEX);
    const e = await refusal(digest);
    expect(e.message).toContain("around one linux/arm64/v8 image");
    expect(e.hint).toMatch(/^rebuild for linux\/amd64 \(the image inside is linux\/arm64\/v8\), then push again with docker push --platform linux\/amd64 /);
  });

  it("several platforms (with their attestations): build for one platform", async () => {
    const digest = ecrHolds(index(image(AMD64), image(ARM64, IMG_ARM), attestation(), attestation(IMG_ARM)), OCI_INDEX);
    const e = await refusal(digest, { architecture: "arm64" });
    expect(e.message).toBe(`${short(digest)} is a multi-platform image index (linux/amd64, linux/arm64/v8); Lambda runs only a single-image manifest of one platform`);
    expect(e.hint).toBe("build for one platform: docker build --platform linux/arm64 --provenance=false --sbom=false (what `logship build` runs), then push again");
  });

  it("a Docker manifest list is read the same way", async () => {
    const list = JSON.stringify({
      schemaVersion: 2, mediaType: DOCKER_LIST,
      manifests: [{ mediaType: "application/vnd.docker.distribution.manifest.v2+json", digest: IMG, size: 528, platform: AMD64 }],
    });
    const digest = ecrHolds(list, DOCKER_LIST);
    expect((await refusal(digest)).message).toContain("the containerd image store wrapped it when it was pushed");
  });

  it("the index cannot be read (gone by now): the refusal names every cause", async () => {
    const digest = ecrHolds(index(image(AMD64)), OCI_INDEX);
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [], failures: [{ imageId: { imageDigest: digest }, failureCode: "ImageNotFound", failureReason: "Requested image not found" }],
    });
    const e = await refusal(digest);
    expect(e.message).toBe(`${short(digest)} is an image index (its contents could not be read); Lambda runs only a single-image manifest`);
    expect(e.hint).toContain("--provenance=false");
    expect(e.hint).toContain("docker push --platform linux/amd64");
    expect(e.hint).toContain("containerd-snapshotter");
  });

  it("a single-image manifest passes, and the index is never fetched", async () => {
    const digest = ecrHolds(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] }), OCI_MANIFEST);
    const { ctx, image: img } = setup(digest);
    const [guard] = lambdaTarget().deploySteps(ctx, img);
    expect(await guard.run(ctx)).toBe("OCI manifest, x86_64");
    expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(0);
  });
});

describe("readImageIndex / indexCause (pure; shared with the moto suite)", () => {
  it.each([
    ["attestations", index(image(AMD64), attestation()), { platforms: ["linux/amd64"], attestations: 1 }, "attestations"],
    ["wrapped at push", index(image(AMD64)), { platforms: ["linux/amd64"], attestations: 0 }, "wrapped-at-push"],
    ["several platforms", index(image(AMD64), image(ARM64)), { platforms: ["linux/amd64", "linux/arm64/v8"], attestations: 0 }, "several-platforms"],
    // An unknown/unknown entry without the annotation is still not an image Lambda could run.
    ["unknown/unknown, no annotation", index(image(AMD64), image({ architecture: "unknown", os: "unknown" })), { platforms: ["linux/amd64"], attestations: 1 }, "attestations"],
    ["only attestations", index(attestation()), { platforms: [], attestations: 1 }, "unreadable"],
    ["not JSON", "{", undefined, "unreadable"],
    ["a single manifest, not an index", JSON.stringify({ schemaVersion: 2, layers: [] }), undefined, "unreadable"],
  ])("%s", (_name, text, contents, cause) => {
    expect(readImageIndex(text)).toEqual(contents);
    expect(indexCause(readImageIndex(text))).toBe(cause);
  });

  it("indexRefusal is the message the guard throws", () => {
    const contents = readImageIndex(index(image(AMD64)));
    expect(indexRefusal("demo@abc", contents, "linux/amd64").message).toMatch(/^demo@abc is an image index around one linux\/amd64 image/);
  });
});
