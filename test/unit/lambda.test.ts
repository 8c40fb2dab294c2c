// The Lambda target against aws-sdk-client-mock: each test asserts the exact AWS calls and inputs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand, GetAliasCommand, GetFunctionCommand, GetFunctionConfigurationCommand,
  GetFunctionUrlConfigCommand, GetPolicyCommand, InvalidParameterValueException, LambdaClient, PreconditionFailedException,
  PublicPolicyException, PublishVersionCommand, ResourceConflictException, ResourceNotFoundException, UpdateAliasCommand,
  UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ImageNotFoundException } from "@aws-sdk/client-ecr";
import {
  AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DetachRolePolicyCommand, GetRoleCommand, IAMClient,
  ListAttachedRolePoliciesCommand, NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { lambdaTarget } from "../../src/targets/lambda/index.js";
import { imagesFor } from "../../src/images.js";
import { runSteps, type StepResult } from "../../src/pipeline.js";
import { DeployError } from "../../src/errors.js";
import type { Context, ImageState } from "../../src/steps/types.js";
import { testContext } from "../helpers/context.js";
import { iamRole } from "../helpers/iam-role.js";

const lambdaMock = mockClient(LambdaClient);
const ecrMock = mockClient(ECRClient);
const iamMock = mockClient(IAMClient);

const ROLE = "arn:aws:iam::123456789012:role/exec";
const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/demo";
const DIGEST = `sha256:${"a".repeat(64)}`;
const OLD = `sha256:${"b".repeat(64)}`;
const URL = "https://abc123.lambda-url.us-east-1.on.aws/";
const OCI = "application/vnd.oci.image.manifest.v1+json";
const LAMBDA_WRITES = [
  "CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "PublishVersion", "CreateAlias", "UpdateAlias",
  "CreateFunctionUrlConfig", "UpdateFunctionUrlConfig", "AddPermission", "RemovePermission", "DeleteFunction", "DeleteFunctionUrlConfig",
];

// Errors carry Lambda's own names and message texts (API_GetFunction.html#API_GetFunction_Errors and
// the texts Lambda answers; the moto suite, test/moto/, runs the same flows on an independent emulator).
const meta = { $metadata: {} };
const FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:demo-fn";
const notFound = () => new ResourceNotFoundException({ message: `Function not found: ${FN_ARN}`, Type: "User", ...meta });
const aliasNotFound = (alias = "live") => new ResourceNotFoundException({ message: `Alias not found: ${FN_ARN}:${alias}`, Type: "User", ...meta });
/** GetFunctionUrlConfig and GetPolicy on a qualifier that has none. */
const noResource = () => new ResourceNotFoundException({ message: "The resource you requested does not exist.", Type: "User", ...meta });
const conflict = (message: string) => new ResourceConflictException({ message, Type: "User", ...meta });
const notAssumable = () => new InvalidParameterValueException({ message: "The role defined for the function cannot be assumed by Lambda.", Type: "User", ...meta });
const STALE_REVISION = "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id";

type Sent = [string, Record<string, unknown>];
const sent = (mock: { calls: () => { args: unknown[] }[] }): Sent[] =>
  mock.calls().map((c) => {
    const cmd = c.args[0] as { constructor: { name: string }; input: Record<string, unknown> };
    return [cmd.constructor.name.replace(/Command$/, ""), cmd.input];
  });
const names = (mock: Parameters<typeof sent>[0]) => sent(mock).map(([n]) => n);
const writes = () => sent(lambdaMock).filter(([n]) => LAMBDA_WRITES.includes(n));
const inputOf = (name: string) => sent(lambdaMock).filter(([n]) => n === name).map(([, i]) => i);

function setup(lambda: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const t = testContext({
    app: "demo",
    ...extra,
    targets: { lambda: { function: "demo-fn", roleArn: ROLE, ...lambda } },
  });
  const spec = imagesFor(t.ctx.config, "/project", ["lambda"])[0];
  const image: ImageState = {
    spec, tag: "0.1.0", localRefs: ["demo:0.1.0"], architecture: "amd64",
    remote: { repository: REPO, tag: "0.1.0", digest: DIGEST },
  };
  return { ...t, image };
}

/** Lets fake timers run while the pipeline awaits SDK calls and lazy imports. */
async function settle<T>(p: Promise<T>): Promise<T> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  for (let i = 0; i < 3000 && !done; i++) {
    await new Promise((r) => setImmediate(r));
    await vi.advanceTimersByTimeAsync(1000);
  }
  return p;
}

function deploy(ctx: Context, image: ImageState, fetchImpl?: typeof fetch): Promise<StepResult[]> {
  return settle(runSteps(lambdaTarget({ fetch: fetchImpl }).deploySteps(ctx, image), ctx));
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => undefined, (err) => err);
  expect(e).toBeDefined();
  return (e as { cause?: Error }).cause ?? (e as Error);
}

/** $LATEST as GetFunctionConfiguration answers it, with the fields Lambda fills in itself
 * (API_FunctionConfiguration.html): the settings logship sets are only part of it. */
const cfg = (over: Record<string, unknown> = {}) => ({
  FunctionName: "demo-fn", FunctionArn: FN_ARN, Version: "$LATEST", PackageType: "Image", CodeSize: 0, Description: "",
  LastModified: "2026-11-25T09:00:00.000+0000", TracingConfig: { Mode: "PassThrough" },
  LoggingConfig: { LogFormat: "Text", LogGroup: "/aws/lambda/demo-fn" }, SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
  State: "Active", LastUpdateStatus: "Successful", RevisionId: "rev-1", Role: ROLE,
  MemorySize: 512, Timeout: 30, EphemeralStorage: { Size: 512 }, Architectures: ["x86_64"], CodeSha256: "a".repeat(64),
  ...over,
});
/** What PublishVersion answers: the new version's configuration, Pending until Lambda has made it. */
const published = (Version: string) => cfg({ Version, FunctionArn: `${FN_ARN}:${Version}`, RevisionId: `ver-${Version}`, Description: "logship demo", State: "Pending", StateReasonCode: "Creating" });
/** A function URL as GetFunctionUrlConfig answers it (API_GetFunctionUrlConfig.html). */
const urlConfig = (AuthType: "NONE" | "AWS_IAM", Qualifier = "live") => ({
  FunctionUrl: URL, FunctionArn: `${FN_ARN}:${Qualifier}`, AuthType, InvokeMode: "BUFFERED" as const,
  CreationTime: "2026-11-25T09:00:00.000+0000", LastModifiedTime: "2026-11-25T09:00:00.000+0000",
});

// The statements AddPermission writes for a public URL, as GetPolicy answers them: the parameters
// become a Condition (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
const RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:demo-fn:live";
const URL_STATEMENT = {
  Sid: "logship-public-url", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunctionUrl", Resource: RESOURCE,
  Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
};
const INVOKE_STATEMENT = {
  Sid: "logship-public-url-invoke", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: RESOURCE,
  Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
};
const policy = (...Statement: object[]) => ({ Policy: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement }), RevisionId: "p-1" });

/** A function that runs `digest` with `over` settings, alias live → 3 with the same, an AWS_IAM URL. */
function existing(digest = DIGEST, over: Record<string, unknown> = {}) {
  lambdaMock.on(GetFunctionCommand).resolves({
    Configuration: cfg(over) as never, Code: { RepositoryType: "ECR", ImageUri: `${REPO}@${digest}`, ResolvedImageUri: `${REPO}@${digest}` },
    Tags: { "logship:app": "demo" },
  });
  lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg(over) as never);
  // With an alias as Qualifier, Lambda answers the configuration of the version it points to
  // (API_GetFunctionConfiguration.html), Version included; unknown aliases are ResourceNotFoundException.
  for (const alias of ["live", "prod"]) {
    lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: alias }).rejects(notFound());
  }
  lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).resolves(cfg({ ...over, Version: "3" }) as never);
  lambdaMock.on(GetAliasCommand).resolves({ AliasArn: `${FN_ARN}:live`, Name: "live", FunctionVersion: "3", Description: "", RevisionId: "alias-rev" });
  lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("AWS_IAM"));
  lambdaMock.on(PublishVersionCommand).resolves(published("4") as never);
}

beforeEach(() => {
  lambdaMock.reset();
  ecrMock.reset();
  iamMock.reset();
  // Writes answer {} unless a test says otherwise; reads are set up per test.
  lambdaMock.onAnyCommand().resolves({});
  iamMock.onAnyCommand().resolves({});
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageManifestMediaType: OCI }] });
});
afterEach(() => vi.useRealTimers());

describe("lambda deploy: create", () => {
  function missing() {
    lambdaMock.on(GetFunctionCommand).rejects(notFound());
    // CreateFunction answers the new function Pending (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html).
    lambdaMock.on(CreateFunctionCommand).resolves(cfg({ State: "Pending", StateReason: "The function is being created.", StateReasonCode: "Creating", LastUpdateStatus: undefined }) as never);
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg() as never);
    // No alias yet: its configuration is not found (not $LATEST's).
    lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).rejects(notFound());
    lambdaMock.on(GetAliasCommand).rejects(aliasNotFound());
    lambdaMock.on(PublishVersionCommand).resolves(published("1") as never);
    lambdaMock.on(CreateAliasCommand).resolves({});
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(noResource());
    lambdaMock.on(CreateFunctionUrlConfigCommand).resolves({ FunctionUrl: URL });
  }

  it("creates the function by digest, publishes version 1, creates the alias and an AWS_IAM URL", async () => {
    missing();
    const { ctx, image } = setup({ architecture: "x86_64", env: { LOG_LEVEL: "debug" }, command: ["serve"] }, { env: { A: 1, LOG_LEVEL: "info" } });
    const results = await deploy(ctx, image);
    expect(sent(ecrMock)).toEqual([["DescribeImages", { repositoryName: "demo", imageIds: [{ imageDigest: DIGEST }] }]]);
    expect(writes()).toEqual([
      ["CreateFunction", {
        FunctionName: "demo-fn", PackageType: "Image", Code: { ImageUri: `${REPO}@${DIGEST}` }, Architectures: ["x86_64"],
        Role: ROLE, MemorySize: 512, Timeout: 30, EphemeralStorage: { Size: 512 },
        Environment: { Variables: { A: "1", LOG_LEVEL: "debug" } }, ImageConfig: { Command: ["serve"] },
        Tags: { "logship:app": "demo" },
      }],
      ["PublishVersion", { FunctionName: "demo-fn", CodeSha256: "a".repeat(64), RevisionId: "rev-1", Description: "logship demo" }],
      ["CreateAlias", { FunctionName: "demo-fn", Name: "live", FunctionVersion: "1", Description: "logship: the version the URL serves" }],
      ["CreateFunctionUrlConfig", { FunctionName: "demo-fn", Qualifier: "live", AuthType: "AWS_IAM" }],
    ]);
    expect(inputOf("GetFunctionConfiguration")).toContainEqual({ FunctionName: "demo-fn", Qualifier: "1" });
    expect(ctx.targets.lambda).toMatchObject({ url: URL, version: "1" });
    expect(results.find((r) => r.id === "lambda.smoke-test")).toMatchObject({
      status: "skipped", detail: "URL needs SigV4; set url.public: true to smoke-test",
    });
  });

  it("sends Architectures arm64 for an arm64 image and target", async () => {
    missing();
    const { ctx, image } = setup({ architecture: "arm64" });
    image.architecture = "arm64";
    await deploy(ctx, image);
    expect(inputOf("CreateFunction")[0]).toMatchObject({ Architectures: ["arm64"], PackageType: "Image" });
  });

  it("waits while the new function is Pending, then goes on once Active", async () => {
    missing();
    lambdaMock.on(GetFunctionConfigurationCommand)
      .resolvesOnce(cfg({ State: "Pending", LastUpdateStatus: "InProgress" }) as never)
      .resolvesOnce(cfg({ State: "Pending", LastUpdateStatus: "InProgress" }) as never)
      .resolves(cfg() as never);
    const { ctx, image } = setup();
    const results = await deploy(ctx, image);
    expect(results.find((r) => r.id === "lambda.deploy-function")?.status).toBe("done");
    const polls = sent(lambdaMock).filter(([n, i]) => n === "GetFunctionConfiguration" && !i.Qualifier);
    expect(polls.slice(0, 3)).toEqual(Array(3).fill(["GetFunctionConfiguration", { FunctionName: "demo-fn" }]));
  });

  it("State Failed stops with the StateReason", async () => {
    missing();
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg({
      State: "Failed", StateReason: "Lambda was unable to pull the image", StateReasonCode: "ImageAccessDenied",
    }) as never);
    const { ctx, image } = setup();
    const e = await failure(deploy(ctx, image));
    expect(e).toBeInstanceOf(DeployError);
    expect(e.message).toBe("Lambda function demo-fn failed: Lambda was unable to pull the image (ImageAccessDenied)");
    expect(names(lambdaMock)).not.toContain("PublishVersion");
  });

  it("a function created meanwhile (already exist) switches to the update path", async () => {
    missing();
    lambdaMock.on(GetFunctionCommand).rejectsOnce(notFound()).resolves({
      Configuration: cfg() as never, Code: { ResolvedImageUri: `${REPO}@${OLD}` },
    });
    lambdaMock.on(CreateFunctionCommand).rejects(conflict("Function already exist: demo-fn"));
    lambdaMock.on(UpdateFunctionCodeCommand).resolves({});
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(inputOf("UpdateFunctionCode")).toEqual([{ FunctionName: "demo-fn", ImageUri: `${REPO}@${DIGEST}`, Architectures: ["x86_64"], RevisionId: "rev-1" }]);
  });
});

describe("lambda deploy: execution role", () => {
  const EXEC = "arn:aws:iam::123456789012:role/logship-demo-lambda-exec";
  const POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

  function createPath() {
    lambdaMock.on(GetFunctionCommand).rejects(notFound());
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg({ Role: EXEC }) as never);
    lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).rejects(notFound());
    lambdaMock.on(GetAliasCommand).rejects(aliasNotFound());
    lambdaMock.on(PublishVersionCommand).resolves(published("1") as never);
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(noResource());
    lambdaMock.on(CreateFunctionUrlConfigCommand).resolves({ FunctionUrl: URL });
    lambdaMock.on(CreateFunctionCommand).rejectsOnce(notAssumable()).rejectsOnce(notAssumable()).resolves({});
  }

  it("retries CreateFunction while a just-created role propagates", async () => {
    createPath();
    iamMock.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: "no role", ...meta }));
    iamMock.on(CreateRoleCommand).resolves({ Role: { Arn: EXEC } as never });
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    iamMock.on(AttachRolePolicyCommand).resolves({});
    const { ctx, image } = setup({ roleArn: undefined });
    await deploy(ctx, image);
    expect(sent(iamMock).filter(([n]) => n === "AttachRolePolicy")).toEqual([["AttachRolePolicy", { RoleName: "logship-demo-lambda-exec", PolicyArn: POLICY }]]);
    expect(iamMock.commandCalls(CreateRoleCommand)[0].args[0].input).toMatchObject({
      RoleName: "logship-demo-lambda-exec",
      AssumeRolePolicyDocument: expect.stringContaining("lambda.amazonaws.com"),
    });
    const creates = inputOf("CreateFunction");
    expect(creates).toHaveLength(3);
    expect(creates.every((c) => c.Role === EXEC)).toBe(true);
  });

  it("retries CreateFunction when a policy was just attached to an existing role (it changed: IAM propagates)", async () => {
    createPath();
    iamMock.on(GetRoleCommand).resolves({ Role: iamRole(EXEC, "lambda.amazonaws.com") });
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iamMock.on(AttachRolePolicyCommand).resolves({});
    const { ctx, image } = setup({ roleArn: undefined });
    await deploy(ctx, image);
    expect(names(iamMock)).not.toContain("CreateRole");
    expect(sent(iamMock).filter(([n]) => n === "AttachRolePolicy")).toEqual([["AttachRolePolicy", { RoleName: "logship-demo-lambda-exec", PolicyArn: POLICY }]]);
    expect(inputOf("CreateFunction")).toHaveLength(3);
  });

  it("does not retry when the role already existed", async () => {
    createPath();
    iamMock.on(GetRoleCommand).resolves({ Role: iamRole(EXEC, "lambda.amazonaws.com") });
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: POLICY }] });
    const { ctx, image } = setup({ roleArn: undefined });
    const e = await failure(deploy(ctx, image));
    expect(e.name).toBe("InvalidParameterValueException");
    expect(inputOf("CreateFunction")).toHaveLength(1);
    expect(names(iamMock)).not.toContain("CreateRole");
  });
});

describe("lambda deploy: update", () => {
  it("updates the code only when the digest differs, with the RevisionId", async () => {
    existing(OLD);
    lambdaMock.on(UpdateFunctionCodeCommand).resolves({});
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(writes()).toEqual([
      ["UpdateFunctionCode", { FunctionName: "demo-fn", ImageUri: `${REPO}@${DIGEST}`, Architectures: ["x86_64"], RevisionId: "rev-1" }],
    ]);
  });

  it("a function whose last update failed is updated again once the cause is fixed (not stuck on the old failure)", async () => {
    existing(DIGEST);
    const failed = cfg({ LastUpdateStatus: "Failed", LastUpdateStatusReasonCode: "ImageAccessDenied", LastUpdateStatusReason: "denied" });
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: failed as never, Code: { ImageUri: `${REPO}@${DIGEST}` }, Tags: { "logship:app": "demo" },
    });
    lambdaMock.on(GetFunctionConfigurationCommand).resolvesOnce(failed as never).resolves(cfg() as never);
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(writes()[0]).toEqual(
      ["UpdateFunctionCode", { FunctionName: "demo-fn", ImageUri: `${REPO}@${DIGEST}`, Architectures: ["x86_64"], RevisionId: "rev-1" }],
    );
  });

  it("updates the configuration only when settings differ, with the settled RevisionId", async () => {
    existing(DIGEST, { MemorySize: 256 });
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg({ RevisionId: "rev-2" }) as never);
    lambdaMock.on(UpdateFunctionConfigurationCommand).resolves({});
    const { ctx, image } = setup({ env: { MODE: "prod" } });
    await deploy(ctx, image);
    const w = writes();
    expect(w[0]).toEqual(["UpdateFunctionConfiguration", {
      FunctionName: "demo-fn", Role: ROLE, MemorySize: 512, Timeout: 30, EphemeralStorage: { Size: 512 },
      Environment: { Variables: { MODE: "prod" } }, RevisionId: "rev-1",
    }]);
    expect(w.map(([n]) => n)).not.toContain("UpdateFunctionCode");
  });

  it("clears an entrypoint no longer in logship.yaml by sending ImageConfig {}", async () => {
    existing(DIGEST, { ImageConfigResponse: { ImageConfig: { EntryPoint: ["/old"] } } });
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg() as never);
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(inputOf("UpdateFunctionConfiguration")[0]).toMatchObject({ ImageConfig: {}, RevisionId: "rev-1" });
  });

  it("an idle function (State Inactive) is up to date as it is: no wait for Active, no write", async () => {
    // "Functions can only be updated if they are in the Active or Inactive state" (functions-states.html).
    existing(DIGEST, { State: "Inactive", StateReasonCode: "Idle" });
    const { ctx, image } = setup();
    const results = await deploy(ctx, image);
    expect(writes()).toEqual([]);
    expect(results.find((r) => r.id === "lambda.deploy-function")?.detail).toBe("up to date: demo-fn runs aaaaaaaaaaaa");
  });

  it("an idle function with a new image is updated at once", async () => {
    existing(OLD, { State: "Inactive", StateReasonCode: "Idle" });
    const { ctx, image } = setup();
    await deploy(ctx, image);
    // GetFunction, then the write: no poll waiting for an Active that an idle function never reaches.
    expect(names(lambdaMock).slice(0, 2)).toEqual(["GetFunction", "UpdateFunctionCode"]);
  });

  it("a function whose create failed is not updated: it says to recreate it", async () => {
    const failed = { State: "Failed", StateReason: "Lambda does not have permission to access the ECR image.", StateReasonCode: "ImageAccessDenied" };
    existing(OLD, failed);
    const { ctx, image } = setup();
    const e = await failure(deploy(ctx, image));
    expect(e.message).toBe("Lambda function demo-fn is in state Failed since it was created: Lambda does not have permission to access the ECR image. (ImageAccessDenied); Lambda cannot update a function whose create failed");
    expect((e as DeployError).hint).toContain("--recreate");
    expect(writes()).toEqual([]);
  });

  it("--recreate deletes a function whose create failed and creates it again", async () => {
    const failed = cfg({ State: "Failed", StateReason: "denied", StateReasonCode: "ImageAccessDenied" });
    existing(OLD, { State: "Failed" });
    lambdaMock.on(GetFunctionCommand).resolvesOnce({ Configuration: failed as never, Code: { ImageUri: `${REPO}@${OLD}` } }).rejects(notFound());
    lambdaMock.on(GetFunctionConfigurationCommand).resolvesOnce(failed as never).resolves(cfg() as never);
    lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).rejects(notFound());
    lambdaMock.on(GetAliasCommand).rejects(aliasNotFound());
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(noResource()); // deleted with the function
    const { ctx, image } = setup();
    ctx.options.recreate = true;
    const results = await deploy(ctx, image);
    expect(writes().map(([n]) => n)).toEqual(["DeleteFunction", "CreateFunction", "PublishVersion", "CreateAlias", "CreateFunctionUrlConfig"]);
    expect(results.find((r) => r.id === "lambda.deploy-function")?.detail).toBe("recreated demo-fn (it was Failed: denied (ImageAccessDenied))");
  });

  it("--recreate: a failed function someone else deleted first is simply created (DeleteFunction's not-found is 'gone')", async () => {
    const failed = cfg({ State: "Failed", StateReason: "denied", StateReasonCode: "ImageAccessDenied" });
    existing(OLD, { State: "Failed" });
    lambdaMock.on(GetFunctionCommand).resolvesOnce({ Configuration: failed as never, Code: { ImageUri: `${REPO}@${OLD}` } }).rejects(notFound());
    lambdaMock.on(GetFunctionConfigurationCommand).resolvesOnce(failed as never).resolves(cfg() as never);
    lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).rejects(notFound());
    // What DeleteFunction answers for a function that is not there (API_DeleteFunction.html#API_DeleteFunction_Errors).
    lambdaMock.on(DeleteFunctionCommand).rejects(notFound());
    lambdaMock.on(GetAliasCommand).rejects(aliasNotFound());
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(noResource());
    const { ctx, image } = setup();
    ctx.options.recreate = true;
    const results = await deploy(ctx, image);
    expect(writes().map(([n]) => n)).toEqual(["DeleteFunction", "CreateFunction", "PublishVersion", "CreateAlias", "CreateFunctionUrlConfig"]);
    expect(results.find((r) => r.id === "lambda.deploy-function")?.detail).toBe("recreated demo-fn (it was Failed: denied (ImageAccessDenied))");
  });

  it("an image config of empty lists (what Lambda answers for none set) is no change: nothing is written", async () => {
    // Lambda reports ImageConfig {EntryPoint: [], Command: []} for a function that sets neither
    // (seen on moto, which follows the API's shape; https://docs.aws.amazon.com/lambda/latest/api/API_ImageConfig.html).
    existing(DIGEST, { ImageConfigResponse: { ImageConfig: { EntryPoint: [], Command: [], WorkingDirectory: "" } } });
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(writes()).toEqual([]);
  });

  it("leaves a reserved key of the shared env out, and refuses one in targets.lambda.env", async () => {
    existing();
    const shared = setup({}, { env: { AWS_REGION: "eu-west-1", MODE: "x" } });
    await deploy(shared.ctx, shared.image);
    expect(inputOf("UpdateFunctionConfiguration")[0]).toMatchObject({ Environment: { Variables: { MODE: "x" } } });
    const own = setup({ env: { AWS_REGION: "eu-west-1" } });
    const e = await failure(deploy(own.ctx, own.image));
    expect(e.message).toBe("targets.lambda.env.AWS_REGION: is reserved by Lambda, which sets it itself");
  });

  it("code then configuration: the second update carries the RevisionId after the first", async () => {
    existing(OLD, { Timeout: 3 });
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg({ Timeout: 3, RevisionId: "rev-2" }) as never);
    lambdaMock.on(UpdateFunctionCodeCommand).resolves({});
    lambdaMock.on(UpdateFunctionConfigurationCommand).resolves({});
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(inputOf("UpdateFunctionCode")[0].RevisionId).toBe("rev-1");
    expect(inputOf("UpdateFunctionConfiguration")[0]).toMatchObject({ Timeout: 30, RevisionId: "rev-2" });
  });

  it("changes nothing when Lambda reports this digest and these settings among the fields it fills in itself: no writes, every step skipped", async () => {
    existing();
    const { ctx, image } = setup();
    const results = await deploy(ctx, image);
    expect(writes()).toEqual([]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["lambda.check-image", "done"],
      ["lambda.deploy-function", "skipped"],
      ["lambda.publish-alias", "skipped"],
      ["lambda.function-url", "skipped"],
      ["lambda.smoke-test", "skipped"],
    ]);
    expect(results[1].detail).toBe("up to date: demo-fn runs aaaaaaaaaaaa");
    expect(ctx.targets.lambda).toMatchObject({ url: URL, version: "3" });
    // Each thing is read once: $LATEST by GetFunction, the served version through the alias.
    expect(names(lambdaMock)).toEqual(["GetFunction", "GetFunctionConfiguration", "GetFunctionUrlConfig", "GetPolicy"]);
    expect(inputOf("GetFunctionConfiguration")).toEqual([{ FunctionName: "demo-fn", Qualifier: "live" }]);
  });

  it("retries an update Lambda refuses while another update is in progress", async () => {
    existing(OLD);
    lambdaMock.on(UpdateFunctionCodeCommand)
      .rejectsOnce(conflict(`The operation cannot be performed at this time. An update is in progress for resource: ${FN_ARN}`))
      .resolves({});
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(inputOf("UpdateFunctionCode")).toHaveLength(2);
  });

  it("a RevisionId conflict says another deploy changed the function", async () => {
    existing(OLD);
    lambdaMock.on(UpdateFunctionCodeCommand).rejects(new PreconditionFailedException({ message: STALE_REVISION, Type: "User", ...meta }));
    const { ctx, image } = setup();
    const e = await failure(deploy(ctx, image));
    expect(e).toBeInstanceOf(DeployError);
    expect(e.message).toBe("another deploy changed Lambda function demo-fn meanwhile (its RevisionId moved on)");
    expect((e as DeployError).hint).toBe("let the other deploy finish, then re-run this command");
  });
});

describe("lambda deploy: image guard", () => {
  it("refuses an image index before any Lambda write", async () => {
    existing(OLD);
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageManifestMediaType: "application/vnd.oci.image.index.v1+json" }] });
    const { ctx, image } = setup();
    const e = await failure(deploy(ctx, image));
    // BatchGetImage has no answer here, so the cause is unknown (test/unit/lambda-image-guard.test.ts reads real indexes).
    expect(e.message).toBe("demo@aaaaaaaaaaaa is an image index (its contents could not be read); Lambda runs only a single-image manifest");
    expect((e as DeployError).hint).toContain("--provenance=false");
    expect((e as DeployError).hint).toContain("docker push --platform linux/amd64");
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  it("without a push in this run, deploys the digest ECR holds for the tag", async () => {
    existing(OLD);
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO }] });
    // ImageDetail carries imageManifestMediaType (API_ImageDetail.html): the guard needs no second read.
    ecrMock.on(DescribeImagesCommand, { repositoryName: "demo", imageIds: [{ imageTag: "0.1.0" }] })
      .resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ["0.1.0"], imageManifestMediaType: OCI, repositoryName: "demo" }] });
    const { ctx, image } = setup();
    image.remote = undefined;
    await deploy(ctx, image);
    expect(sent(ecrMock)).toEqual([
      ["DescribeRepositories", { repositoryNames: ["demo"] }],
      ["DescribeImages", { repositoryName: "demo", imageIds: [{ imageTag: "0.1.0" }] }],
    ]);
    expect(inputOf("UpdateFunctionCode")[0]).toMatchObject({ ImageUri: `${REPO}@${DIGEST}` });
  });

  it("an image that was never pushed says to push first", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO }] });
    ecrMock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: "no image", ...meta }));
    const { ctx, image } = setup();
    image.remote = undefined;
    const e = await failure(deploy(ctx, image));
    expect(e.message).toBe("image demo:0.1.0 has not been pushed");
    expect((e as DeployError).hint).toBe("run `logship push` first, or `logship ship lambda`");
    expect(lambdaMock.calls()).toHaveLength(0);
  });

  it("refuses an arm64 image for an x86_64 function", async () => {
    existing(OLD);
    const { ctx, image } = setup();
    image.architecture = "arm64";
    const e = await failure(deploy(ctx, image));
    expect(e.message).toBe("the image is built for arm64 but targets.lambda.architecture is x86_64");
    expect((e as DeployError).hint).toContain("--platform linux/amd64");
    expect(lambdaMock.calls()).toHaveLength(0);
  });
});

describe("lambda deploy: alias", () => {
  // An alias pointed at $LATEST (the console allows it) reads as $LATEST's own configuration, so its
  // fingerprint matches: it must still get a published version, or rollback has nothing to go back to.
  it("an alias that points at $LATEST gets a published version (a deploy is a version)", async () => {
    existing();
    lambdaMock.on(GetAliasCommand).resolves({ AliasArn: `${FN_ARN}:live`, Name: "live", FunctionVersion: "$LATEST", Description: "", RevisionId: "alias-rev" });
    lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).resolves(cfg() as never);
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(writes().map(([n]) => n)).toEqual(["PublishVersion", "UpdateAlias"]);
  });

  it("moves an existing alias to the newly published version", async () => {
    existing(DIGEST, { MemorySize: 256 });
    lambdaMock.on(GetFunctionConfigurationCommand).resolves(cfg({ RevisionId: "rev-2" }) as never);
    // The alias still serves version 3, with the old memory.
    lambdaMock.on(GetFunctionConfigurationCommand, { FunctionName: "demo-fn", Qualifier: "live" }).resolves(cfg({ MemorySize: 256, Version: "3" }) as never);
    lambdaMock.on(UpdateFunctionConfigurationCommand).resolves({});
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(writes().slice(1)).toEqual([
      ["PublishVersion", { FunctionName: "demo-fn", CodeSha256: "a".repeat(64), RevisionId: "rev-2", Description: "logship demo" }],
      ["UpdateAlias", { FunctionName: "demo-fn", Name: "live", FunctionVersion: "4", RevisionId: "alias-rev" }],
    ]);
  });

  it("creates the alias when missing (custom name)", async () => {
    existing();
    lambdaMock.on(GetAliasCommand).rejects(aliasNotFound("prod"));
    lambdaMock.on(CreateAliasCommand).resolves({});
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("AWS_IAM", "prod"));
    const { ctx, image } = setup({ alias: "prod" });
    await deploy(ctx, image);
    expect(writes()).toEqual([
      ["PublishVersion", { FunctionName: "demo-fn", CodeSha256: "a".repeat(64), RevisionId: "rev-1", Description: "logship demo" }],
      ["CreateAlias", { FunctionName: "demo-fn", Name: "prod", FunctionVersion: "4", Description: "logship: the version the URL serves" }],
    ]);
    expect(inputOf("GetFunctionUrlConfig")[0]).toEqual({ FunctionName: "demo-fn", Qualifier: "prod" });
  });

  it("CreateAlias conflict, alias there on read-back (another run made it): moved with its RevisionId", async () => {
    existing();
    lambdaMock.on(GetAliasCommand).resolves({ Name: "prod", FunctionVersion: "2", RevisionId: "theirs" });
    lambdaMock.on(CreateAliasCommand).rejects(conflict("Alias already exists: arn:aws:lambda:us-east-1:123456789012:function:demo-fn:prod"));
    const { ctx, image } = setup({ alias: "prod" });
    await deploy(ctx, image);
    expect(writes().slice(1)).toEqual([
      ["CreateAlias", { FunctionName: "demo-fn", Name: "prod", FunctionVersion: "4", Description: "logship: the version the URL serves" }],
      ["UpdateAlias", { FunctionName: "demo-fn", Name: "prod", FunctionVersion: "4", RevisionId: "theirs" }],
    ]);
  });

  it("CreateAlias conflict, no alias on read-back (an update in progress): tried again, never UpdateAlias(undefined)", async () => {
    existing();
    lambdaMock.on(GetAliasCommand).rejects(aliasNotFound());
    lambdaMock.on(CreateAliasCommand)
      .rejectsOnce(conflict("The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:demo-fn"))
      .resolves({});
    const { ctx, image } = setup({ alias: "prod" });
    await deploy(ctx, image);
    expect(writes().slice(1).map(([n]) => n)).toEqual(["CreateAlias", "CreateAlias"]);
  });
});

describe("lambda deploy: function URL", () => {
  const PUBLIC_URL = { FunctionName: "demo-fn", Qualifier: "live", StatementId: "logship-public-url", Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" };
  const PUBLIC_INVOKE = { FunctionName: "demo-fn", Qualifier: "live", StatementId: "logship-public-url-invoke", Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true };
  const ok = (async () => new Response("ok", { status: 200 })) as unknown as typeof fetch;

  it("public: AuthType NONE with CORS, both permissions on the alias, and a warning", async () => {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(noResource());
    lambdaMock.on(CreateFunctionUrlConfigCommand).resolves({ FunctionUrl: URL });
    lambdaMock.on(GetPolicyCommand).rejects(noResource());
    lambdaMock.on(AddPermissionCommand).resolves({});
    const { ctx, image, stderr } = setup({ url: { public: true, cors: { allowOrigins: ["*"], maxAge: 60 } } });
    await deploy(ctx, image, ok);
    expect(writes()).toEqual([
      ["CreateFunctionUrlConfig", { FunctionName: "demo-fn", Qualifier: "live", AuthType: "NONE", Cors: { AllowOrigins: ["*"], MaxAge: 60 } }],
      ["AddPermission", PUBLIC_URL],
      ["AddPermission", PUBLIC_INVOKE],
    ]);
    expect(stderr.text()).toContain("anyone on the internet can call it");
  });

  it("an existing statement (ResourceConflictException) counts as done", async () => {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    // Read once by isDone (the step reuses it); then a concurrent run adds the statement, so
    // AddPermission conflicts and the read-back finds it granted.
    lambdaMock.on(GetPolicyCommand).resolvesOnce(policy(URL_STATEMENT)).resolves(policy(URL_STATEMENT, INVOKE_STATEMENT));
    lambdaMock.on(AddPermissionCommand).rejects(conflict("The statement id (logship-public-url-invoke) provided already exists. Please provide a new statement id, or remove the existing statement."));
    const { ctx, image } = setup({ url: { public: true } });
    const results = await deploy(ctx, image, ok);
    expect(writes()).toEqual([["AddPermission", PUBLIC_INVOKE]]);
    expect(results.find((r) => r.id === "lambda.function-url")?.status).toBe("done");
    expect(results.find((r) => r.id === "lambda.smoke-test")?.status).toBe("done");
  });

  it("reads the policy by what it grants, not by statement id: grants made by hand count (doctor reads it the same way)", async () => {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    lambdaMock.on(GetPolicyCommand).resolves(policy({ ...URL_STATEMENT, Sid: "FunctionURLAllowPublicAccess" }, { ...INVOKE_STATEMENT, Sid: "console-invoke" }));
    const { ctx, image } = setup({ url: { public: true } });
    const results = await deploy(ctx, image, ok);
    expect(writes()).toEqual([]);
    expect(results.find((r) => r.id === "lambda.function-url")?.status).toBe("skipped");
    const { missingUrlPermissions } = await import("../../src/targets/lambda/doctor.js");
    const { Policy } = policy({ ...URL_STATEMENT, Sid: "FunctionURLAllowPublicAccess" }, { ...INVOKE_STATEMENT, Sid: "console-invoke" });
    expect(missingUrlPermissions(Policy)).toEqual({ urlPermission: false, invokePermission: false });
  });

  it("a statement that holds logship's id but grants nothing is replaced, so the URL never lacks the grant", async () => {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    lambdaMock.on(GetPolicyCommand).resolves(policy(URL_STATEMENT, { ...INVOKE_STATEMENT, Condition: undefined }));
    const { ctx, image } = setup({ url: { public: true } });
    await deploy(ctx, image, ok);
    expect(writes()).toEqual([
      ["RemovePermission", { FunctionName: "demo-fn", Qualifier: "live", StatementId: "logship-public-url-invoke" }],
      ["AddPermission", PUBLIC_INVOKE],
    ]);
  });

  it("AddPermission refused while another operation is in progress is retried until it lands", async () => {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    lambdaMock.on(GetPolicyCommand).resolves(policy(URL_STATEMENT));
    lambdaMock.on(AddPermissionCommand)
      .rejectsOnce(conflict("The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:demo-fn"))
      .resolves({ Statement: JSON.stringify(INVOKE_STATEMENT) });
    const { ctx, image } = setup({ url: { public: true } });
    await deploy(ctx, image, ok);
    // Read once by isDone, once back after the conflict (not there yet: so not "already exists"), then tried again.
    expect(writes()).toEqual([["AddPermission", PUBLIC_INVOKE], ["AddPermission", PUBLIC_INVOKE]]);
    expect(names(lambdaMock).filter((n) => n === "GetPolicy")).toHaveLength(2);
  });

  it("PublicPolicyException: one line saying public access is blocked, and how to lift it", async () => {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    lambdaMock.on(GetPolicyCommand).rejects(noResource());
    lambdaMock.on(AddPermissionCommand).rejects(new PublicPolicyException({
      message: "The resource-based policy you tried to add to the Lambda resource would grant public access to it, which isn't allowed.", ...meta,
    }));
    const { ctx, image } = setup({ url: { public: true } });
    const e = await failure(deploy(ctx, image, ok));
    expect(e.message).toBe("lambda: AWS refused the public lambda:InvokeFunctionUrl permission the URL needs: public access to Lambda is blocked for this function or account (PublicPolicyException)");
    expect((e as DeployError).hint).toContain("targets.lambda.url.public: false");
  });

  it("switches a public URL to AWS_IAM and removes the public statements", async () => {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    lambdaMock.on(GetPolicyCommand).resolves(policy(URL_STATEMENT, INVOKE_STATEMENT));
    const { ctx, image } = setup();
    await deploy(ctx, image);
    expect(writes()).toEqual([
      ["UpdateFunctionUrlConfig", { FunctionName: "demo-fn", Qualifier: "live", AuthType: "AWS_IAM", Cors: {} }],
      ["RemovePermission", { FunctionName: "demo-fn", Qualifier: "live", StatementId: "logship-public-url" }],
      ["RemovePermission", { FunctionName: "demo-fn", Qualifier: "live", StatementId: "logship-public-url-invoke" }],
    ]);
  });
});

describe("lambda smoke test", () => {
  function publicAndUnchanged() {
    existing();
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    lambdaMock.on(GetPolicyCommand).resolves(policy(URL_STATEMENT, INVOKE_STATEMENT));
  }

  it("passes once the URL answers 2xx (after a cold-start 502)", async () => {
    publicAndUnchanged();
    const calls: string[] = [];
    const statuses = [502, 200];
    const fake = (async (url: string) => {
      calls.push(url);
      return new Response("x", { status: statuses.shift() ?? 200 });
    }) as unknown as typeof fetch;
    const { ctx, image } = setup({ url: { public: true } }, { smoke: { path: "/logs?start=1" } });
    const results = await deploy(ctx, image, fake);
    expect(calls).toEqual([`${URL}logs?start=1`, `${URL}logs?start=1`]);
    expect(results.at(-1)).toMatchObject({ id: "lambda.smoke-test", status: "done", detail: expect.stringMatching(/^HTTP 200 after/) });
  });

  it("fails when the URL never answers 2xx", async () => {
    publicAndUnchanged();
    const fake = (async () => new Response("forbidden", { status: 403 })) as unknown as typeof fetch;
    const { ctx, image } = setup({ url: { public: true } }, { smoke: { path: "/", timeout: "5s" } });
    const e = await failure(deploy(ctx, image, fake));
    expect(e).toBeInstanceOf(DeployError);
    expect(e.message).toBe(`${URL} did not answer 2xx within 5s (last: HTTP 403)`);
  });
});

describe("lambda destroy and status", () => {
  it("deletes the URL, the function and (with --with-roles) the tagged exec role", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("NONE"));
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg() as never, Tags: { "logship:app": "demo" } });
    iamMock.on(GetRoleCommand).resolves({ Role: { Arn: "x", Tags: [{ Key: "logship:app", Value: "demo" }] } as never });
    iamMock.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }] });
    const { ctx } = setup({ roleArn: undefined });
    ctx.options.withRoles = true;
    const results = await settle(runSteps(lambdaTarget().destroySteps(ctx), ctx));
    expect(writes()).toEqual([
      ["DeleteFunctionUrlConfig", { FunctionName: "demo-fn", Qualifier: "live" }],
      ["DeleteFunction", { FunctionName: "demo-fn" }],
    ]);
    expect(sent(iamMock).slice(2)).toEqual([
      ["DetachRolePolicy", { RoleName: "logship-demo-lambda-exec", PolicyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }],
      ["ListRolePolicies", { RoleName: "logship-demo-lambda-exec" }],
      ["DeleteRole", { RoleName: "logship-demo-lambda-exec" }],
    ]);
    expect(results.map((r) => r.status)).toEqual(["done", "done", "done"]);
  });

  it("skips what is already gone, and leaves roles alone without --with-roles", async () => {
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(noResource());
    lambdaMock.on(GetFunctionCommand).rejects(notFound());
    const { ctx } = setup({ roleArn: undefined });
    const results = await settle(runSteps(lambdaTarget().destroySteps(ctx), ctx));
    expect(writes()).toEqual([]);
    expect(iamMock.calls()).toHaveLength(0);
    expect(results.map((r) => [r.id, r.status, r.detail])).toEqual([
      ["lambda.delete-url", "skipped", "no function URL"],
      ["lambda.delete-function", "skipped", "no such function"],
    ]);
  });

  it("status reads state, image, URL, last change and alias version from Lambda", async () => {
    lambdaMock.on(GetFunctionCommand).resolves({
      Configuration: cfg({ LastModified: "2026-11-25T09:00:00.000+0000" }) as never,
      Code: { ImageUri: `${REPO}:0.1.0`, ResolvedImageUri: `${REPO}@${DIGEST}` },
    });
    // With the alias as Qualifier, GetFunction answers the version the alias points to
    // (API_GetFunction.html): after a rollback that is an older image than $LATEST's.
    lambdaMock.on(GetFunctionCommand, { FunctionName: "demo-fn", Qualifier: "live" }).resolves({
      Configuration: cfg({ Version: "7" }) as never,
      Code: { ImageUri: `${REPO}@${OLD}`, ResolvedImageUri: `${REPO}@${OLD}` },
    });
    lambdaMock.on(GetFunctionUrlConfigCommand).resolves(urlConfig("AWS_IAM"));
    const { ctx } = setup();
    expect(await lambdaTarget().status(ctx)).toEqual({
      target: "lambda", exists: true, state: "Active/Successful", url: URL, image: `${REPO}@${OLD}`,
      updatedAt: "2026-11-25T09:00:00.000Z", detail: "function demo-fn, alias live → version 7, URL auth AWS_IAM",
    });
  });

  it("status before any alias shows $LATEST's image", async () => {
    lambdaMock.on(GetFunctionCommand).resolves({ Configuration: cfg() as never, Code: { ResolvedImageUri: `${REPO}@${DIGEST}` } });
    lambdaMock.on(GetFunctionCommand, { FunctionName: "demo-fn", Qualifier: "live" }).rejects(notFound());
    lambdaMock.on(GetFunctionUrlConfigCommand).rejects(noResource());
    const { ctx } = setup();
    expect(await lambdaTarget().status(ctx)).toMatchObject({ image: `${REPO}@${DIGEST}`, detail: "function demo-fn, no alias live, no URL" });
  });

  it("status of a missing function", async () => {
    lambdaMock.on(GetFunctionCommand).rejects(notFound());
    const { ctx } = setup();
    expect(await lambdaTarget().status(ctx)).toEqual({ target: "lambda", exists: false, detail: "no function demo-fn" });
  });
});

describe("lambda dry run", () => {
  it("describes the calls with inputs, env values redacted, and sends nothing", async () => {
    const { ctx, image } = setup({ env: { API_TOKEN: "s3cret" }, url: { public: true } });
    ctx.dryRun = true;
    const results = await settle(runSteps(lambdaTarget().deploySteps(ctx, image), ctx));
    expect(lambdaMock.calls()).toHaveLength(0);
    expect(ecrMock.calls()).toHaveLength(0);
    const text = JSON.stringify(results);
    expect(text).not.toContain("s3cret");
    const commands = results.flatMap((r) => r.actions ?? []).map((a) => a.command);
    expect(commands).toEqual(expect.arrayContaining([
      "ECR.DescribeImages", "Lambda.CreateFunction", "Lambda.UpdateFunctionCode", "Lambda.PublishVersion",
      "Lambda.CreateFunctionUrlConfig", "Lambda.AddPermission", `GET ${"<function URL>/"}`,
    ]));
    const create = results.flatMap((r) => r.actions ?? []).find((a) => a.command === "Lambda.CreateFunction");
    expect(create?.input).toMatchObject({ Code: { ImageUri: `${REPO}@${DIGEST}` }, Environment: { Variables: { API_TOKEN: "***" } } });
  });
});
