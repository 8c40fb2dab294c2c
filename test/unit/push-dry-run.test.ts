// `logship push --dry-run` with live state (src/plan/dry-run.ts): the repository, lifecycle, login and
// push steps read ECR for real (aws-sdk-client-mock answers as ECR documents), send no write, run no
// docker tag, push or login, never ask for the registry token, and say per step what a real run would do.
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand, GetLifecyclePolicyCommand, ImageNotFoundException,
  LifecyclePolicyNotFoundException, RepositoryNotFoundException, type Repository,
} from "@aws-sdk/client-ecr";
import { pushSteps } from "../../src/commands/plans.js";
import { lifecyclePolicy } from "../../src/steps/ecr.js";
import { runSteps } from "../../src/pipeline.js";
import { formatPlan } from "../../src/ui/plan.js";
import type { ImageRegistry } from "../../src/images.js";
import type { ImageState } from "../../src/steps/types.js";
import { fakeDocker, testContext } from "../helpers/context.js";

const ecrMock = mockClient(ECRClient);
afterEach(() => ecrMock.reset());

const URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/log-analyzer";
const IMAGE_ID = `sha256:${"1".repeat(64)}`;
const D = `sha256:${"a".repeat(64)}`;
const OTHER = `sha256:${"b".repeat(64)}`;
/** The reads a push makes; everything else ECR offers here would be a write (or the token). */
const READS = ["DescribeRepositories", "DescribeImages", "BatchGetImage", "GetLifecyclePolicy"];

// Error names and messages as ECR answers them (API_DescribeRepositories.html, API_DescribeImages.html,
// API_GetLifecyclePolicy.html#API_GetLifecyclePolicy_Errors).
const noRepository = () => new RepositoryNotFoundException({
  message: "The repository with name 'log-analyzer' does not exist in the registry with id '123456789012'", $metadata: {},
});
const noImage = () => new ImageNotFoundException({ message: "Requested image not found", $metadata: {} });
const noPolicy = () => new LifecyclePolicyNotFoundException({
  message: "Lifecycle policy does not exist for the repository with name 'log-analyzer' in the registry with id '123456789012'", $metadata: {},
});

const repo = (over: Partial<Repository> = {}): Repository => ({
  repositoryName: "log-analyzer", repositoryUri: URI, imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true }, ...over,
});

function setup(registry: Partial<Extract<ImageRegistry, { type: "ecr" }>> = {}, repoDigests: string[] = []) {
  const fake = fakeDocker((args) => (args[0] === "image" && args[1] === "inspect" ? { stdout: JSON.stringify([{ Id: IMAGE_ID, RepoDigests: repoDigests }]) } : undefined));
  const { ctx } = testContext({ app: "log-analyzer" }, { docker: fake.docker });
  ctx.dryRun = true;
  ctx.liveDryRun = true;
  const image: ImageState = {
    spec: {
      key: "app", name: "log-analyzer", dockerfile: "Dockerfile", context: ".", platform: "linux/amd64", buildArgs: {}, labels: {}, tagSuffix: "",
      targets: ["apprunner"], registry: { type: "ecr", repository: "log-analyzer", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30, ...registry },
    },
    tag: "1.0.0", localRefs: ["log-analyzer:1.0.0"], imageId: IMAGE_ID,
  };
  return { ctx, image, dockerCalls: fake.calls, steps: pushSteps(ctx, [image]) };
}

const sent = () => ecrMock.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));
const outcomes = (results: { id: string; outcome?: string }[]) => results.map((r) => [r.id, r.outcome]);

describe("push --dry-run with live state", () => {
  it("ECR holds the image: `up to date` for every step, only reads sent, no docker but the local inspect, no token", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo()] });
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: D, imageTags: ["1.0.0"] }] });
    const { ctx, image, steps, dockerCalls } = setup({}, [`${URI}@${D}`]);
    const results = await runSteps(steps, ctx);
    expect(outcomes(results)).toEqual([
      ["ecr.ensure-repository", "up to date"], ["ecr.lifecycle-policy", "up to date"], ["ecr.login", "up to date"], ["registry.push", "up to date"],
    ]);
    expect(results.flatMap((r) => r.writes ?? [])).toEqual([]);
    expect(results.find((r) => r.id === "registry.push")!.detail).toBe(`already in the registry: ${URI}@${D}`);
    expect(sent()).toEqual(["DescribeRepositories", "DescribeImages"]);
    expect(dockerCalls.map((c) => c.args)).toEqual([["image", "inspect", IMAGE_ID]]);
    expect(image.remote).toMatchObject({ repository: URI, digest: D, skipped: true });
    const text = formatPlan("push", results);
    expect(text).toContain("live state read, nothing written");
    expect(text).toContain(`4. Push ${URI}:1.0.0: up to date\n`);
    expect(text.split("\n").filter((l) => /: up to date$/.test(l))).toHaveLength(4);
  });

  it("scanOnPush off in ECR, on in logship.yaml: `update: scanOnPush false → true` with the one write it would send", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageScanningConfiguration: { scanOnPush: false } })] });
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: D }] });
    const { ctx, steps } = setup({}, [`${URI}@${D}`]);
    const results = await runSteps(steps, ctx);
    expect(outcomes(results)[0]).toEqual(["ecr.ensure-repository", "update: scanOnPush false → true"]);
    expect(results[0].writes).toEqual([{
      service: "ECR", operation: "PutImageScanningConfiguration", change: ["scanOnPush false → true"],
      input: { repositoryName: "log-analyzer", imageScanningConfiguration: { scanOnPush: true } },
    }]);
    expect(outcomes(results).slice(1).map(([, o]) => o)).toEqual(["up to date", "up to date", "up to date"]);
    expect(sent().every((n) => READS.includes(n))).toBe(true);
    expect(formatPlan("push", results)).toContain(
      "1. Ensure ECR repository log-analyzer: update: scanOnPush false → true\n   aws ECR.PutImageScanningConfiguration {\"repositoryName\":\"log-analyzer\",",
    );
  });

  it("a new repository: `create` and the lifecycle put, then the login and the docker push planned; no docker run, no token asked", async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(noRepository());
    ecrMock.on(DescribeImagesCommand).rejects(noRepository());
    ecrMock.on(GetLifecyclePolicyCommand).rejects(noRepository());
    // Were the token asked for, its password could leak into the plan: it is not asked for.
    const password = "eyJwYXlsb2FkIjoi:secret-PASSWORD";
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"), proxyEndpoint: `https://${URI.split("/")[0]}` }],
    });
    const { ctx, steps, dockerCalls } = setup({ keepImages: 5 });
    const results = await runSteps(steps, ctx);
    expect(outcomes(results)).toEqual([
      ["ecr.ensure-repository", "create"], ["ecr.lifecycle-policy", "update: keep the newest 5 images"], ["ecr.login", undefined], ["registry.push", undefined],
    ]);
    expect(results.flatMap((r) => r.writes ?? []).map((w) => [w.operation, w.input])).toEqual([
      ["CreateRepository", {
        repositoryName: "log-analyzer", imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true },
        tags: [{ Key: "logship:app", Value: "log-analyzer" }],
      }],
      ["PutLifecyclePolicy", { repositoryName: "log-analyzer", lifecyclePolicyText: lifecyclePolicy(5) }],
    ]);
    const ref = "<account>.dkr.ecr.<region>.amazonaws.com/log-analyzer:1.0.0";
    expect(results.slice(2).flatMap((r) => r.actions ?? []).map((a) => a.command)).toEqual([
      "ECR.GetAuthorizationToken", ["login", "--username", "AWS", "--password-stdin", "<account>.dkr.ecr.<region>.amazonaws.com"],
      ["tag", "log-analyzer:1.0.0", ref], ["push", ref],
    ]);
    expect(sent()).toEqual(["DescribeRepositories", "DescribeRepositories", "DescribeImages", "GetLifecyclePolicy"]);
    expect(dockerCalls.map((c) => c.args)).toEqual([]);
    const text = formatPlan("push", results);
    expect(JSON.stringify(results) + text).not.toContain(password);
    expect(text).toContain("1. Ensure ECR repository log-analyzer: create\n   aws ECR.CreateRepository {");
    expect(text).toContain("3. Log docker in to ECR\n   aws ECR.GetAuthorizationToken {}\n     (needed: a push below uploads)\n");
    expect(text).toContain(`4. Push ${ref}\n   $ docker tag log-analyzer:1.0.0 '${ref}'\n   $ docker push '${ref}'\n     (needed: the registry does not hold`);
  });

  it("a changed keepImages and a tag to upload: the lifecycle update says 10 → 30; the push is planned", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo()] });
    ecrMock.on(DescribeImagesCommand).rejects(noImage());
    ecrMock.on(GetLifecyclePolicyCommand).resolves({ repositoryName: "log-analyzer", lifecyclePolicyText: lifecyclePolicy(10) });
    const { ctx, steps, dockerCalls } = setup();
    const results = await runSteps(steps, ctx);
    expect(outcomes(results)).toEqual([
      ["ecr.ensure-repository", "up to date"], ["ecr.lifecycle-policy", "update: keepImages 10 → 30"], ["ecr.login", undefined], ["registry.push", undefined],
    ]);
    expect(results[3].actions!.map((a) => a.command)).toEqual([["tag", "log-analyzer:1.0.0", `${URI}:1.0.0`], ["push", `${URI}:1.0.0`]]);
    expect(sent().every((n) => READS.includes(n))).toBe(true);
    expect(dockerCalls.map((c) => c.args[0])).toEqual([]);

    // No policy at all: the put is planned as the policy it sets.
    ecrMock.on(GetLifecyclePolicyCommand).rejects(noPolicy());
    const again = setup();
    expect(outcomes(await runSteps(again.steps, again.ctx))[1]).toEqual(["ecr.lifecycle-policy", "update: keep the newest 30 images"]);
  });

  it("a tag an IMMUTABLE repository holds with other content: the push says it would fail, the login is not planned", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageTagMutability: "IMMUTABLE" })] });
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OTHER }] });
    ecrMock.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: lifecyclePolicy(30) });
    const { ctx, steps, dockerCalls } = setup({ tagMutability: "IMMUTABLE" }, [`${URI}@${D}`]);
    const results = await runSteps(steps, ctx);
    expect(outcomes(results)).toEqual([
      ["ecr.ensure-repository", "up to date"], ["ecr.lifecycle-policy", "up to date"], ["ecr.login", "up to date"],
      ["registry.push", "would fail: tag 1.0.0 already exists in log-analyzer with other content, and the repository is immutable"],
    ]);
    expect(dockerCalls.map((c) => c.args[0])).toEqual(["image"]);
    expect(sent().every((n) => READS.includes(n))).toBe(true);
  });
});
