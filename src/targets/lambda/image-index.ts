// Why ECR holds an image index where Lambda needs one image, read from the index itself, and the fix
// that works for that cause. Pure: the guard (image-guard.ts) and the moto suite share the message.
//
// Three things put an index in the registry (aws-apis.md §2 and §9 "Docker 29 and BuildKit"):
// - BuildKit attestations (provenance on by default): the image's manifest plus one manifest per
//   attestation, platform unknown/unknown, annotated vnd.docker.reference.type: attestation-manifest
//   (https://docs.docker.com/build/metadata/attestations/attestation-storage/).
// - The containerd image store (Docker 29's default on fresh installs) wraps even a single-platform
//   image in an index when it pushes; `docker push --platform` pushes the manifest alone
//   (moby/moby#51532; Engine API 1.46+, docker/cli 27+: see PUSH_PLATFORM_API in src/docker/args.ts).
// - A multi-platform build (`--platform linux/amd64,linux/arm64`).
// Lambda does not pick a platform out of an index (aws/aws-lambda-roadmap#82).
import { PUSH_PLATFORM_API } from "../../docker/args.js";

export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
export const INDEX_TYPES = [OCI_INDEX, DOCKER_MANIFEST_LIST];

export interface IndexContents {
  /** Platforms of the image manifests in it ("linux/amd64"), attestations left out. */
  platforms: string[];
  /** How many attestation manifests (provenance, SBOM) it holds. */
  attestations: number;
}

export type IndexCause = "several-platforms" | "attestations" | "wrapped-at-push" | "unreadable";

interface Descriptor {
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

const isAttestation = (d: Descriptor) =>
  d.annotations?.["vnd.docker.reference.type"] === "attestation-manifest" ||
  (d.platform?.os === "unknown" && d.platform?.architecture === "unknown");

const platformOf = (d: Descriptor) =>
  [d.platform?.os ?? "unknown", d.platform?.architecture ?? "unknown", d.platform?.variant].filter(Boolean).join("/");

/** The index's manifests, from the exact JSON text ECR returns (BatchGetImage imageManifest). */
export function readImageIndex(manifest: string | undefined): IndexContents | undefined {
  let doc: { manifests?: unknown };
  try {
    doc = JSON.parse(manifest ?? "");
  } catch {
    return undefined;
  }
  if (!Array.isArray(doc?.manifests)) return undefined;
  const entries = doc.manifests as Descriptor[];
  const images = entries.filter((d) => !isAttestation(d));
  return { platforms: [...new Set(images.map(platformOf))], attestations: entries.length - images.length };
}

export function indexCause(contents: IndexContents | undefined): IndexCause {
  if (!contents || contents.platforms.length === 0) return "unreadable";
  if (contents.platforms.length > 1) return "several-platforms";
  return contents.attestations > 0 ? "attestations" : "wrapped-at-push";
}

const pushPlatform = (platform: string) =>
  `docker push --platform ${platform} (Docker Engine 27+ with API ${PUSH_PLATFORM_API}+; \`logship push\` adds it itself on such an engine)`;
const storeOff = "turn the containerd image store off (\"features\": {\"containerd-snapshotter\": false} in /etc/docker/daemon.json, " +
  "then restart dockerd; Docker Desktop: Settings → General → \"Use containerd for pulling and storing images\")";
const noAttestations = "docker build --provenance=false --sbom=false (or BUILDX_NO_DEFAULT_ATTESTATIONS=1)";

/**
 * The refusal for an index at `ref` ("demo@3f2a…"): what it holds, why, and what fixes it.
 * `want` is the platform targets.lambda.architecture asks for ("linux/amd64").
 */
export function indexRefusal(ref: string, contents: IndexContents | undefined, want: string): { message: string; hint: string } {
  const lambdaWants = "Lambda runs only a single-image manifest";
  const cause = indexCause(contents);
  if (cause === "several-platforms") {
    return {
      message: `${ref} is a multi-platform image index (${contents!.platforms.join(", ")}); ${lambdaWants} of one platform`,
      hint: `build for one platform: docker build --platform ${want} --provenance=false --sbom=false (what \`logship build\` runs), then push again`,
    };
  }
  const platform = contents?.platforms[0] ?? want;
  // The image inside is of the wrong platform: no push flag helps, it has to be built again.
  const rebuild = platform !== want && cause !== "unreadable" ? `rebuild for ${want} (the image inside is ${platform}), then ` : "";
  const target = rebuild ? want : platform;
  if (cause === "attestations") {
    const n = contents!.attestations;
    return {
      message: `${ref} is an image index: one ${platform} image and ${n} build attestation manifest${n === 1 ? "" : "s"} (provenance/SBOM); ${lambdaWants}`,
      hint: `${rebuild}rebuild without attestations: ${noAttestations}, then push again; or push the image alone: ${pushPlatform(target)}`,
    };
  }
  if (cause === "wrapped-at-push") {
    return {
      message: `${ref} is an image index around one ${platform} image, no attestations: the containerd image store wrapped it when it was pushed (Docker 29's default); ${lambdaWants}`,
      hint: `${rebuild}push again with ${pushPlatform(target)}, or ${storeOff} and push again`,
    };
  }
  return {
    message: `${ref} is an image index (its contents could not be read); ${lambdaWants}`,
    hint: `build one platform without attestations (${noAttestations} --platform ${want}) and push with ${pushPlatform(want)}, or ${storeOff}`,
  };
}
