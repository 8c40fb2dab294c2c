// One --json envelope for every command (src/ui/result.ts): `command`, `ok`, `dryRun` first, the
// command's own fields where they were, `error` exactly when ok is false. Through the real CLI,
// in-process; AWS faked at the SDK boundary, answering as each API documents (sources inline).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { GetAliasCommand, LambdaClient, ListVersionsByFunctionCommand } from "@aws-sdk/client-lambda";
import { ECRClient } from "@aws-sdk/client-ecr";
import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand, type Service } from "@aws-sdk/client-apprunner";
import { runCli } from "../helpers/cli.js";
import { fakeEcrImages } from "../helpers/ecr-images-fake.js";

const lambda = mockClient(LambdaClient);
const ecr = mockClient(ECRClient);
const apprunner = mockClient(AppRunnerClient);
afterEach(() => [lambda, ecr, apprunner].forEach((m) => m.reset()));

const made: string[] = [];
afterAll(() => Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

const CONFIG = "app: shop\nversion: 1.0.0\nregion: us-east-1\ntargets:\n  local: { port: 8000 }\n  lambda: { function: shop-fn }\n  apprunner: { service: shop-svc }\n";
const sha = (c: string) => c.repeat(64);

async function project(config = CONFIG): Promise<string> {
  const cwd = await mkdtemp(path.join(os.tmpdir(), "logship-envelope-"));
  made.push(cwd);
  await writeFile(path.join(cwd, "logship.yaml"), config);
  await writeFile(path.join(cwd, "Dockerfile"), "FROM scratch\n");
  return cwd;
}

/** No Docker here (LOGSHIP_DOCKER names no file): commands that need it fail as on a machine without it. */
const run = async (argv: string[], cwd?: string) =>
  runCli(argv, { cwd: cwd ?? (await project()), env: { CI: "1", LOGSHIP_DOCKER: "/nonexistent/docker", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" } });

function envelopeOf(stdout: string) {
  const doc = JSON.parse(stdout);
  expect(Object.keys(doc).slice(0, 3)).toEqual(["command", "ok", "dryRun"]);
  expect("error" in doc).toBe(!doc.ok);
  return doc;
}

/** ListVersionsByFunction and GetAlias as API_ListVersionsByFunction.html / API_GetAlias.html show them. */
function lambdaVersions() {
  lambda.on(GetAliasCommand).resolves({ Name: "live", FunctionVersion: "2", RevisionId: "rev-1" });
  lambda.on(ListVersionsByFunctionCommand).resolves({
    Versions: [{ Version: "$LATEST", CodeSha256: sha("b") }, { Version: "1", CodeSha256: sha("a") }, { Version: "2", CodeSha256: sha("b") }],
  });
  fakeEcrImages(ecr, [{ imageDigest: `sha256:${sha("a")}` }, { imageDigest: `sha256:${sha("b")}` }]);
}

describe("the --json envelope", () => {
  // Each command, as it succeeds or fails without Docker: the envelope is the same shape every time.
  it.each([
    [["build", "--dry-run", "--json"], "build", true, true],
    [["push", "--dry-run", "--json"], "push", true, true],
    [["deploy", "local", "--dry-run", "--json"], "deploy local", true, true],
    [["ship", "local", "--dry-run", "--json"], "ship local", true, true],
    [["destroy", "local", "--dry-run", "--json"], "destroy local", true, true],
    [["init", "--dry-run", "--json"], "init", true, true],
    [["status", "local", "--json"], "status", false, false],
    [["doctor", "--json"], "doctor", false, false],
    [["logs", "local", "--json"], "logs local", false, false],
    [["rollback", "local", "--json"], "rollback local", false, false],
    [["releases", "local", "--json"], "releases", false, false],
    [["schema", "--json"], "schema", true, false],
  ])("logship %j: command %j, ok %j, dryRun %j", async (argv, command, ok, dryRun) => {
    const r = await run(argv);
    const doc = envelopeOf(r.stdout);
    expect(doc).toMatchObject({ command, ok, dryRun });
    expect(r.code === 0).toBe(ok);
    if (!ok) expect(doc.error.exitCode).toBe(r.code);
  });

  it("releases (which had no ok): ok, dryRun, then the target and its releases where they were", async () => {
    lambdaVersions();
    const r = await run(["releases", "lambda", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = envelopeOf(r.stdout);
    expect(doc).toMatchObject({ command: "releases", ok: true, dryRun: false, target: "lambda" });
    expect(doc.releases.map((x: { id: string; live: boolean }) => [x.id, x.live])).toEqual([["2", true], ["1", false]]);
  });

  it("releases without --json keeps its lines on stdout, * on the live one", async () => {
    lambdaVersions();
    const r = await run(["releases", "lambda"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean).map((l) => l.slice(0, 5))).toEqual(["* v2 ", "  v1 "]);
  });

  it("migrate (which had no ok): ok and written after --yes; ok false with the error when it may not write", async () => {
    // ListServices / DescribeService as API_ListServices.html and API_DescribeService.html show them.
    const service: Service = {
      ServiceName: "shop-svc", ServiceId: "s1", ServiceArn: "arn:aws:apprunner:us-east-1:123456789012:service/shop-svc/s1",
      ServiceUrl: "x.us-east-1.awsapprunner.com", Status: "RUNNING", CreatedAt: new Date(), UpdatedAt: new Date(),
      SourceConfiguration: { ImageRepository: { ImageIdentifier: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.0.0", ImageRepositoryType: "ECR", ImageConfiguration: { Port: "80" } } },
      InstanceConfiguration: { Cpu: "1 vCPU", Memory: "2 GB" },
      AutoScalingConfigurationSummary: undefined,
      NetworkConfiguration: undefined,
    };
    apprunner.on(ListServicesCommand).resolves({ ServiceSummaryList: [{ ServiceName: "shop-svc", ServiceArn: service.ServiceArn, Status: "RUNNING" }] });
    apprunner.on(DescribeServiceCommand).resolves({ Service: service });
    const cwd = await project();

    const refused = await run(["migrate", "apprunner-to-ecs", "--json"], cwd);
    expect(refused.code).toBe(2);
    const no = envelopeOf(refused.stdout);
    expect(no).toMatchObject({ command: "migrate apprunner-to-ecs", ok: false, dryRun: false, service: "shop-svc", written: false });
    expect(no.error).toMatchObject({ message: "migrate: not writing without confirmation", exitCode: 2 });
    expect(no.diff).toContain("+  ecs:");

    const wrote = await run(["migrate", "apprunner-to-ecs", "--json", "--yes"], cwd);
    expect(wrote.code, wrote.stderr).toBe(0);
    expect(envelopeOf(wrote.stdout)).toMatchObject({ command: "migrate apprunner-to-ecs", ok: true, dryRun: false, written: true, ecs: { service: "shop-svc" } });
  });

  it("migrate on a terminal: the diff is shown with the question (confirm's preview), not again after it", async () => {
    apprunner.on(ListServicesCommand).resolves({ ServiceSummaryList: [{ ServiceName: "shop-svc", ServiceArn: "arn:aws:apprunner:us-east-1:123456789012:service/shop-svc/s1", Status: "RUNNING" }] });
    apprunner.on(DescribeServiceCommand).resolves({
      Service: {
        ServiceName: "shop-svc", ServiceId: "s1", ServiceArn: "arn:aws:apprunner:us-east-1:123456789012:service/shop-svc/s1",
        ServiceUrl: "x.us-east-1.awsapprunner.com", Status: "RUNNING", CreatedAt: new Date(), UpdatedAt: new Date(),
        SourceConfiguration: { ImageRepository: { ImageIdentifier: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1.0.0", ImageRepositoryType: "ECR", ImageConfiguration: { Port: "80" } } },
        InstanceConfiguration: { Cpu: "1 vCPU", Memory: "2 GB" }, AutoScalingConfigurationSummary: undefined, NetworkConfiguration: undefined,
      },
    });
    const asked: [string, string | undefined][] = [];
    const r = await runCli(["migrate", "apprunner-to-ecs"], {
      cwd: await project(), env: { CI: "", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" }, interactive: true,
      confirm: async (question, preview) => (asked.push([question, preview]), true),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(asked).toHaveLength(1);
    expect(asked[0][0]).toBe("Write this to logship.yaml?");
    expect(asked[0][1]).toContain("+  ecs:");
    expect(r.stdout).toBe("");
  });

  it("a failure before the command could start still names it (a missing target block: exit 2)", async () => {
    const cwd = await project("app: shop\nregion: us-east-1\ntargets:\n  local: {}\n");
    const r = await run(["deploy", "lambda", "--json"], cwd);
    expect(r.code).toBe(2);
    expect(envelopeOf(r.stdout)).toMatchObject({
      command: "deploy lambda", ok: false, dryRun: false, error: { message: expect.stringContaining("targets.lambda: not configured"), exitCode: 2 },
    });
  });

  it("status and doctor carry the error they exit with, beside their targets and findings", async () => {
    const status = envelopeOf((await run(["status", "local", "--json"])).stdout);
    expect(status.targets[0]).toMatchObject({ target: "local", exists: false, state: "unknown" });
    expect(status.error.exitCode).toBe(1);
    const doctor = envelopeOf((await run(["doctor", "--json"])).stdout);
    expect(doctor.findings.find((f: { id: string }) => f.id === "docker.engine")).toMatchObject({ severity: "error" });
    expect(doctor.error).toMatchObject({ message: expect.stringMatching(/^doctor found \d+ errors?$/), hint: "each one above says how to fix it", exitCode: 1 });
  });

  it("schema without --json prints the schema itself", async () => {
    const r = await run(["schema"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: "object" });
  });
});
