// build and push against the real Docker engine and the loopback registry; the manifest is read back
// over the registry's HTTP API, not through docker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, inspect, makeProject, realParts, REGISTRY, runCli, type Project } from "./helpers.js";

const parts = await realParts();

const MANIFEST_TYPES = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json";

describe.skipIf(parts.skip)("build and push (real Docker, real registry)", () => {
  let p: Project;
  beforeAll(async () => {
    parts.assert();
    p = await makeProject();
  });
  afterAll(() => cleanupProject(p));

  it("builds the image with the tag policy's tag, OCI labels and amd64", async () => {
    const r = await runCli(["build"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const image = await inspect("image", `${p.app}:1.2.3`);
    expect(image, `image ${p.app}:1.2.3 should exist`).toBeDefined();
    expect(image.Config.Labels["org.opencontainers.image.version"]).toBe("1.2.3");
    expect(image.Config.Labels["org.opencontainers.image.title"]).toBe(p.app);
    expect(image.Architecture).toBe("amd64");
    // stdout carries the data line: the local ref and the image id.
    expect(r.stdout.trim()).toBe(`${p.app}:1.2.3 ${image.Id}`);
  }, 60_000);

  it("building again reports the image unchanged", async () => {
    const before = (await inspect("image", `${p.app}:1.2.3`)).Id;
    const r = await runCli(["build"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/unchanged/);
    expect((await inspect("image", `${p.app}:1.2.3`)).Id).toBe(before);
  }, 60_000);

  let digest: string;
  it("pushes and prints repository@digest, which the registry serves as a single-image manifest", async () => {
    const r = await runCli(["push"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const printed = new RegExp(`^${p.repository}@(sha256:[a-f0-9]{64})$`, "m").exec(r.stdout);
    expect(printed, r.stdout).not.toBeNull();
    digest = printed![1];

    const res = await fetch(`http://${REGISTRY}/v2/${p.app}/manifests/1.2.3`, { headers: { Accept: MANIFEST_TYPES } });
    expect(res.status).toBe(200);
    expect(res.headers.get("docker-content-digest")).toBe(digest);
    const manifest = await res.json();
    const mediaType = manifest.mediaType ?? res.headers.get("content-type");
    expect(["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"]).toContain(mediaType);
    expect(manifest.manifests, "an index has `manifests`; a single image has `layers`").toBeUndefined();
    expect(manifest.layers?.length).toBeGreaterThan(0);
    // The registry holds the very image that was built: its config blob is the local image id.
    expect(manifest.config.digest).toBe((await inspect("image", `${p.app}:1.2.3`)).Id);
  }, 60_000);

  it("pushing again skips the upload and reports the same digest (--json)", async () => {
    expect(digest).toBeDefined();
    const r = await runCli(["push", "--json"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: "push", ok: true, dryRun: false });
    const step = doc.steps.find((s: { id: string }) => s.id === "registry.push");
    expect(step.status).toBe("skipped");
    expect(doc.images[0]).toMatchObject({ tag: "1.2.3", digest, uploadSkipped: true, pushed: `${p.repository}@${digest}` });
  }, 60_000);
});
