// The update paths of `logship ship apprunner lambda`, against the same AWS-shaped fakes as
// aws-e2e.test.ts (a real build and push to the loopback registry; AWS faked at the SDK). A changed
// setting must become exactly one update per service, each Lambda write carrying the RevisionId Lambda
// reported last (it changes on every write), and a write that lost a race must stop, not overwrite.
// The tests run in order on ONE deployment (made in beforeAll), each starting where the last one left it.
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanupProject, makeProject, realParts, type Project } from "./helpers.js";
import { lambdaTime, newRevision, registryManifest } from "./fake-aws/common.js";
import { installFakeAws, ship, WRITE, type FakeAws } from "./fake-aws/harness.js";

const parts = await realParts(true);
const TOKEN = Buffer.from(`AWS:pw-${randomBytes(12).toString("hex")}`).toString("base64");

describe.skipIf(parts.skip)("ship apprunner lambda, updates: one write per change, with the RevisionId AWS last reported", () => {
  let p: Project;
  let aws: FakeAws;
  const targets = (lambda: Record<string, unknown> = {}, apprunner: Record<string, unknown> = {}) => ({
    targets: {
      apprunner: { service: `${p.app}-svc`, port: 8080, ...apprunner },
      lambda: { function: `${p.app}-fn`, url: { public: true }, command: ["serve"], ...lambda },
    },
  });
  const writes = () => aws.sent().filter((c) => WRITE.test(c.name));
  const fn = () => aws.world.lambda.fn!;

  beforeAll(async () => {
    parts.assert();
    p = await makeProject("webapp", { region: "us-east-1", registry: { type: "ecr" }, targets: { lambda: { function: "placeholder" } } });
    await p.writeConfig(targets());
    aws = installFakeAws(p.app, TOKEN);
    const first = await ship(["ship", "apprunner", "lambda"], p.dir);
    expect(first.code, first.stderr).toBe(0);
  }, 120_000);
  afterEach(() => {
    vi.unstubAllGlobals();
    aws.world.lambda.afterGetFunction = undefined;
  });
  afterAll(async () => {
    aws?.restore();
    await cleanupProject(p, ["1.2.3"]);
  });

  it("a changed memory and size is one update each; Lambda's writes carry the RevisionId it reported; then nothing to do", async () => {
    // Lambda reports the command it was given, with WorkingDirectory "" (fake-aws/lambda.ts): not a change.
    expect(fn().cfg.ImageConfigResponse).toEqual({ ImageConfig: { Command: ["serve"], WorkingDirectory: "" } });
    await p.writeConfig(targets({ memory: 1024 }, { cpu: 2048, memory: 4096 }));
    const before = fn().cfg.RevisionId;
    const alias = fn().aliases.get("live")!.RevisionId;
    aws.resetHistory();
    const r = await ship(["ship", "apprunner", "lambda", "--verbose"], p.dir); // --verbose: the waits are shown
    expect(r.code, r.stderr).toBe(0);
    expect(writes().map((c) => c.name).sort())
      .toEqual(["apprunner.UpdateService", "lambda.PublishVersion", "lambda.UpdateAlias", "lambda.UpdateFunctionConfiguration"]);
    const one = (name: string) => writes().find((c) => c.name === name)!.input;
    expect(one("lambda.UpdateFunctionConfiguration")).toMatchObject({ MemorySize: 1024, RevisionId: before });
    expect(one("lambda.UpdateFunctionConfiguration")).not.toHaveProperty("ImageConfig");
    // Published from the revision the update produced, once Lambda had finished it.
    expect(r.stderr).toMatch(/^ *\[lambda\] waiting: State Active, LastUpdateStatus InProgress/m);
    expect(one("lambda.PublishVersion").RevisionId).not.toBe(before);
    expect(one("lambda.PublishVersion").RevisionId).toBe(fn().cfg.RevisionId);
    expect(one("lambda.UpdateAlias")).toMatchObject({ Name: "live", FunctionVersion: "2", RevisionId: alias });
    expect(one("apprunner.UpdateService").InstanceConfiguration).toEqual({ Cpu: "2048", Memory: "4096" });
    expect(aws.world.apprunner.service).toMatchObject({ Status: "RUNNING", InstanceConfiguration: { Cpu: "2048", Memory: "4096" } });

    aws.resetHistory();
    const again = await ship(["ship", "apprunner", "lambda"], p.dir);
    expect(again.code, again.stderr).toBe(0);
    expect(writes().map((c) => c.name)).toEqual([]);
  }, 120_000);

  it("another deploy writing the function between logship's read and its write: exit 1 naming it, nothing overwritten; a re-run converges", async () => {
    await p.writeConfig(targets({ memory: 2048 }));
    // Someone else's UpdateFunctionConfiguration lands right after logship's GetFunction (and has finished).
    aws.world.lambda.afterGetFunction = (f) => {
      aws.world.lambda.afterGetFunction = undefined;
      f.cfg = { ...f.cfg, MemorySize: 1536, RevisionId: newRevision(), LastModified: lambdaTime() };
    };
    aws.resetHistory();
    const raced = await ship(["ship", "lambda"], p.dir);
    expect(raced.code, raced.stderr).toBe(1);
    expect(raced.stderr).toMatch(new RegExp(`another deploy changed Lambda function ${p.app}-fn meanwhile`));
    expect(fn().cfg.MemorySize).toBe(1536);
    expect(writes().map((c) => c.name)).toEqual(["lambda.UpdateFunctionConfiguration"]);

    aws.resetHistory();
    const rerun = await ship(["ship", "lambda"], p.dir);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(fn().cfg.MemorySize).toBe(2048);
    expect(writes().map((c) => c.name)).toEqual(["lambda.UpdateFunctionConfiguration", "lambda.PublishVersion", "lambda.UpdateAlias"]);
  }, 120_000);

  it("a new image is one UpdateFunctionCode and one UpdateService by digest; App Runner records what ran before; then nothing to do", async () => {
    const oldImage = aws.world.apprunner.service!.SourceConfiguration!.ImageRepository!.ImageIdentifier!;
    await writeFile(path.join(p.dir, "www", "changed.txt"), `${Date.now()}\n`);
    const before = fn().cfg.RevisionId;
    aws.resetHistory();
    const r = await ship(["ship", "apprunner", "lambda"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const digest = (await registryManifest(p.app, "1.2.3"))!.digest;
    const byDigest = `localhost:5000/${p.app}@${digest}`;
    expect(byDigest).not.toBe(oldImage);
    expect(writes().map((c) => c.name).sort()).toEqual([
      "apprunner.TagResource", "apprunner.UpdateService", "lambda.PublishVersion", "lambda.UpdateAlias", "lambda.UpdateFunctionCode",
    ]);
    const one = (name: string) => writes().find((c) => c.name === name)!.input;
    expect(one("lambda.UpdateFunctionCode")).toMatchObject({ ImageUri: byDigest, RevisionId: before });
    // Lambda resolved the digest itself: what it reports running is the registry's manifest.
    expect(fn().code.ResolvedImageUri).toBe(byDigest);
    expect(fn().cfg.CodeSha256).toBe(digest.replace("sha256:", ""));
    expect(one("apprunner.UpdateService").SourceConfiguration.ImageRepository.ImageIdentifier).toBe(byDigest);
    expect(aws.world.apprunner.tags).toEqual(expect.arrayContaining([
      { Key: "logship:previous-image", Value: oldImage }, { Key: "logship:image", Value: digest },
    ]));

    aws.resetHistory();
    const again = await ship(["ship", "apprunner", "lambda"], p.dir);
    expect(again.code, again.stderr).toBe(0);
    expect(writes().map((c) => c.name)).toEqual([]);
  }, 120_000);

  it("rollback lambda moves the alias to the newest version that ran another image, and nothing else", async () => {
    const live = fn().aliases.get("live")!;
    const previous = [...fn().versions.values()].map((v) => v.cfg).filter((v) => v.CodeSha256 !== fn().versions.get(live.FunctionVersion!)!.cfg.CodeSha256).pop()!;
    aws.resetHistory();
    const r = await ship(["rollback", "lambda"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(writes()).toEqual([{ name: "lambda.UpdateAlias", input: { FunctionName: `${p.app}-fn`, Name: "live", FunctionVersion: previous.Version } }]);
    expect(fn().aliases.get("live")!.FunctionVersion).toBe(previous.Version);
    // status shows what the URL serves now: the version's image, not $LATEST's.
    const status = await ship(["status", "lambda", "--json"], p.dir);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`@sha256:${previous.CodeSha256}`);
    expect(status.stdout).not.toContain(`@sha256:${fn().cfg.CodeSha256}`);
  }, 60_000);
});
