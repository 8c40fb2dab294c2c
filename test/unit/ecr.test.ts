// ECR repository and lifecycle steps against aws-sdk-client-mock: exists / missing / race / drift.
import { beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  CreateRepositoryCommand, DeleteRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand, LifecyclePolicyNotFoundException,
  PutImageScanningConfigurationCommand, PutImageTagMutabilityCommand, PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException, RepositoryNotFoundException, type Repository,
} from "@aws-sdk/client-ecr";
import { deleteRepositoryStep, ensureRepositoryStep, lifecyclePolicy, lifecycleStep } from "../../src/steps/ecr.js";
import type { ImageState } from "../../src/steps/types.js";
import type { ImageRegistry } from "../../src/images.js";
import { testContext } from "../helpers/context.js";

const ecrMock = mockClient(ECRClient);
const URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/log-analyzer";

function image(registry: Partial<Extract<ImageRegistry, { type: "ecr" }>> = {}): ImageState {
  return {
    spec: {
      key: "app", name: "log-analyzer", dockerfile: "Dockerfile", context: ".", platform: "linux/amd64", buildArgs: {},
      labels: {}, tagSuffix: "", targets: ["apprunner"],
      registry: { type: "ecr", repository: "log-analyzer", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30, ...registry },
    },
    tag: "1.0.0", localRefs: ["log-analyzer:1.0.0"],
  };
}

const repo = (over: Partial<Repository> = {}): Repository => ({
  repositoryName: "log-analyzer", repositoryUri: URI, imageTagMutability: "MUTABLE",
  imageScanningConfiguration: { scanOnPush: true }, ...over,
});

const ctx = () => testContext({ app: "log-analyzer" }).ctx;
const notFound = () => new RepositoryNotFoundException({ message: "The repository with name 'log-analyzer' does not exist", $metadata: {} });

beforeEach(() => ecrMock.reset());

describe("ensureRepositoryStep", () => {
  it("is done when the repository exists with the wanted settings, and creates nothing", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo()] });
    const img = image();
    const step = ensureRepositoryStep(img);
    expect(await step.isDone!(ctx())).toBe(`exists: ${URI}`);
    expect(img.repositoryUri).toBe(URI);
    const describes = ecrMock.commandCalls(DescribeRepositoriesCommand);
    expect(describes).toHaveLength(1);
    expect(describes[0].args[0].input).toEqual({ repositoryNames: ["log-analyzer"] });
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(ecrMock.calls()).toHaveLength(1);
  });

  it("creates a missing repository with mutability, scan-on-push and the logship:app tag", async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound());
    ecrMock.on(CreateRepositoryCommand).resolves({ repository: repo({ imageTagMutability: "IMMUTABLE" }) });
    const img = image({ tagMutability: "IMMUTABLE", scanOnPush: false });
    const step = ensureRepositoryStep(img);
    const c = ctx();
    expect(await step.isDone!(c)).toBe(false);
    expect(await step.run(c)).toBe(`created ${URI}`);
    const creates = ecrMock.commandCalls(CreateRepositoryCommand);
    expect(creates).toHaveLength(1);
    expect(creates[0].args[0].input).toEqual({
      repositoryName: "log-analyzer",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: false },
      tags: [{ Key: "logship:app", Value: "log-analyzer" }],
    });
    expect(img.repositoryUri).toBe(URI);
    expect(ecrMock.commandCalls(PutImageTagMutabilityCommand)).toHaveLength(0);
    expect(ecrMock.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
  });

  it("treats RepositoryAlreadyExistsException (another run won the race) as success and re-describes", async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejectsOnce(notFound()).resolves({ repositories: [repo()] });
    ecrMock.on(CreateRepositoryCommand).rejects(
      new RepositoryAlreadyExistsException({ message: "The repository with name 'log-analyzer' already exists", $metadata: {} }),
    );
    const img = image();
    expect(await ensureRepositoryStep(img).run(ctx())).toBe(`exists: ${URI}`);
    expect(img.repositoryUri).toBe(URI);
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(1);
    const describes = ecrMock.commandCalls(DescribeRepositoriesCommand);
    expect(describes).toHaveLength(2);
    for (const d of describes) expect(d.args[0].input).toEqual({ repositoryNames: ["log-analyzer"] });
    expect(ecrMock.commandCalls(PutImageTagMutabilityCommand)).toHaveLength(0);
  });

  it("fixes drift: MUTABLE repository but IMMUTABLE wanted", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageTagMutability: "MUTABLE" })] });
    const img = image({ tagMutability: "IMMUTABLE" });
    const step = ensureRepositoryStep(img);
    const c = ctx();
    expect(await step.isDone!(c)).toBe(false);
    expect(await step.run(c)).toBe("updated tagMutability MUTABLE → IMMUTABLE");
    const puts = ecrMock.commandCalls(PutImageTagMutabilityCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0].args[0].input).toEqual({ repositoryName: "log-analyzer", imageTagMutability: "IMMUTABLE" });
    expect(ecrMock.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(img.repositoryUri).toBe(URI);
  });

  it("fixes drift: scanOnPush differs (missing scanning configuration counts as off)", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageScanningConfiguration: undefined })] });
    const step = ensureRepositoryStep(image({ scanOnPush: true }));
    const c = ctx();
    expect(await step.isDone!(c)).toBe(false);
    expect(await step.run(c)).toBe("updated scanOnPush → true");
    const puts = ecrMock.commandCalls(PutImageScanningConfigurationCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0].args[0].input).toEqual({ repositoryName: "log-analyzer", imageScanningConfiguration: { scanOnPush: true } });
    expect(ecrMock.commandCalls(PutImageTagMutabilityCommand)).toHaveLength(0);
  });

  it("fixes both settings at once", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repo({ imageScanningConfiguration: { scanOnPush: true } })] });
    await ensureRepositoryStep(image({ tagMutability: "IMMUTABLE", scanOnPush: false })).run(ctx());
    expect(ecrMock.commandCalls(PutImageTagMutabilityCommand).map((c) => c.args[0].input))
      .toEqual([{ repositoryName: "log-analyzer", imageTagMutability: "IMMUTABLE" }]);
    expect(ecrMock.commandCalls(PutImageScanningConfigurationCommand).map((c) => c.args[0].input))
      .toEqual([{ repositoryName: "log-analyzer", imageScanningConfiguration: { scanOnPush: false } }]);
  });

  it("lets other Describe failures through", async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } }));
    await expect(ensureRepositoryStep(image()).isDone!(ctx())).rejects.toThrow("denied");
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  it("describes the Describe and Create calls with their exact inputs", () => {
    const actions = ensureRepositoryStep(image()).describe(ctx());
    expect(actions).toEqual([
      { kind: "aws", command: "ECR.DescribeRepositories", input: { repositoryNames: ["log-analyzer"] } },
      {
        kind: "aws", command: "ECR.CreateRepository", note: "only if it does not exist",
        input: {
          repositoryName: "log-analyzer", imageTagMutability: "MUTABLE",
          imageScanningConfiguration: { scanOnPush: true }, tags: [{ Key: "logship:app", Value: "log-analyzer" }],
        },
      },
    ]);
  });
});

describe("lifecycleStep", () => {
  const policy = lifecyclePolicy(30);

  it("builds a keep-the-newest-N policy", () => {
    expect(JSON.parse(lifecyclePolicy(5))).toEqual({
      rules: [{
        rulePriority: 1, description: "logship: keep the newest 5 images",
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 5 },
        action: { type: "expire" },
      }],
    });
  });

  it("is done when the same policy is set, even with other whitespace, and puts nothing", async () => {
    ecrMock.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: JSON.stringify(JSON.parse(policy), null, 4) });
    expect(await lifecycleStep(image()).isDone!(ctx())).toBe("already set");
    const gets = ecrMock.commandCalls(GetLifecyclePolicyCommand);
    expect(gets).toHaveLength(1);
    expect(gets[0].args[0].input).toEqual({ repositoryName: "log-analyzer" });
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand)).toHaveLength(0);
  });

  it("puts the exact policy text when there is none", async () => {
    ecrMock.on(GetLifecyclePolicyCommand).rejects(new LifecyclePolicyNotFoundException({ message: "no policy", $metadata: {} }));
    ecrMock.on(PutLifecyclePolicyCommand).resolves({});
    const step = lifecycleStep(image({ keepImages: 12 }));
    const c = ctx();
    expect(await step.isDone!(c)).toBe(false);
    expect(await step.run(c)).toBe("set");
    const puts = ecrMock.commandCalls(PutLifecyclePolicyCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0].args[0].input).toEqual({ repositoryName: "log-analyzer", lifecyclePolicyText: lifecyclePolicy(12) });
  });

  it("replaces a different policy", async () => {
    ecrMock.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: lifecyclePolicy(10) });
    ecrMock.on(PutLifecyclePolicyCommand).resolves({});
    const step = lifecycleStep(image({ keepImages: 30 }));
    const c = ctx();
    expect(await step.isDone!(c)).toBe(false);
    await step.run(c);
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand).map((p) => p.args[0].input))
      .toEqual([{ repositoryName: "log-analyzer", lifecyclePolicyText: policy }]);
  });

  it("is not read when the run uploads no image (a no-op ship stays a few reads), and is when it does", async () => {
    ecrMock.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: lifecyclePolicy(10) });
    const none = lifecycleStep(image({ keepImages: 30 }), { needsUpload: async () => false });
    expect(await none.isDone!(ctx())).toBe("not checked: no image is uploaded this run (it is checked whenever one is)");
    expect(ecrMock.calls()).toHaveLength(0);
    for (const needsUpload of [async () => true, async () => { throw new Error("DescribeImages failed"); }]) {
      expect(await lifecycleStep(image({ keepImages: 30 }), { needsUpload }).isDone!(ctx())).toBe(false);
    }
    expect(ecrMock.commandCalls(GetLifecyclePolicyCommand)).toHaveLength(2);
  });

  it("describes the Put with the exact policy text", () => {
    expect(lifecycleStep(image()).describe(ctx())).toEqual([
      {
        kind: "aws", command: "ECR.PutLifecyclePolicy", input: { repositoryName: "log-analyzer", lifecyclePolicyText: policy },
        note: "checked (GetLifecyclePolicy) when an image is uploaded; put if it differs",
      },
    ]);
  });
});

describe("deleteRepositoryStep", () => {
  it("is done, with no delete sent, when the repository is already gone; deletes with force when it exists", async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound());
    expect(await deleteRepositoryStep("log-analyzer").isDone!(ctx())).toBe("already gone");
    expect(ecrMock.commandCalls(DeleteRepositoryCommand)).toHaveLength(0);

    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: "log-analyzer" }] });
    ecrMock.on(DeleteRepositoryCommand).resolves({});
    const step = deleteRepositoryStep("log-analyzer");
    expect(await step.isDone!(ctx())).toBe(false);
    expect(await step.run(ctx())).toBe("deleted");
    expect(ecrMock.commandCalls(DeleteRepositoryCommand).map((c) => c.args[0].input)).toEqual([{ repositoryName: "log-analyzer", force: true }]);
  });

  it("hands the delete to the executor: a dry run keeps the record and sends nothing", async () => {
    const c = ctx();
    c.dryRun = true;
    c.calls = [];
    expect(await deleteRepositoryStep("log-analyzer").run(c)).toBe("deleted");
    expect(c.calls).toEqual([{
      service: "ECR", operation: "DeleteRepository", input: { repositoryName: "log-analyzer", force: true }, change: ["delete log-analyzer and its images"],
    }]);
    expect(ecrMock.calls()).toHaveLength(0);
  });
});
