// `logship ship apprunner lambda` end to end, in-process through main(): a REAL docker build and a
// REAL push to the loopback registry, which stands in for ECR's data plane (the faked ECR control
// plane hands out repositoryUri localhost:5000/<repo> and a login token for http://localhost:5000).
// AWS itself is faked only at the SDK boundary (aws-sdk-client-mock); the smoke tests' https:// URLs
// do not exist here, so the global fetch is stubbed for them (and only them) during each run.
// The fakes (./fake-aws/) answer as AWS documents, not with what logship sent: ECR's images are the
// registry's, Lambda's function is Pending before Active and resolves the image itself, every write
// moves its RevisionId, App Runner normalises sizes, fills in defaults and moves through
// OPERATION_IN_PROGRESS to RUNNING. So "a second ship writes nothing" means logship reads AWS's own
// shape of what it created as "up to date", not merely that it agrees with itself.
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import * as ecrSdk from "@aws-sdk/client-ecr";
import * as iamSdk from "@aws-sdk/client-iam";
import * as arSdk from "@aws-sdk/client-apprunner";
import * as lambdaSdk from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import { main } from "../../src/cli.js";
import { cleanupProject, makeProject, realParts, REGISTRY, type Project } from "./helpers.js";
import { ACCOUNT } from "./fake-aws/common.js";
import { fakeEcr, fakeIam, fakeSts } from "./fake-aws/ecr-iam.js";
import { fakeAppRunner, SERVICE_URL_HOST, type AppRunnerWorld } from "./fake-aws/apprunner.js";
import { fakeLambda, type LambdaWorld } from "./fake-aws/lambda.js";
import { FUNCTION_URL } from "./fake-aws/lambda-url.js";

const parts = await realParts(true);

const TAG = "1.2.3";
const PASSWORD = `pw-${randomBytes(12).toString("hex")}`;
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString("base64");
const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

// Made in beforeAll (mockClient stubs the client prototypes) and restored in afterAll.
let ecr: AwsStub<ecrSdk.ServiceInputTypes, ecrSdk.ServiceOutputTypes, any>;
let iam: AwsStub<iamSdk.ServiceInputTypes, iamSdk.ServiceOutputTypes, any>;
let apprunner: AwsStub<arSdk.ServiceInputTypes, arSdk.ServiceOutputTypes, any>;
let lambda: AwsStub<lambdaSdk.ServiceInputTypes, lambdaSdk.ServiceOutputTypes, any>;
let mocks: Record<"ecr" | "iam" | "apprunner" | "lambda" | "sts", AwsStub<any, any, any>>;

/** What AWS holds: empty at first; each fake keeps its service's state as that service would. */
interface World {
  repo: string;
  apprunner: AppRunnerWorld;
  lambda: LambdaWorld;
}

function installMocks(w: World) {
  for (const m of Object.values(mocks)) {
    m.reset();
    // Anything not modelled is a call this test did not expect: fail loudly.
    m.onAnyCommand().callsFake(async (input) => {
      throw new Error(`unexpected AWS call in the e2e test: ${JSON.stringify(input)}`);
    });
  }
  const ecrState = { repo: w.repo, token: TOKEN };
  fakeEcr(ecr, ecrState);
  const roles = fakeIam(iam);
  fakeSts(mocks.sts);
  w.lambda.roleExists = (arn) => [...roles.values()].some((r) => r.Role.Arn === arn);
  fakeAppRunner(apprunner, w.apprunner);
  fakeLambda(lambda, w.lambda);
  return { ecr: ecrState, roles };
}

/** Every command the fake received, as "Client.Command" (e.g. "lambda.AddPermission"). */
function sent(): { name: string; input: any }[] {
  return Object.entries(mocks).flatMap(([client, m]) =>
    m.calls().map((c) => ({ name: `${client}.${(c.args[0] as object).constructor.name.replace(/Command$/, "")}`, input: (c.args[0] as { input: unknown }).input })));
}
const WRITE = /\.(Create|Update|Put|Publish|Add|Remove|Delete|Tag|Untag|Attach|Detach|Start|Pause|Resume)/;

/** Runs `logship ARGV` in-process with CI=1 and dummy AWS credentials; the smoke tests' https URLs answer 200. */
async function ship(argv: string[], cwd: string) {
  const realFetch = globalThis.fetch;
  const smoked: string[] = [];
  vi.stubGlobal("fetch", async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url instanceof Request ? url.url : url);
    if (!u.startsWith("https://")) return realFetch(url, init);
    smoked.push(u);
    return new Response("ok", { status: 200 });
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const env: NodeJS.ProcessEnv = {
    ...process.env, CI: "1", AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "dummy-secret-for-tests",
  };
  for (const k of ["AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "LOGSHIP_TAG", "LOGSHIP_ENV"]) delete env[k];
  try {
    const code = await main(["node", "logship", ...argv], {
      stdout, stderr, env, cwd, isTTY: false, signal: new AbortController().signal, interactive: false,
    });
    return { code, stdout: out, stderr: err, smoked };
  } finally {
    vi.unstubAllGlobals();
  }
}

/** The digest the real registry serves for repo:tag (Docker-Content-Digest). */
async function registryDigest(repo: string, tag: string): Promise<string | null> {
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${tag}`, {
    headers: { Accept: `${MANIFEST_V2}, application/vnd.oci.image.manifest.v1+json` },
    signal: AbortSignal.timeout(10_000),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get("docker-content-digest");
}

describe.skipIf(parts.skip)("ship apprunner lambda: real docker build + push to the loopback registry, AWS mocked at the SDK", () => {
  let p: Project;
  let world: World;
  beforeAll(async () => {
    parts.assert();
    p = await makeProject("webapp", {
      region: "us-east-1",
      registry: { type: "ecr" },
      targets: {
        apprunner: { service: "placeholder", port: 8080 },
        lambda: { function: "placeholder", url: { public: true } },
      },
    });
    // The unique app name doubles as the ECR repository (registry.repository defaults to it).
    await p.writeConfig({
      targets: {
        apprunner: { service: `${p.app}-svc`, port: 8080 },
        lambda: { function: `${p.app}-fn`, url: { public: true } },
      },
    });
    ecr = mockClient(ecrSdk.ECRClient);
    iam = mockClient(iamSdk.IAMClient);
    apprunner = mockClient(arSdk.AppRunnerClient);
    lambda = mockClient(lambdaSdk.LambdaClient);
    mocks = { ecr, iam, apprunner, lambda, sts: mockClient(STSClient) };
    world = {
      repo: p.app,
      apprunner: { tags: [], operations: [] },
      // The function's image lives in the loopback registry under the same repository name.
      lambda: { roleExists: () => false, registryRepo: (uri) => uri.replace(/^localhost:5000\//, "").replace(/[@:].*$/, "") },
    };
    installMocks(world);
  });
  afterEach(() => vi.unstubAllGlobals());
  afterAll(async () => {
    for (const m of Object.values(mocks ?? {})) m.restore();
    await cleanupProject(p, [TAG]);
  });

  it("builds once, pushes once, deploys both by digest; a second ship changes nothing", async () => {
    // ---- First ship: everything is created. --json, with docker's output shown (--verbose).
    const first = await ship(["ship", "apprunner", "lambda", "--json", "--verbose"], p.dir);
    expect(first.code, first.stderr).toBe(0);
    const doc = JSON.parse(first.stdout); // exactly one JSON document on stdout
    expect(doc.ok).toBe(true);
    const steps = doc.steps as { id: string; group?: string; status: string; detail?: string }[];
    const byId = (id: string) => steps.filter((s) => s.id === id);
    expect(byId("docker.build").map((s) => s.status)).toEqual(["done"]);
    expect(byId("registry.push").map((s) => s.status)).toEqual(["done"]);
    expect(byId("ecr.login").map((s) => s.status)).toEqual(["done"]);
    expect(steps.filter((s) => s.status !== "done" && s.status !== "skipped")).toEqual([]);
    expect(first.stderr.match(/^✔ Build /gm)).toHaveLength(1);
    expect(first.stderr.match(/^✔ Push /gm)).toHaveLength(1);
    expect(doc.images).toHaveLength(1);

    // The image really is in the registry, and both targets run exactly that digest.
    const digest = await registryDigest(p.app, TAG);
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const byDigest = `localhost:5000/${p.app}@${digest}`;
    expect(doc.images[0].digest).toBe(digest);
    expect(doc.images[0].uploadSkipped).toBe(false);

    const calls = sent();
    const one = (name: string) => {
      const hits = calls.filter((c) => c.name === name);
      expect(hits, name).toHaveLength(1);
      return hits[0].input;
    };
    const create = one("apprunner.CreateService");
    expect(create.ServiceName).toBe(`${p.app}-svc`);
    expect(create.SourceConfiguration.ImageRepository.ImageIdentifier).toBe(byDigest);
    expect(create.SourceConfiguration.ImageRepository.ImageRepositoryType).toBe("ECR");
    expect(create.SourceConfiguration.AutoDeploymentsEnabled).toBe(false);
    expect(create.SourceConfiguration.AuthenticationConfiguration.AccessRoleArn)
      .toBe(`arn:aws:iam::${ACCOUNT}:role/logship-${p.app}-apprunner-ecr-access`);
    const fn = one("lambda.CreateFunction");
    expect(fn.Code).toEqual({ ImageUri: byDigest });
    expect(fn.PackageType).toBe("Image");
    expect(fn.Role).toBe(`arn:aws:iam::${ACCOUNT}:role/logship-${p.app}-lambda-exec`);
    one("lambda.PublishVersion");
    expect(one("lambda.CreateAlias")).toMatchObject({ Name: "live", FunctionVersion: "1" });
    expect(one("lambda.CreateFunctionUrlConfig")).toMatchObject({ Qualifier: "live", AuthType: "NONE" });
    const permissions = calls.filter((c) => c.name === "lambda.AddPermission").map((c) => c.input);
    expect(permissions).toEqual(expect.arrayContaining([
      {
        FunctionName: `${p.app}-fn`, Qualifier: "live", StatementId: "logship-public-url",
        Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE",
      },
      {
        FunctionName: `${p.app}-fn`, Qualifier: "live", StatementId: "logship-public-url-invoke",
        Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true,
      },
    ]));
    expect(permissions).toHaveLength(2);
    expect(calls.filter((c) => c.name === "iam.CreateRole").map((c) => c.input.RoleName).sort())
      .toEqual([`logship-${p.app}-apprunner-ecr-access`, `logship-${p.app}-lambda-exec`]);
    expect(calls.filter((c) => /ecr\.(CreateRepository|PutImageTagMutability|PutImageScanningConfiguration)/.test(c.name))).toEqual([]);
    expect(calls.filter((c) => c.name === "ecr.DescribeImages").map((c) => c.input.imageIds[0]))
      .toEqual(expect.arrayContaining([{ imageTag: TAG }, { imageDigest: digest }]));
    expect(first.smoked.sort()).toEqual([`https://${SERVICE_URL_HOST}/`, FUNCTION_URL].sort());
    expect(doc.targets.apprunner.url).toBe(`https://${SERVICE_URL_HOST}`);
    expect(doc.targets.lambda.url).toBe(FUNCTION_URL);
    for (const text of [first.stdout, first.stderr]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(TOKEN);
    }

    // ---- Second ship (plain output): AWS describes what the first created, in its own shape; ECR sees
    // the tag because the registry holds it.
    for (const m of Object.values(mocks)) m.resetHistory();
    const second = await ship(["ship", "apprunner", "lambda"], p.dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().split("\n").sort()).toEqual([`apprunner: https://${SERVICE_URL_HOST}`, `lambda: ${FUNCTION_URL}`]);
    expect(second.stderr).toMatch(new RegExp(`^↷ Push localhost:5000/${p.app}:${TAG} — already in the registry: ${byDigest.replace(/[.]/g, "\\.")}`, "m"));
    expect(second.stderr).toMatch(/^↷ \[apprunner\] Deploy App Runner service .* — up to date/m);
    expect(second.stderr).toMatch(/^↷ \[lambda\] Create or update Lambda function .* — up to date/m);
    expect(sent().filter((c) => WRITE.test(c.name)).map((c) => c.name)).toEqual([]);
    for (const text of [second.stdout, second.stderr]) expect(text).not.toContain(PASSWORD);

    // ---- Third ship (--json): the same no-op, read from the result document.
    for (const m of Object.values(mocks)) m.resetHistory();
    const third = await ship(["ship", "apprunner", "lambda", "--json"], p.dir);
    expect(third.code, third.stderr).toBe(0);
    const again = JSON.parse(third.stdout);
    const status = (id: string, group?: string) => again.steps.filter((s: any) => s.id === id && s.group === group).map((s: any) => s.status);
    expect(status("registry.push")).toEqual(["skipped"]);
    expect(again.images[0].uploadSkipped).toBe(true);
    expect(again.images[0].digest).toBe(digest);
    expect(status("apprunner.service", "apprunner")).toEqual(["skipped"]);
    for (const id of ["lambda.deploy-function", "lambda.publish-alias", "lambda.function-url"]) expect(status(id, "lambda"), id).toEqual(["skipped"]);
    for (const id of ["iam.ensure-role", "ecr.ensure-repository", "ecr.lifecycle-policy"]) {
      expect(again.steps.filter((s: any) => s.id === id).every((s: any) => s.status === "skipped"), id).toBe(true);
    }
    expect(sent().filter((c) => WRITE.test(c.name)).map((c) => c.name)).toEqual([]);
    expect(await registryDigest(p.app, TAG)).toBe(digest);
    expect(third.stdout + third.stderr).not.toContain(PASSWORD);
  }, 120_000);
});
