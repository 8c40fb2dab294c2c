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
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanupProject, makeProject, realParts, REGISTRY, type Project } from "./helpers.js";
import { ACCOUNT } from "./fake-aws/common.js";
import { SERVICE_URL_HOST } from "./fake-aws/apprunner.js";
import { FUNCTION_URL } from "./fake-aws/lambda-url.js";
import { installFakeAws, ship, WRITE, type FakeAws } from "./fake-aws/harness.js";

const parts = await realParts(true);

const TAG = "1.2.3";
const PASSWORD = `pw-${randomBytes(12).toString("hex")}`;
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString("base64");
const MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";

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

describe.skipIf(parts.skip)("ship apprunner lambda: real docker build + push to the loopback registry, AWS faked at the SDK as AWS documents it", () => {
  let p: Project;
  let aws: FakeAws;
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
    aws = installFakeAws(p.app, TOKEN);
  });
  afterEach(() => vi.unstubAllGlobals());
  afterAll(async () => {
    aws?.restore();
    await cleanupProject(p, [TAG]);
  });

  it("builds once, pushes once, deploys both by digest; a second ship reads AWS's own shape of that as up to date and writes nothing", async () => {
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
    // AWS took its time, as it does: the function was Pending, the service's operation IN_PROGRESS.
    expect(first.stderr).toMatch(/^ *\[lambda\] waiting: State Pending/m);
    expect(first.stderr).toMatch(/^ *\[apprunner\] .*: IN_PROGRESS/m);

    const calls = aws.sent();
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
    // Published with the CodeSha256 Lambda reported for $LATEST: the registry's manifest digest.
    expect(one("lambda.PublishVersion").CodeSha256).toBe(digest!.replace(/^sha256:/, ""));
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
    aws.resetHistory();
    const second = await ship(["ship", "apprunner", "lambda"], p.dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().split("\n").sort()).toEqual([`apprunner: https://${SERVICE_URL_HOST}`, `lambda: ${FUNCTION_URL}`]);
    expect(second.stderr).toMatch(new RegExp(`^↷ Push localhost:5000/${p.app}:${TAG} — already in the registry: ${byDigest.replace(/[.]/g, "\\.")}`, "m"));
    expect(second.stderr).toMatch(/^↷ \[apprunner\] Deploy App Runner service .* — up to date/m);
    expect(second.stderr).toMatch(/^↷ \[lambda\] Create or update Lambda function .* — up to date/m);
    expect(aws.sent().filter((c) => WRITE.test(c.name)).map((c) => c.name)).toEqual([]);
    for (const text of [second.stdout, second.stderr]) expect(text).not.toContain(PASSWORD);

    // ---- Third ship (--json): the same no-op, read from the result document.
    aws.resetHistory();
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
    expect(aws.sent().filter((c) => WRITE.test(c.name)).map((c) => c.name)).toEqual([]);
    expect(await registryDigest(p.app, TAG)).toBe(digest);
    expect(third.stdout + third.stderr).not.toContain(PASSWORD);
  }, 120_000);
});
