// `logship ship apprunner lambda` end to end, in-process through main() (./in-process.ts says why): a real
// docker build and push to moto's ECR registry host (the relay registers the manifest in moto's ECR),
// ECR, IAM, STS and Lambda answered by moto, and only App Runner, which has no emulator, faked at the SDK
// as its API reference documents it. So "a second ship writes nothing" means logship reads moto's shape of
// what it created, and the App Runner fake's defaults and normalised sizes, as up to date.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetAliasCommand, GetFunctionCommand, GetFunctionUrlConfigCommand, GetPolicyCommand } from "@aws-sdk/client-lambda";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import type { Project } from "../integration/helpers.js";
import { SERVICE_URL_HOST } from "../integration/fake-aws/apprunner.js";
import { motoParts, motoProject, registryGet, sdk, type MotoProject } from "./harness.js";
import { installAppRunner, removeAppRunnerLambda, shipInProcess, withMotoEnv } from "./in-process.js";

const parts = await motoParts();
const TAG = "1.2.3";

describe.skipIf(parts.skip)("ship apprunner lambda in-process: moto for ECR/IAM/STS/Lambda, App Runner faked as AWS documents it", () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  let aws: Awaited<ReturnType<typeof sdk>>;
  let apprunner: ReturnType<typeof installAppRunner>;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    parts.assert();
    aws = await sdk(m);
    project = await motoProject(m, (p) => ({
      targets: { apprunner: { service: `${p.app}-svc`, port: 8080 }, lambda: { function: `${p.app}-fn`, url: { public: true } } },
    }));
    ({ p, env } = project);
    restoreEnv = withMotoEnv(env);
    apprunner = installAppRunner();
  });
  afterAll(async () => {
    apprunner?.restore();
    restoreEnv?.();
    if (project) await removeAppRunnerLambda(project, aws.iam, [TAG]);
  });

  it("builds once, pushes once, deploys both by the registry's digest; a second and third ship write nothing", async () => {
    const fn = `${p.app}-fn`;
    // ---- First ship: everything is created. --json, with docker's output shown (--verbose).
    const first = await shipInProcess(["ship", "apprunner", "lambda", "--json", "--verbose"], p.dir, env);
    expect(first.code, first.stderr).toBe(0);
    const doc = JSON.parse(first.stdout); // exactly one JSON document on stdout (--debug's lines go to stderr)
    expect(doc.ok).toBe(true);
    const steps = doc.steps as { id: string; group?: string; status: string }[];
    const byId = (id: string) => steps.filter((s) => s.id === id).map((s) => s.status);
    expect(byId("docker.build")).toEqual(["done"]);
    expect(byId("registry.push")).toEqual(["done"]);
    expect(byId("ecr.login")).toEqual(["done"]);
    expect(steps.filter((s) => s.status !== "done" && s.status !== "skipped")).toEqual([]);
    expect(first.stderr.match(/^✔ Build /gm)).toHaveLength(1);
    expect(first.stderr.match(/^✔ Push /gm)).toHaveLength(1);
    expect(doc.images).toHaveLength(1);

    // The image is in ECR's registry, and both targets were given exactly that digest.
    const head = await registryGet(m, `/v2/${p.app}/manifests/${TAG}`, {
      method: "HEAD", auth: true, accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json",
    });
    const digest = String(head.headers["docker-content-digest"]);
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const byDigest = `${m.registryHost}/${p.app}@${digest}`;
    expect(doc.images[0].digest).toBe(digest);
    expect(doc.images[0].uploadSkipped).toBe(false);
    // AWS took its time: the function was Pending (launcher.py), the service's operation IN_PROGRESS.
    expect(first.stderr).toMatch(/^ *\[lambda\] waiting: State Pending/m);
    expect(first.stderr).toMatch(/^ *\[apprunner\] .*: IN_PROGRESS/m);

    // moto's writes, in the order made (--debug); one repository, two roles, one function with its URL.
    expect([...first.writes].sort()).toEqual([
      "ECR.CreateRepository", "ECR.PutLifecyclePolicy",
      "IAM.AttachRolePolicy", "IAM.AttachRolePolicy", "IAM.CreateRole", "IAM.CreateRole",
      "Lambda.AddPermission", "Lambda.AddPermission", "Lambda.CreateAlias", "Lambda.CreateFunction",
      "Lambda.CreateFunctionUrlConfig", "Lambda.PublishVersion",
    ]);
    expect(first.calls).toContain("ECR.DescribeImages");

    const creates = apprunner.sent().filter((c) => c.name === "CreateService");
    expect(creates).toHaveLength(1);
    const create = creates[0].input;
    expect(create.ServiceName).toBe(`${p.app}-svc`);
    expect(create.SourceConfiguration.ImageRepository.ImageIdentifier).toBe(byDigest);
    expect(create.SourceConfiguration.ImageRepository.ImageRepositoryType).toBe("ECR");
    expect(create.SourceConfiguration.AutoDeploymentsEnabled).toBe(false);
    expect(create.SourceConfiguration.AuthenticationConfiguration.AccessRoleArn)
      .toBe(`arn:aws:iam::${m.account}:role/logship-${p.app}-apprunner-ecr-access`);
    expect((await aws.iam.send(new GetRoleCommand({ RoleName: `logship-${p.app}-apprunner-ecr-access` }))).Role?.Arn)
      .toBe(create.SourceConfiguration.AuthenticationConfiguration.AccessRoleArn);

    // What Lambda holds (moto): the function by digest, version 1 of that image, the alias and its public URL.
    const got = await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn }));
    expect(got.Code?.ImageUri).toBe(byDigest);
    expect(got.Configuration).toMatchObject({ PackageType: "Image", Role: `arn:aws:iam::${m.account}:role/logship-${p.app}-lambda-exec` });
    // Lambda's CodeSha256 of an image is its manifest digest; version 1 was published from exactly that.
    expect(got.Configuration?.CodeSha256).toBe(digest.replace(/^sha256:/, ""));
    const v1 = await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn, Qualifier: "1" }));
    expect(v1.Configuration?.CodeSha256).toBe(got.Configuration?.CodeSha256);
    expect((await aws.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: "live" }))).FunctionVersion).toBe("1");
    const url = await aws.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: fn, Qualifier: "live" }));
    expect(url.AuthType).toBe("NONE");
    const policy = await aws.lambda.send(new GetPolicyCommand({ FunctionName: fn, Qualifier: "live" }));
    const statements = (JSON.parse(policy.Policy!).Statement as { Sid: string; Action: string; Principal: unknown; Condition?: unknown }[])
      .map(({ Sid, Action, Principal, Condition }) => ({ Sid, Action, Principal, Condition }))
      .sort((a, b) => a.Sid.localeCompare(b.Sid));
    expect(statements).toEqual([
      { Sid: "logship-public-url", Action: "lambda:InvokeFunctionUrl", Principal: "*", Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } } },
      { Sid: "logship-public-url-invoke", Action: "lambda:InvokeFunction", Principal: "*", Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } } },
    ]);
    const fnUrl = url.FunctionUrl!.replace(/\/$/, "");
    expect(first.smoked.sort()).toEqual([`https://${SERVICE_URL_HOST}/`, `${fnUrl}/`].sort());
    expect(doc.targets.apprunner.url).toBe(`https://${SERVICE_URL_HOST}`);
    expect(doc.targets.lambda.url).toBe(fnUrl);
    const token = Buffer.from(`AWS:${m.password}`).toString("base64");
    for (const text of [first.stdout, first.stderr]) {
      expect(text).not.toContain(m.password);
      expect(text).not.toContain(token);
    }

    // ---- Second ship (plain output): the tag is in ECR, and moto and the fake describe what the first made.
    apprunner.resetHistory();
    const second = await shipInProcess(["ship", "apprunner", "lambda"], p.dir, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().split("\n").sort()).toEqual([`apprunner: https://${SERVICE_URL_HOST}`, `lambda: ${fnUrl}`]);
    expect(second.stderr).toMatch(new RegExp(`^↷ Push ${m.registryHost.replace(/[.]/g, "\\.")}/${p.app}:${TAG} — already in the registry: ${byDigest.replace(/[.]/g, "\\.")}`, "m"));
    expect(second.stderr).toMatch(/^↷ \[apprunner\] Deploy App Runner service .* — up to date/m);
    expect(second.stderr).toMatch(/^↷ \[lambda\] Create or update Lambda function .* — up to date/m);
    expect(second.calls).toContain("Lambda.GetFunction"); // the --debug trace is read: none written, not none seen
    expect(second.writes).toEqual([]);
    expect(apprunner.writes()).toEqual([]);
    for (const text of [second.stdout, second.stderr]) expect(text).not.toContain(m.password);

    // ---- Third ship (--json): the same no-op, read from the result document.
    apprunner.resetHistory();
    const third = await shipInProcess(["ship", "apprunner", "lambda", "--json"], p.dir, env);
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
    expect(third.calls).toContain("Lambda.GetFunction"); // the --debug trace is read: none written, not none seen
    expect(third.writes).toEqual([]);
    expect(apprunner.writes()).toEqual([]);
    expect(third.stdout + third.stderr).not.toContain(m.password);
  }, 180_000);
});
