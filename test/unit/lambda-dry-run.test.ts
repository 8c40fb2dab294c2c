// `deploy lambda --dry-run` with live state (src/plan/dry-run.ts): the Lambda steps read for real
// (aws-sdk-client-mock answers as Lambda documents), send no write, and say per step what a real run
// would do; without credentials they fall back to the describe() plan and say why, once.
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  GetAliasCommand, GetFunctionCommand, GetFunctionConfigurationCommand, GetFunctionUrlConfigCommand, GetPolicyCommand,
  LambdaClient, ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { DescribeImagesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { lambdaTarget } from "../../src/targets/lambda/index.js";
import { imagesFor } from "../../src/images.js";
import { runSteps } from "../../src/pipeline.js";
import { formatPlan } from "../../src/ui/plan.js";
import type { ImageState } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";

const lambdaMock = mockClient(LambdaClient);
const ecrMock = mockClient(ECRClient);
afterEach(() => {
  lambdaMock.reset();
  ecrMock.reset();
});

const ROLE = "arn:aws:iam::123456789012:role/exec";
const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/demo";
const DIGEST = `sha256:${"a".repeat(64)}`;
const URL = "https://abc123.lambda-url.us-east-1.on.aws/";
const READS = ["GetFunction", "GetFunctionConfiguration", "GetAlias", "GetFunctionUrlConfig", "GetPolicy"];
// GetPolicy on an alias without a policy: ResourceNotFoundException (API_GetPolicy.html#API_GetPolicy_Errors).
const noPolicy = () => new ResourceNotFoundException({ message: "The resource you requested does not exist.", $metadata: {} });

/** $LATEST and version 3 as GetFunctionConfiguration answers them: the same code and settings. */
const cfg = (o: Record<string, unknown> = {}) => ({
  FunctionName: "demo-fn", Version: "$LATEST", State: "Active", LastUpdateStatus: "Successful", PackageType: "Image",
  Role: ROLE, MemorySize: 512, Timeout: 30, EphemeralStorage: { Size: 512 }, Architectures: ["x86_64"],
  Environment: { Variables: { API_TOKEN: "s3cret" } }, CodeSha256: "a".repeat(64), RevisionId: "rev-1", ...o,
});

function setup(memory: number) {
  const { ctx } = testContext({ app: "demo", targets: { lambda: { function: "demo-fn", roleArn: ROLE, memory, env: { API_TOKEN: "s3cret" } } } });
  ctx.dryRun = true;
  ctx.liveDryRun = true;
  const image: ImageState = {
    spec: imagesFor(ctx.config, "/project", ["lambda"])[0], tag: "0.1.0", localRefs: ["demo:0.1.0"], architecture: "amd64",
    remote: { repository: REPO, tag: "0.1.0", digest: DIGEST },
  };
  return { ctx, image, steps: lambdaTarget().deploySteps(ctx, image) };
}

function deployed() {
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json" }] });
  lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg() as never, Code: { ResolvedImageUri: `${REPO}@${DIGEST}` } });
  lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).resolves(cfg({ Version: "3" }) as never);
  lambdaMock.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "3", RevisionId: "alias-1" });
  lambdaMock.on(GetFunctionUrlConfigCommand).resolves({ FunctionUrl: URL, AuthType: "AWS_IAM" });
  lambdaMock.on(GetPolicyCommand).rejects(noPolicy());
}

const sentNames = () => lambdaMock.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));

describe("deploy lambda --dry-run with live state", () => {
  it("a changed memory: the function step plans the field change, the alias a new version, and only reads are sent", async () => {
    deployed();
    const { ctx, steps } = setup(1024);
    const results = await runSteps(steps, ctx);
    expect(sentNames().every((n) => READS.includes(n))).toBe(true);
    expect(sentNames()).toContain("GetAlias");
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ["lambda.check-image", "up to date"],
      ["lambda.deploy-function", "update: memory 512 → 1024"],
      ["lambda.publish-alias", "update: a new version of $LATEST, alias live: version 3 → <next version>"],
      ["lambda.function-url", "up to date"],
      ["lambda.smoke-test", undefined],
    ]);
    const fn = results.find((r) => r.id === "lambda.deploy-function")!;
    expect(fn.writes).toEqual([{
      service: "Lambda", operation: "UpdateFunctionConfiguration", secret: ["Environment.Variables.*"], change: ["memory 512 → 1024"],
      input: expect.objectContaining({ FunctionName: "demo-fn", MemorySize: 1024, RevisionId: "rev-1", Environment: { Variables: { API_TOKEN: "(secret)" } } }),
    }]);
    // The alias step moved on from the $LATEST the planned update would leave: PublishVersion carries its code and revision.
    expect(results.find((r) => r.id === "lambda.publish-alias")!.writes!.map((w) => [w.operation, w.input])).toEqual([
      ["PublishVersion", { FunctionName: "demo-fn", CodeSha256: "a".repeat(64), RevisionId: "<revision after the write>", Description: "logship demo" }],
      ["UpdateAlias", { FunctionName: "demo-fn", Name: "live", FunctionVersion: "<next version>", RevisionId: "alias-1" }],
    ]);
    const text = formatPlan("deploy lambda", results);
    expect(text).toContain("2. [lambda] Create or update Lambda function demo-fn: update: memory 512 → 1024\n   aws Lambda.UpdateFunctionConfiguration {");
    expect(JSON.stringify(results) + text).not.toContain("s3cret");
  });

  it("nothing changed: every step that reads says up to date and has no write", async () => {
    deployed();
    const { ctx, steps } = setup(512);
    const results = await runSteps(steps, ctx);
    expect(results.filter((r) => r.outcome !== undefined).map((r) => [r.id, r.outcome, r.writes])).toEqual(
      ["lambda.check-image", "lambda.deploy-function", "lambda.publish-alias", "lambda.function-url"].map((id) => [id, "up to date", []]),
    );
  });

  it("without credentials: the first read's credential error plans every step from describe(), saying why once", async () => {
    // What the SDK's default provider chain throws when it finds nothing (@smithy/property-provider CredentialsProviderError).
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    ecrMock.on(DescribeImagesCommand).rejects(noCredentials);
    const { ctx, steps } = setup(1024);
    const results = await runSteps(steps, ctx);
    expect(lambdaMock.calls()).toHaveLength(0);
    expect(results.every((r) => r.outcome === undefined && r.actions?.length)).toBe(true);
    expect(results.filter((r) => r.why).map((r) => [r.id, r.why])).toEqual([
      ["lambda.check-image", "no AWS credentials found, so live state was not read; this is the plan of every call logship may make"],
    ]);
    expect(results.flatMap((r) => r.actions!).map((a) => a.command)).toContain("Lambda.UpdateFunctionConfiguration");
  });

  it("a step a real run would fail at says so; the steps after it are planned", async () => {
    deployed();
    // A function whose create failed (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): Lambda cannot update it.
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: cfg({ State: "Failed", StateReason: "The image manifest or layer media type is not supported.", StateReasonCode: "ImageNotSupported" }) as never,
      Code: { ResolvedImageUri: `${REPO}@${DIGEST}` },
    });
    const { ctx, steps } = setup(512);
    const results = await runSteps(steps, ctx);
    expect(results.map((r) => [r.id, r.outcome?.replace(/:.*/, ":…")])).toEqual([
      ["lambda.check-image", "up to date"], ["lambda.deploy-function", "would fail:…"],
      ["lambda.publish-alias", undefined], ["lambda.function-url", undefined], ["lambda.smoke-test", undefined],
    ]);
    expect(results[1].outcome).toContain("is in state Failed since it was created");
    expect(results[1].writes).toEqual([]);
    expect(results.slice(2).every((r) => r.actions?.length)).toBe(true);
    expect(sentNames().filter((n) => !READS.includes(n))).toEqual([]);
  });

  it("after a step that can only be planned (a build in the same run), the steps that could read plan too, saying why once", async () => {
    deployed();
    const { ctx, steps } = setup(1024);
    const build = { id: "docker.build", title: () => "Build demo:0.1.0", describe: () => [{ kind: "docker" as const, command: ["build", "."] }], run: async () => {} };
    const results = await runSteps([build, ...steps], ctx);
    expect(lambdaMock.calls()).toHaveLength(0);
    expect(ecrMock.calls()).toHaveLength(0);
    expect(results.every((r) => r.outcome === undefined)).toBe(true);
    expect(results.filter((r) => r.why).map((r) => [r.id, r.why])).toEqual([
      ["lambda.check-image", "an earlier step (Build demo:0.1.0) can only be planned, so this one is planned too"],
    ]);
  });
});
