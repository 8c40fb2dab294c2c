// Tag mutability with exclusion filters (issue 9 §15): the repository step sets and reads them, the
// push refuses a re-push to a tag they protect before docker runs, and ECR's own refusal (when a
// concurrent run won) reads as that, not "docker push failed". ECR answers as its API reference
// says: DescribeRepositories' Repository carries imageTagMutabilityExclusionFilters [{filterType:
// "WILDCARD", filter}] (API_Repository.html); the registry's refusal is the text docker printed in
// aws/containers-roadmap#862 and moby/buildkit#3776.
import { beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { CreateRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, PutImageTagMutabilityCommand, RepositoryNotFoundException, type Repository } from "@aws-sdk/client-ecr";
import { validateConfig } from "../../src/config/load.js";
import { explain } from "../../src/docker/runner.js";
import { DeployError } from "../../src/errors.js";
import type { ImageRegistry } from "../../src/images.js";
import { runSteps, type PipelineError } from "../../src/pipeline.js";
import { filterMatches, protection } from "../../src/steps/ecr-tag-rules.js";
import { ensureRepositoryStep } from "../../src/steps/ecr.js";
import { pushStep } from "../../src/steps/push.js";
import type { ImageState } from "../../src/steps/types.js";
import type { Docker } from "../../src/docker/runner.js";
import { testContext } from "../helpers/context.js";

const ecrMock = mockClient(ECRClient);
const URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/log-analyzer";
const IMAGE_ID = "sha256:" + "1".repeat(64);
const OTHER = "sha256:" + "b".repeat(64);

type Ecr = Extract<ImageRegistry, { type: "ecr" }>;
function image(tag: string, over: Partial<Ecr> = {}): ImageState {
  return {
    spec: {
      key: "app", name: "log-analyzer", dockerfile: "Dockerfile", context: ".", platform: "linux/amd64", buildArgs: {}, labels: {}, tagSuffix: "",
      targets: ["apprunner"], registry: { type: "ecr", repository: "log-analyzer", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30, ...over },
    },
    tag, localRefs: [`log-analyzer:${tag}`], imageId: IMAGE_ID, repositoryUri: URI,
  };
}
const repo = (over: Partial<Repository>): Repository => ({ repositoryName: "log-analyzer", repositoryUri: URI, imageScanningConfiguration: { scanOnPush: true }, ...over });
const filters = (...f: string[]) => f.map((filter) => ({ filterType: "WILDCARD" as const, filter }));

/** docker as the runner reports it: a failed command becomes explain()'s DeployError. */
function docker(pushStderr?: string): { docker: Docker; argv: string[][] } {
  const argv: string[][] = [];
  return {
    argv,
    docker: async (args) => {
      argv.push(args);
      if (args[0] === "image") return { exitCode: 0, stdout: JSON.stringify([{ Id: IMAGE_ID, RepoDigests: [] }]), stderr: "" };
      if (args[0] === "push" && pushStderr) throw explain(args, pushStderr);
      return { exitCode: 0, stdout: `1.0.0: digest: sha256:${"a".repeat(64)} size: 528`, stderr: "" };
    },
  };
}
const cause = async (p: Promise<unknown>) => ((await p.then(() => undefined, (e: PipelineError) => e))?.cause) as DeployError;

beforeEach(() => ecrMock.reset());

describe("exclusion filters", () => {
  it.each([
    ["dev-*", "dev-42", true], ["dev-*", "prod-dev-1", false], ["*-rc*", "1.2.0-rc1", true], ["latest", "latest", true],
    ["latest", "latest2", false], ["1.0.*", "1.0x5", false],
  ])("%s matches %s: %s", (filter, tag, hit) => expect(filterMatches(filter, tag)).toBe(hit));

  it.each([
    ["IMMUTABLE", [], "1.0.0", "the repository is immutable"],
    ["IMMUTABLE_WITH_EXCLUSION", ["latest", "dev-*"], "dev-3", undefined],
    ["IMMUTABLE_WITH_EXCLUSION", ["latest", "dev-*"], "1.0.0", "the repository is immutable and the tag matches none of its exclusion filters (latest, dev-*)"],
    ["MUTABLE_WITH_EXCLUSION", ["v*"], "v1.0.0", "the tag matches the repository's exclusion filter v*, which makes it immutable"],
    ["MUTABLE_WITH_EXCLUSION", ["v*"], "main", undefined],
    ["MUTABLE", [], "1.0.0", undefined],
  ])("%s %j protects %s: %s", (mutability, exclusions, tag, why) => expect(protection({ mutability, exclusions }, tag)).toBe(why));

  it("the config takes up to 5 filters of ECR's alphabet, 2 wildcards each, and names what is wrong", () => {
    const bad = (tagMutabilityExclusions: unknown) => {
      try {
        validateConfig({ app: "demo", region: "us-east-1", registry: { type: "ecr", tagMutabilityExclusions } });
        return [];
      } catch (e) {
        return (e as { problems: string[] }).problems;
      }
    };
    expect(bad(["dev-*", "v*"])).toEqual([]);
    expect(bad(["a", "b", "c", "d", "e", "f"])).toEqual(["registry.tagMutabilityExclusions: has more than 5 filters: ECR allows 5 per repository"]);
    expect(bad(["dev/*"])).toEqual(['registry.tagMutabilityExclusions[0]: "dev/*" is not an ECR tag filter: 1–128 letters, digits, . _ - and the wildcard *']);
    expect(bad(["*a*b*"])).toEqual(['registry.tagMutabilityExclusions[0]: "*a*b*" has more than 2 wildcards: ECR allows 2 per filter']);
  });
});

describe("the repository step and exclusion filters", () => {
  it("creates the repository IMMUTABLE_WITH_EXCLUSION with the configured filters", async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: "The repository with name 'log-analyzer' does not exist in the registry with id '123456789012'", $metadata: {} }));
    ecrMock.on(CreateRepositoryCommand).callsFake((input) => ({ repository: repo({ imageTagMutability: input.imageTagMutability, imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters }) }));
    const img = image("1.0.0", { tagMutability: "IMMUTABLE", tagMutabilityExclusions: ["latest"] });
    await runSteps([ensureRepositoryStep(img)], testContext({ app: "log-analyzer" }).ctx);
    expect(ecrMock.commandCalls(CreateRepositoryCommand)[0].args[0].input).toMatchObject({
      imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters("latest"),
    });
    expect(img.tagRules).toEqual({ mutability: "IMMUTABLE_WITH_EXCLUSION", exclusions: ["latest"] });
  });

  it("puts changed filters back, and leaves filters set elsewhere alone when the config has none", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters("v*") })] });
    const c = testContext({ app: "log-analyzer" }).ctx;
    const untouched = image("1.0.0");
    expect((await runSteps([ensureRepositoryStep(untouched)], c))[0].status).toBe("skipped");
    expect(untouched.tagRules).toEqual({ mutability: "MUTABLE_WITH_EXCLUSION", exclusions: ["v*"] });
    const changed = image("1.0.0", { tagMutabilityExclusions: ["v*", "release-*"] });
    await runSteps([ensureRepositoryStep(changed)], c);
    expect(ecrMock.commandCalls(PutImageTagMutabilityCommand).map((x) => x.args[0].input)).toEqual([{
      repositoryName: "log-analyzer", imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters("v*", "release-*"),
    }]);
  });
});

describe("pushing to a tag an exclusion filter protects", () => {
  it("refuses before docker runs, from the filters the repository reported (the config says MUTABLE)", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters("v*") })] });
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OTHER, imageTags: ["v1.0.0"], imageStatus: "ACTIVE" }] });
    const img = image("v1.0.0");
    const d = docker();
    const err = await cause(runSteps([ensureRepositoryStep(img), pushStep(img)], testContext({ app: "log-analyzer" }, { docker: d.docker }).ctx));
    expect(err).toBeInstanceOf(DeployError);
    expect(err.message).toBe("tag v1.0.0 already exists in log-analyzer with other content, and the tag matches the repository's exclusion filter v*, which makes it immutable");
    expect(err.hint).toMatch(/change image.tag/);
    expect(d.argv.map((a) => a[0])).toEqual(["image"]);
  });

  it("pushes over a tag the filters leave mutable in an IMMUTABLE_WITH_EXCLUSION repository", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: filters("latest") })] });
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: OTHER, imageTags: ["latest"], imageStatus: "ACTIVE" }] });
    const img = image("latest", { tagMutability: "IMMUTABLE", tagMutabilityExclusions: ["latest"] });
    const d = docker();
    await runSteps([ensureRepositoryStep(img), pushStep(img)], testContext({ app: "log-analyzer" }, { docker: d.docker }).ctx);
    expect(d.argv.map((a) => a[0])).toEqual(["image", "tag", "push"]);
  });

  it.each([
    ["repository", "ECR says the repository is immutable"],
    ["tag", "ECR says the tag is immutable"],
  ])("says so when ECR refuses the push itself (…because the %s is immutable)", async (what, said) => {
    ecrMock.on(DescribeImagesCommand).rejects(Object.assign(new Error("The image with imageId {imageTag:'1.0.0'} does not exist within the repository with name 'log-analyzer'"), { name: "ImageNotFoundException", $metadata: {} }));
    const stderr = `tag invalid: The image tag '1.0.0' already exists in the 'log-analyzer' repository and cannot be overwritten because the ${what} is immutable.\n`;
    const d = docker(stderr);
    const err = await cause(runSteps([pushStep(image("1.0.0"))], testContext({ app: "log-analyzer" }, { docker: d.docker }).ctx));
    expect(err.message).toBe(`tag 1.0.0 already exists in log-analyzer with other content, and ${said}`);
    expect(err.message).not.toContain("docker push failed");
    expect(err.hint).toMatch(/change image.tag/);
  });
});
