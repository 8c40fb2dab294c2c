// Docker 29's image indexes without Docker 29: what BuildKit or the containerd image store push (an
// OCI index holding the image and an attestation manifest; one platform wrapped in an index; several
// platforms) is written into the ECR stand-in through the registry API, so moto's ECR holds the real
// bytes. `deploy lambda` must refuse before any write, naming the cause and the fix that works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import type { Project } from "../integration/helpers.js";
import { logship, motoParts, motoProject, putBlob, putManifest, registryGet, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

describe.skipIf(parts.skip)("the Lambda guard against image indexes (moto, real registry bytes)", { timeout: 90_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  /** The single-image manifest logship pushed, as the registry holds it. */
  let image: { mediaType: string; digest: string; size: number };
  beforeAll(async () => {
    parts.assert();
    project = await motoProject(m, (p) => ({ targets: { lambda: { function: `${p.app}-fn` } } }));
    ({ p, env } = project);
    const pushed = await logship(["ship", "lambda", "--no-smoke", "--json"], p.dir, { env });
    if (pushed.code !== 0) throw new Error(pushed.stderr);
    const head = await registryGet(m, `/v2/${p.app}/manifests/1.2.3`, { method: "HEAD", auth: true, accept: DOCKER_MANIFEST });
    image = { mediaType: DOCKER_MANIFEST, digest: String(head.headers["docker-content-digest"]), size: Number(head.headers["content-length"]) };
  });
  afterAll(() => project?.cleanup());

  /** Tags `tag` with an index of `manifests`, then deploys that tag. */
  async function deployIndex(tag: string, manifests: unknown[]) {
    const index = await putManifest(m, p.app, tag, OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests });
    const r = await logship(["deploy", "lambda", "--tag", tag, "--no-smoke"], p.dir, { env });
    return { ...r, index };
  }

  const amd64 = () => ({ ...image, platform: { architecture: "amd64", os: "linux" } });

  it("an index with an attestation manifest (BuildKit's default): refused before any write; rebuild without attestations", async () => {
    // A BuildKit provenance attestation: an OCI manifest whose one layer is an in-toto statement,
    // listed in the index under platform unknown/unknown and annotated as an attestation.
    const statement = JSON.stringify({ _type: "https://in-toto.io/Statement/v0.1", predicateType: "https://slsa.dev/provenance/v0.2", subject: [] });
    const config = await putBlob(m, p.app, JSON.stringify({ architecture: "unknown", os: "unknown", config: {}, rootfs: { type: "layers", diff_ids: [] } }), "application/vnd.oci.image.config.v1+json");
    const layer = await putBlob(m, p.app, statement, "application/vnd.in-toto+json");
    const attestation = await putManifest(m, p.app, "sha256-attestation", OCI_MANIFEST, {
      schemaVersion: 2, mediaType: OCI_MANIFEST, config,
      layers: [{ ...layer, annotations: { "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2" } }],
    });
    const r = await deployIndex("with-attestation", [
      amd64(),
      {
        ...attestation, platform: { architecture: "unknown", os: "unknown" },
        annotations: { "vnd.docker.reference.digest": image.digest, "vnd.docker.reference.type": "attestation-manifest" },
      },
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.writes).toEqual([]);
    expect(r.stderr).toContain(`error: ${p.app}@${r.index.digest.slice(7, 19)} is an image index: one linux/amd64 image and 1 build attestation manifest (provenance/SBOM)`);
    expect(r.stderr).toMatch(/hint: rebuild without attestations: .*--provenance=false.*; or push the image alone: docker push --platform linux\/amd64/);
  });

  it("one platform wrapped in an index (the containerd image store's push): push with --platform, or turn the store off", async () => {
    const r = await deployIndex("one-platform", [amd64()]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.writes).toEqual([]);
    expect(r.stderr).toContain(`error: ${p.app}@${r.index.digest.slice(7, 19)} is an image index around one linux/amd64 image, no attestations: the containerd image store wrapped it`);
    expect(r.stderr).toMatch(/hint: push again with docker push --platform linux\/amd64 .*, or .*containerd/);
  });

  it("several platforms: build for the function's one platform", async () => {
    const r = await deployIndex("multi-platform", [amd64(), { ...image, platform: { architecture: "arm64", os: "linux" } }]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.writes).toEqual([]);
    expect(r.stderr).toContain(`error: ${p.app}@${r.index.digest.slice(7, 19)} is a multi-platform image index (linux/amd64, linux/arm64)`);
    expect(r.stderr).toContain("hint: build for one platform: docker build --platform linux/amd64");

    // What the function ran before is untouched: the refused deploys changed nothing.
    const aws = await sdk(m);
    const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: `${p.app}-fn` }));
    expect(fn.Code?.ImageUri).toBe(`${m.registryHost}/${p.app}@${image.digest}`);
  });
});
