// Tag and push: skip when the registry already holds this image under this tag, refuse to
// overwrite an immutable tag, record the digest docker reports.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { BatchGetImageCommand,
  DescribeImagesCommand, ECRClient, ImageNotFoundException } from "@aws-sdk/client-ecr";
import { parsePushDigest, pushStep, remoteRepository } from "../../src/steps/push.js";
import { runSteps, PipelineError } from "../../src/pipeline.js";
import { DeployError } from "../../src/errors.js";
import type { ImageRegistry } from "../../src/images.js";
import type { ImageState } from "../../src/steps/types.js";
import type { DockerResult } from "../../src/docker/runner.js";
import { main } from "../../src/cli.js";
import type { StepResult } from "../../src/pipeline.js";
import { fakeDocker, testContext } from "../helpers/context.js";

const ecrMock = mockClient(ECRClient);
const URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/log-analyzer";
const LOCAL_REG = "localhost:5000/log-analyzer";
const IMAGE_ID = "sha256:" + "1".repeat(64);
const D = "sha256:" + "a".repeat(64);
const OTHER = "sha256:" + "b".repeat(64);
const PUSH_OUT = `The push refers to repository [${URI}]\n5f70bf18a086: Pushed\n1.0.0: digest: ${D} size: 528`;

const ecr = (over: Partial<Extract<ImageRegistry, { type: "ecr" }>> = {}): ImageRegistry =>
  ({ type: "ecr", repository: "log-analyzer", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30, ...over });

function image(registry: ImageRegistry = ecr(), over: Partial<ImageState> = {}): ImageState {
  return {
    spec: {
      key: "app", name: "log-analyzer", dockerfile: "Dockerfile", context: ".", platform: "linux/amd64", buildArgs: {},
      labels: {}, tagSuffix: "", targets: ["apprunner"], registry,
    },
    tag: "1.0.0", localRefs: ["log-analyzer:1.0.0"], imageId: IMAGE_ID,
    repositoryUri: registry.type === "ecr" ? URI : undefined,
    ...over,
  };
}

/** A fake docker that knows the local image's RepoDigests and answers push / manifest inspect. */
function setup(answers: { repoDigests?: string[]; push?: Partial<DockerResult>; manifest?: Partial<DockerResult> } = {}) {
  const fake = fakeDocker((args) => {
    if (args[0] === "image" && args[1] === "inspect") return { stdout: JSON.stringify([{ Id: IMAGE_ID, RepoDigests: answers.repoDigests ?? [] }]) };
    if (args[0] === "push") return answers.push ?? { stdout: PUSH_OUT };
    if (args[0] === "manifest") return answers.manifest ?? { exitCode: 1, stderr: "no such manifest" };
    return undefined;
  });
  const { ctx, stderr } = testContext({ app: "log-analyzer" }, { docker: fake.docker });
  ctx.session.dockerConfig = "/tmp/logship-docker-test";
  return { ctx, calls: fake.calls, stderr };
}

/** The PipelineError a run is expected to end with. */
async function failure(p: Promise<unknown>): Promise<PipelineError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PipelineError);
  return err as PipelineError;
}

const describeImagesInputs = () => ecrMock.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input);
const WANT_DESCRIBE = [{ repositoryName: "log-analyzer", imageIds: [{ imageTag: "1.0.0" }] }];

beforeEach(() => ecrMock.reset());

describe("pushStep on ECR", () => {
  it("skips the upload when the tag holds the digest the local image has", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: D, imageTags: ["1.0.0"] }] });
    const img = image();
    const { ctx, calls } = setup({ repoDigests: [`${URI}@${D}`] });
    const results = await runSteps([pushStep(img)], ctx);
    expect(results).toMatchObject([{ id: "registry.push", status: "skipped", detail: `already in the registry: ${URI}@${D}` }]);
    expect(img.remote).toEqual({ repository: URI, tag: "1.0.0", digest: D, skipped: true });
    expect(describeImagesInputs()).toEqual(WANT_DESCRIBE);
    expect(calls.map((c) => c.args)).toEqual([["image", "inspect", IMAGE_ID]]);
  });

  it("tags and pushes when the tag is absent, with the run's DOCKER_CONFIG, and records the digest", async () => {
    ecrMock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: "Requested image not found", $metadata: {} }));
    const img = image();
    const { ctx, calls } = setup();
    const results = await runSteps([pushStep(img)], ctx);
    expect(results).toMatchObject([{ status: "done", detail: `${URI}@${D}` }]);
    expect(calls.map((c) => c.args)).toEqual([
      ["tag", "log-analyzer:1.0.0", `${URI}:1.0.0`],
      ["push", `${URI}:1.0.0`],
    ]);
    expect(calls[1].opts.env).toEqual({ DOCKER_CONFIG: "/tmp/logship-docker-test" });
    expect(calls[1].opts.input).toBeUndefined();
    expect(img.remote).toEqual({ repository: URI, tag: "1.0.0", digest: D });
    expect(describeImagesInputs()).toEqual(WANT_DESCRIBE);
  });

  it.each([
    ["Docker 29 with the containerd image store: the image's own platform, so ECR gets one manifest", { apiVersion: "1.52", clientApiVersion: "1.52", imageStore: "containerd" as const },
      ["push", "--platform", "linux/amd64", `${URI}:1.0.0`]],
    ["engine 20.10 (API 1.41): a plain push", { apiVersion: "1.41", clientApiVersion: "1.41", imageStore: "graphdriver" as const }, ["push", `${URI}:1.0.0`]],
  ])("%s", async (_name, engine, want) => {
    ecrMock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: "Requested image not found", $metadata: {} }));
    const { ctx, calls } = setup();
    ctx.engine = engine;
    await runSteps([pushStep(image())], ctx);
    expect(calls.map((c) => c.args).filter((a) => a[0] === "push")).toEqual([want]);
    expect(pushStep(image()).describe(ctx)[1].command).toEqual(want);
  });

  it("refuses to push over a tag with other content in an IMMUTABLE repository", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OTHER }] });
    const img = image(ecr({ tagMutability: "IMMUTABLE" }));
    const { ctx, calls } = setup({ repoDigests: [`${URI}@${D}`] });
    const err = await failure(runSteps([pushStep(img)], ctx));
    expect(err.cause).toBeInstanceOf(DeployError);
    const cause = err.cause as DeployError;
    expect(cause.message).toBe("tag 1.0.0 already exists in log-analyzer with other content, and the repository is immutable");
    expect(cause.hint).toMatch(/change image.tag/);
    expect(err.results).toMatchObject([{ status: "failed" }]);
    expect(calls.map((c) => c.args[0])).not.toContain("push");
    expect(calls.map((c) => c.args[0])).not.toContain("tag");
    expect(img.remote).toBeUndefined();
  });

  it("pushes over a tag with other content in a MUTABLE repository", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OTHER }] });
    const img = image(ecr({ tagMutability: "MUTABLE" }));
    const { ctx, calls } = setup({ repoDigests: [`${URI}@${OTHER.replace("b", "c")}`] });
    await runSteps([pushStep(img)], ctx);
    expect(calls.map((c) => c.args)).toEqual([
      ["image", "inspect", IMAGE_ID],
      ["tag", "log-analyzer:1.0.0", `${URI}:1.0.0`],
      ["push", `${URI}:1.0.0`],
    ]);
    expect(img.remote).toEqual({ repository: URI, tag: "1.0.0", digest: D });
  });

  it("a fresh runner that rebuilt the same image: the registry manifest's config is the local image id → skip", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OTHER }] });
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{ imageManifest: JSON.stringify({ schemaVersion: 2, config: { digest: IMAGE_ID } }) }],
    });
    const img = image(ecr({ tagMutability: "IMMUTABLE" }));
    const { ctx, calls } = setup({ repoDigests: [] });
    const results = await runSteps([pushStep(img)], ctx);
    expect(results[0].status).toBe("skipped");
    expect(img.remote).toEqual({ repository: URI, tag: "1.0.0", digest: OTHER, skipped: true });
    expect(ecrMock.commandCalls(BatchGetImageCommand)[0].args[0].input).toMatchObject({
      repositoryName: "log-analyzer", imageIds: [{ imageTag: "1.0.0" }],
    });
    expect(calls.map((c) => c.args[0])).not.toContain("push");
  });

  it("does not count a digest recorded for another repository", async () => {
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: D }] });
    const img = image();
    const { ctx, calls } = setup({ repoDigests: [`${LOCAL_REG}@${D}`] });
    expect(await pushStep(img).isDone!(ctx)).toBe(false);
    expect(img.remote).toBeUndefined();
    expect(calls.map((c) => c.args)).toEqual([["image", "inspect", IMAGE_ID]]);
  });

  it("fails when docker push reports no digest", async () => {
    ecrMock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: "not found", $metadata: {} }));
    const img = image();
    const { ctx } = setup({ push: { stdout: "The push refers to repository\n5f70bf18a086: Pushed\n" } });
    const err = await failure(runSteps([pushStep(img)], ctx));
    expect(err.cause).toBeInstanceOf(DeployError);
    expect((err.cause as DeployError).message).toBe(`docker push ${URI}:1.0.0 reported no digest`);
    expect(img.remote).toBeUndefined();
  });

  it("finds the digest when docker prints it on stderr", async () => {
    ecrMock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: "not found", $metadata: {} }));
    const img = image();
    const { ctx } = setup({ push: { stdout: "", stderr: `1.0.0: digest: ${D} size: 528` } });
    expect(await pushStep(img).run(ctx)).toBe(`${URI}@${D}`);
  });

  it("lets other DescribeImages failures through", async () => {
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } }));
    const { ctx, calls } = setup();
    await expect(pushStep(image()).isDone!(ctx)).rejects.toThrow("denied");
    expect(calls).toHaveLength(0);
  });

  it("describes tag and push with a placeholder URI before the repository is known", () => {
    const { ctx } = setup();
    const img = image(ecr(), { repositoryUri: undefined });
    const ref = "<account>.dkr.ecr.<region>.amazonaws.com/log-analyzer:1.0.0";
    expect(pushStep(img).describe(ctx)).toEqual([
      { kind: "docker", command: ["tag", "log-analyzer:1.0.0", ref] },
      { kind: "docker", command: ["push", ref], note: "skipped when the registry already holds this image under this tag" },
    ]);
  });
});

describe("pushStep on a generic registry", () => {
  const generic: ImageRegistry = { type: "generic", repository: LOCAL_REG };
  const MANIFEST_ARGS = ["manifest", "inspect", "--insecure", "--verbose", `${LOCAL_REG}:1.0.0`];

  it("skips via docker manifest inspect, with no AWS call", async () => {
    const img = image(generic);
    const manifest = { Ref: `${LOCAL_REG}:1.0.0`, Descriptor: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: D, size: 528 } };
    const { ctx, calls } = setup({ repoDigests: [`${LOCAL_REG}@${D}`], manifest: { stdout: JSON.stringify(manifest) } });
    const results = await runSteps([pushStep(img)], ctx);
    expect(results).toMatchObject([{ status: "skipped", detail: `already in the registry: ${LOCAL_REG}@${D}` }]);
    expect(calls.map((c) => c.args)).toEqual([MANIFEST_ARGS, ["image", "inspect", IMAGE_ID]]);
    expect(calls[0].opts.allowFailure).toBe(true);
    expect(img.remote).toEqual({ repository: LOCAL_REG, tag: "1.0.0", digest: D, skipped: true });
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it("pushes with the user's docker credentials (no DOCKER_CONFIG) when the tag is absent", async () => {
    const img = image(generic);
    const { ctx, calls } = setup({ push: { stdout: `1.0.0: digest: ${D} size: 528` } });
    await runSteps([pushStep(img)], ctx);
    expect(calls.map((c) => c.args)).toEqual([MANIFEST_ARGS, ["tag", "log-analyzer:1.0.0", `${LOCAL_REG}:1.0.0`], ["push", `${LOCAL_REG}:1.0.0`]]);
    expect(calls[2].opts.env).toEqual({});
    expect(img.remote).toEqual({ repository: LOCAL_REG, tag: "1.0.0", digest: D });
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it("does not skip when the tag holds an image index (manifest inspect prints a list)", async () => {
    const img = image(generic);
    const { ctx, calls } = setup({ repoDigests: [`${LOCAL_REG}@${D}`], manifest: { stdout: JSON.stringify([{ Descriptor: { digest: D } }]) } });
    expect(await pushStep(img).isDone!(ctx)).toBe(false);
    expect(calls.map((c) => c.args)).toEqual([MANIFEST_ARGS]);
  });

  it("uses the registry URL as the repository", () => {
    expect(remoteRepository(image(generic))).toBe(LOCAL_REG);
  });
});

describe("parsePushDigest", () => {
  it.each([
    [`1.0.0: digest: ${D} size: 528`, D],
    [`The push refers to repository [x]\nabc: Pushed\nlatest: digest: ${OTHER} size: 1234\n`, OTHER],
    ["1.0.0: digest: sha256:abc size: 528", undefined],
    [`1.0.0: digest: sha256:${"A".repeat(64)} size: 528`, undefined],
    ["", undefined],
    ["Pushed", undefined],
  ])("%j → %s", (output, want) => {
    expect(parsePushDigest(output)).toBe(want);
  });
});

describe("logship push --dry-run --json (in-process, through main)", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "logship-push-dry-"));
    await writeFile(path.join(dir, "logship.yaml"), "app: demo\nversion: 1.0.0\nregistry:\n  type: ecr\n");
    await writeFile(path.join(dir, "Dockerfile"), "FROM scratch\n");
    // `docker buildx version` still runs in a dry run (allowFailure): make sure it cannot reach a real engine.
    vi.stubEnv("LOGSHIP_DOCKER", path.join(dir, "no-such-docker"));
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it("prints one JSON plan with the ECR calls and a stdin docker login, and calls no AWS API", async () => {
    ecrMock.onAnyCommand().rejects(new Error("a dry run must not call AWS"));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    let err = "";
    stdout.on("data", (d) => (out += d.toString()));
    stderr.on("data", (d) => (err += d.toString()));
    const code = await main(["node", "logship", "push", "--dry-run", "--json"], {
      stdout, stderr, env: { CI: "1" }, cwd: dir, isTTY: false, signal: new AbortController().signal, interactive: false,
    });
    expect(err).toBe("");
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { command: string; ok: boolean; dryRun: boolean; steps: StepResult[] };
    expect(doc).toMatchObject({ command: "push", ok: true, dryRun: true });
    expect(doc.steps.map((s) => [s.id, s.status])).toEqual([
      ["ecr.ensure-repository", "planned"],
      ["ecr.lifecycle-policy", "planned"],
      ["ecr.login", "planned"],
      ["registry.push", "planned"],
    ]);
    const actions = doc.steps.flatMap((s) => s.actions ?? []);
    expect(actions.map((a) => a.command)).toEqual([
      "ECR.DescribeRepositories",
      "ECR.CreateRepository",
      "ECR.PutLifecyclePolicy",
      "ECR.GetAuthorizationToken",
      ["login", "--username", "AWS", "--password-stdin", "<account>.dkr.ecr.<region>.amazonaws.com"],
      ["tag", "demo:1.0.0", "<account>.dkr.ecr.<region>.amazonaws.com/demo:1.0.0"],
      ["push", "<account>.dkr.ecr.<region>.amazonaws.com/demo:1.0.0"],
    ]);
    expect(actions.find((a) => a.command === "ECR.CreateRepository")?.input).toEqual({
      repositoryName: "demo", imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true },
      tags: [{ Key: "logship:app", Value: "demo" }],
    });
    expect(ecrMock.calls()).toHaveLength(0);
  });
});
