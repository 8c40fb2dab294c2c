// Rollback and releases. ECR answers DescribeImages as its API model says (ecr-images-fake.ts): only
// ACTIVE images unless filter.imageStatus asks for more, ImageNotFoundException for a digest it does
// not hold, imageStatus ARCHIVED for an archived image.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  GetAliasCommand, GetFunctionUrlConfigCommand, LambdaClient, ListVersionsByFunctionCommand, PreconditionFailedException, UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import {
  DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, RepositoryNotFoundException, UpdateImageStorageClassCommand, type ImageDetail,
} from "@aws-sdk/client-ecr";
import { lambdaReleases, lambdaRollbackSteps, pickRelease } from "../../src/targets/lambda/rollback.js";
import { registryReleases, registryRollbackSteps } from "../../src/rollback/registry.js";
import { runSteps, PipelineError } from "../../src/pipeline.js";
import { exitCodeOf } from "../../src/errors.js";
import type { Target } from "../../src/targets/index.js";
import type { ImageState } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";
import { fakeEcrImages } from "../helpers/ecr-images-fake.js";

const lambda = mockClient(LambdaClient);
const ecr = mockClient(ECRClient);
afterEach(() => {
  lambda.reset();
  ecr.reset();
});

const sha = (c: string) => c.repeat(64);
const lambdaConfig = { app: "shop", targets: { lambda: { function: "shop-fn" } } };

function versions(live: string) {
  fakeEcrImages(ecr, ["a", "b", "c"].map((c) => ({ imageDigest: `sha256:${sha(c)}` })));
  // GetAlias answers the alias's RevisionId too (API_AliasConfiguration.html).
  lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: live, RevisionId: "alias-rev-1" });
  lambda.on(ListVersionsByFunctionCommand)
    .resolvesOnce({ Versions: [{ Version: "$LATEST", CodeSha256: sha("c") }, { Version: "1", CodeSha256: sha("a") }], NextMarker: "m" })
    .resolvesOnce({ Versions: [{ Version: "2", CodeSha256: sha("b") }, { Version: "3", CodeSha256: sha("c") }] });
}

describe("lambda rollback", () => {
  it("lists versions newest first across pages, marking the live one", async () => {
    versions("3");
    const { ctx } = testContext(lambdaConfig);
    const list = await lambdaReleases(ctx);
    expect(list.map((r) => [r.id, r.live])).toEqual([["3", true], ["2", false], ["1", false]]);
    expect(list[1].image).toBe(`sha256:${sha("b")}`);
  });

  it("moves the alias to the previous version and smoke-tests nothing without a URL", async () => {
    versions("3");
    lambda.on(UpdateAliasCommand).resolves({});
    lambda.on(GetFunctionUrlConfigCommand).rejects(Object.assign(new Error("none"), { name: "ResourceNotFoundException" }));
    const { ctx } = testContext(lambdaConfig);
    const results = await runSteps(lambdaRollbackSteps(ctx), ctx);
    expect(lambda.commandCalls(UpdateAliasCommand)[0].args[0].input).toEqual({ FunctionName: "shop-fn", Name: "live", FunctionVersion: "2", RevisionId: "alias-rev-1" });
    expect(results[0].detail).toMatch(/^version 3 → 2/);
    expect(results[1].detail).toBe("no function URL");
  });

  it("an alias another deploy moved meanwhile is reported, not overwritten (its RevisionId moved on)", async () => {
    versions("3");
    lambda.on(UpdateAliasCommand).rejects(new PreconditionFailedException({
      message: "The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id", $metadata: {},
    }));
    const { ctx } = testContext(lambdaConfig);
    const e = await runSteps(lambdaRollbackSteps(ctx), ctx).then(() => undefined, (err) => err.cause ?? err);
    expect(e.message).toBe("another deploy changed Lambda function shop-fn meanwhile (its RevisionId moved on)");
  });

  it("--to accepts a version or a digest; the live one is a skip, not a write", async () => {
    const list = [
      { id: "3", image: `sha256:${sha("c")}`, live: true },
      { id: "1", image: `sha256:${sha("a")}`, live: false },
    ];
    expect(pickRelease(list, "1").id).toBe("1");
    expect(pickRelease(list, `sha256:${sha("a")}`).id).toBe("1");
    expect(() => pickRelease(list, "9")).toThrow("--to 9: no such version; `logship releases lambda` lists them");
    versions("3");
    const { ctx } = testContext(lambdaConfig);
    const results = await runSteps(lambdaRollbackSteps(ctx, "3").slice(0, 1), ctx);
    expect(results[0]).toMatchObject({ status: "skipped", detail: "version 3 is already live" });
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it("no previous version is a clear error, exit 1", async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: "1" });
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: "1", CodeSha256: sha("a") }] });
    fakeEcrImages(ecr, [{ imageDigest: `sha256:${sha("a")}` }]);
    const { ctx } = testContext(lambdaConfig);
    const err = await runSteps(lambdaRollbackSteps(ctx), ctx).catch((e) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect(err.cause.message).toBe("lambda: no previous version to roll back to (live is version 1)");
    expect(exitCodeOf(err.cause)).toBe(1);
  });
});

describe("App Runner / ECS rollback: redeploy an earlier digest", () => {
  const repoUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop";
  function fakeTarget(live: string, previous?: string) {
    const deployed: ImageState[] = [];
    const target: Target = {
      needsRegistry: true,
      deploySteps: (_ctx, image) => [{ id: "fake.deploy", title: () => "deploy", describe: () => [], run: async () => void deployed.push(image) }],
      destroySteps: () => [],
      status: async () => ({ target: "apprunner", exists: true, image: `${repoUri}@${live}` }),
      previousImage: previous ? async () => `${repoUri}@${previous}` : undefined,
    };
    return { target, deployed };
  }
  const images = {
    imageDetails: <ImageDetail[]>[
      { imageDigest: `sha256:${sha("1")}`, imagePushedAt: new Date("2026-11-01"), imageTags: ["1.0.0"] },
      { imageDigest: `sha256:${sha("3")}`, imagePushedAt: new Date("2026-11-03"), imageTags: ["1.2.0"] },
      { imageDigest: `sha256:${sha("2")}`, imagePushedAt: new Date("2026-11-02"), imageTags: ["1.1.0"] },
    ],
  };
  const config = { app: "shop", targets: { apprunner: { service: "shop-svc" } } };

  it("prefers the image recorded on the resource (logship:previous-image)", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: repoUri }] });
    const { target, deployed } = fakeTarget(`sha256:${sha("3")}`, `sha256:${sha("1")}`);
    fakeEcrImages(ecr, images.imageDetails);
    const { ctx } = testContext(config);
    await runSteps(await registryRollbackSteps(ctx, "apprunner", target), ctx);
    expect(deployed[0].remote).toEqual({ repository: repoUri, tag: "", digest: `sha256:${sha("1")}` });
    // No listing: only the look-up of the chosen image's storage class.
    expect(ecr.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input))
      .toEqual([{ repositoryName: "shop", imageIds: [{ imageDigest: `sha256:${sha("1")}` }], filter: { imageStatus: "ANY" } }]);
  });

  it("ignores a recorded image that is live (the update it was written for rolled back)", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: repoUri }] });
    fakeEcrImages(ecr, images.imageDetails);
    const { target, deployed } = fakeTarget(`sha256:${sha("3")}`, `sha256:${sha("3")}`);
    const { ctx } = testContext(config);
    await runSteps(await registryRollbackSteps(ctx, "apprunner", target), ctx);
    expect(deployed[0].remote?.digest).toBe(`sha256:${sha("2")}`);
  });

  it("otherwise takes the image pushed before the live one", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: repoUri }] });
    fakeEcrImages(ecr, images.imageDetails);
    const { target, deployed } = fakeTarget(`sha256:${sha("3")}`);
    const { ctx } = testContext(config);
    const releases = await registryReleases(ctx, "apprunner", target);
    expect(releases.map((r) => [r.description, r.live])).toEqual([["1.2.0", true], ["1.1.0", false], ["1.0.0", false]]);
    await runSteps(await registryRollbackSteps(ctx, "apprunner", target), ctx);
    expect(deployed[0].remote?.digest).toBe(`sha256:${sha("2")}`);
  });

  it("the image to go back to is chosen when the steps run (under the deploy lock), not when the plan is made", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: repoUri }] });
    fakeEcrImages(ecr, images.imageDetails);
    const { target, deployed } = fakeTarget(`sha256:${sha("3")}`);
    let reads = 0;
    const counted: Target = { ...target, status: async (c) => (reads++, target.status(c)) };
    const { ctx } = testContext(config);
    const steps = registryRollbackSteps(ctx, "apprunner", counted);
    expect(steps[0].id).toBe("registry.choose-release");
    expect(reads).toBe(0);
    expect(ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(0);
    await runSteps(steps, ctx);
    expect(reads).toBeGreaterThan(0);
    expect(deployed[0].remote?.digest).toBe(`sha256:${sha("2")}`);
  });

  it("the oldest image live → no previous image; a bad --to is a usage error", async () => {
    fakeEcrImages(ecr, images.imageDetails);
    const { target } = fakeTarget(`sha256:${sha("1")}`);
    const { ctx } = testContext(config);
    // The choice is the first step (it runs under the deploy lock); a malformed --to fails before any step.
    await expect(runSteps(registryRollbackSteps(ctx, "apprunner", target), ctx)).rejects.toThrow("apprunner: no previous image to roll back to");
    const bad = (() => {
      try {
        registryRollbackSteps(ctx, "apprunner", target, "v2");
      } catch (e) {
        return e;
      }
    })();
    expect(exitCodeOf(bad)).toBe(2);
  });

  it("a repository deleted since the push is logship's one line, exit 1 (not the SDK's exception)", async () => {
    // A missing name is RepositoryNotFoundException, not an empty list (API_DescribeRepositories.html; message as ECR words it).
    ecr.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({
      message: "The repository with name 'shop' does not exist in the registry with id '123456789012'", $metadata: { httpStatusCode: 400 },
    }));
    const { target } = fakeTarget(`sha256:${sha("3")}`);
    const { ctx } = testContext(config);
    const err = (await runSteps(registryRollbackSteps(ctx, "apprunner", target, `sha256:${sha("1")}`), ctx).catch((e) => e)).cause;
    expect(err.message).toBe("rollback apprunner: repository shop not found");
    expect(exitCodeOf(err)).toBe(1);
  });
});

describe("ECR archive: rollback to an image that cannot be pulled", () => {
  const repoUri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop";
  const config = { app: "shop", targets: { apprunner: { service: "shop-svc" } } };
  const D = (c: string) => `sha256:${sha(c)}`;
  const archived = (c: string, pushed: string): ImageDetail => ({
    imageDigest: D(c), imagePushedAt: new Date(pushed), imageTags: ["1.1.0"], imageStatus: "ARCHIVED", lastArchivedAt: new Date("2026-11-20T00:00:00Z"),
  });
  function setup(restore = false) {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: repoUri }] });
    const store = fakeEcrImages(ecr, [
      { imageDigest: D("1"), imagePushedAt: new Date("2026-11-01"), imageTags: ["1.0.0"] },
      archived("2", "2026-11-02"),
      { imageDigest: D("3"), imagePushedAt: new Date("2026-11-03"), imageTags: ["1.2.0"] },
    ]);
    const deployed: ImageState[] = [];
    const target: Target = {
      needsRegistry: true,
      deploySteps: (_c, image) => [{ id: "fake.deploy", title: () => "deploy", describe: () => [], run: async () => void deployed.push(image) }],
      destroySteps: () => [],
      status: async () => ({ target: "apprunner", exists: true, image: `${repoUri}@${D("3")}` }),
    };
    const t = testContext(config);
    t.ctx.options = { restore };
    return { ...t, target, deployed, store };
  }

  it("releases lists archived images too (filter ANY) and marks them", async () => {
    const { ctx, target } = setup();
    const releases = await registryReleases(ctx, "apprunner", target);
    expect(releases.map((r) => [r.description, r.storage])).toEqual([["1.2.0", undefined], ["1.1.0", "ARCHIVED"], ["1.0.0", undefined]]);
    expect(ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({ repositoryName: "shop", nextToken: undefined, filter: { imageStatus: "ANY" } });
  });

  it("the previous image is archived: says restore it first, deploys nothing, writes nothing", async () => {
    const { ctx, target, deployed } = setup();
    const err = await runSteps(await registryRollbackSteps(ctx, "apprunner", target), ctx).catch((e) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect(err.cause.message).toBe(`image ${D("2").slice(0, 19)}… is archived in ECR since 2026-11-20: the service cannot pull it, restore it first`);
    expect(err.cause.hint).toContain("`logship rollback apprunner --restore`");
    expect(err.cause.hint).toContain(`aws ecr update-image-storage-class --repository-name shop --image-id imageDigest=${D("2")} --target-storage-class STANDARD`);
    expect(exitCodeOf(err.cause)).toBe(1);
    expect(deployed).toEqual([]);
    expect(ecr.commandCalls(UpdateImageStorageClassCommand)).toHaveLength(0);
  });

  it("--restore: UpdateImageStorageClass to STANDARD, waits through ACTIVATING, then deploys", async () => {
    vi.useFakeTimers();
    try {
      const { ctx, target, deployed, store } = setup(true);
      const lines: string[] = [];
      ctx.reporter.progress = (_e, line) => void lines.push(line);
      const run = runSteps(await registryRollbackSteps(ctx, "apprunner", target), ctx);
      let done = false;
      void run.finally(() => (done = true));
      for (let i = 0; !done && i < 120; i++) await vi.advanceTimersByTimeAsync(1000);
      const results = await run;
      expect(ecr.commandCalls(UpdateImageStorageClassCommand).map((c) => c.args[0].input))
        .toEqual([{ repositoryName: "shop", imageId: { imageDigest: D("2") }, targetStorageClass: "STANDARD" }]);
      expect(store[1].imageStatus).toBe("ACTIVE");
      // The choice of image runs first (registry.choose-release), then the pullable check.
      expect(results.find((r) => r.id === "ecr.image-pullable")).toMatchObject({ id: "ecr.image-pullable", status: "done", detail: `restored ${D("2").slice(0, 19)}… from the ECR archive` });
      expect(lines[0]).toMatch(/^restoring sha256:2{12}… from the ECR archive: ACTIVATING \(\d+s\)$/);
      expect(deployed[0].remote?.digest).toBe(D("2"));
    } finally {
      vi.useRealTimers();
    }
  });

  it("lambda: a version whose image is archived is marked, and not made live", async () => {
    lambda.on(GetAliasCommand).resolves({ FunctionVersion: "2" });
    lambda.on(ListVersionsByFunctionCommand).resolves({ Versions: [{ Version: "1", CodeSha256: sha("a") }, { Version: "2", CodeSha256: sha("b") }] });
    fakeEcrImages(ecr, [archived("a", "2026-11-01"), { imageDigest: D("b") }]);
    const { ctx } = testContext(lambdaConfig);
    expect((await lambdaReleases(ctx)).map((r) => [r.id, r.storage])).toEqual([["2", undefined], ["1", "ARCHIVED"]]);
    const err = await runSteps(lambdaRollbackSteps(ctx), ctx).catch((e) => e);
    expect(err.cause.message).toBe(`image ${D("a").slice(0, 19)}… is archived in ECR since 2026-11-20: the service cannot pull it, restore it first`);
    expect(err.cause.hint).toContain("`logship rollback lambda --restore`");
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });
});

// Hypothetical: no public source says ECR refuses imageIds together with a filter, nor with what text;
// the fallback exists in case it does (archive.ts, describeOne).
describe("ECR archive: an ECR that refuses imageIds with a filter", () => {
  it("finds the image's storage class in the filtered listing instead", async () => {
    const store = fakeEcrImages(ecr, [{ imageDigest: `sha256:${sha("9")}`, imageStatus: "ARCHIVED" }]);
    const listing = ecr.commandCalls.bind(ecr);
    ecr.on(DescribeImagesCommand, { imageIds: [{ imageDigest: `sha256:${sha("9")}` }] })
      .rejects(Object.assign(new Error("Invalid parameter: filter cannot be used with imageIds"), { name: "InvalidParameterException", $metadata: {} }));
    const { ensurePullable } = await import("../../src/rollback/archive.js");
    const { ctx } = testContext({ app: "shop", targets: { apprunner: { service: "shop-svc" } } });
    const err = await ensurePullable(ctx, { repository: "shop", digest: `sha256:${sha("9")}`, restore: false, command: "logship rollback apprunner" }).catch((e) => e);
    expect(err.message).toMatch(/is archived in ECR: the service cannot pull it, restore it first$/);
    expect(listing(DescribeImagesCommand).map((c) => c.args[0].input.imageIds ? "by id" : "listing")).toEqual(["by id", "listing"]);
    expect(store[0].imageStatus).toBe("ARCHIVED");
  });
});
