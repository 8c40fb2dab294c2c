// The update paths of `logship ship apprunner lambda`, in-process as apprunner-lambda.test.ts: a real build
// and push to moto's ECR, moto for ECR/IAM/STS/Lambda, App Runner faked as its API reference documents it.
// A changed setting must become exactly one update per service, a new image one update by digest, and a
// rollback one alias move. The tests run in order on ONE deployment (made in beforeAll).
//
// Not here: a write that lost a race with another deploy (Lambda's RevisionId). moto 5.2.1 reports no
// RevisionId on a function and ignores the one sent (its update_alias says "The RevisionId parameter is
// not yet implemented"), so the race cannot be driven against it; test/unit/lambda.test.ts and
// test/unit/rollback.test.ts cover logship's answer to Lambda's PreconditionFailedException.
// The new image is pushed under a new tag: when a tag moves to another image, ECR leaves the old image in
// the repository untagged ("untagged images" are what lifecycle policies expire, lifecycle_policy_parameters
// in the ECR User Guide), but moto 5.2.1 deletes it, and rollback needs it.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetAliasCommand, GetFunctionCommand, ListVersionsByFunctionCommand } from "@aws-sdk/client-lambda";
import type { Project } from "../integration/helpers.js";
import { motoParts, motoProject, registryGet, sdk, type MotoProject } from "./harness.js";
import { installAppRunner, removeAppRunnerLambda, shipInProcess, withMotoEnv } from "./in-process.js";

const parts = await motoParts();
const TAG = "1.2.3";
const NEXT = "1.2.4";

describe.skipIf(parts.skip)("ship apprunner lambda in-process, updates: one write per change, on moto and the App Runner fake", () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  let aws: Awaited<ReturnType<typeof sdk>>;
  let apprunner: ReturnType<typeof installAppRunner>;
  let restoreEnv: (() => void) | undefined;
  let fn: string;
  /** Ship again: it reads (the --debug trace is there: none written, not none seen) and writes nothing. */
  async function expectNothingToDo() {
    apprunner.resetHistory();
    const again = await shipInProcess(["ship", "apprunner", "lambda"], p.dir, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.calls).toContain("Lambda.GetFunction");
    expect(again.writes).toEqual([]);
    expect(apprunner.writes()).toEqual([]);
  }
  const targets = (lambda: Record<string, unknown> = {}, apprunner: Record<string, unknown> = {}) => ({
    targets: {
      apprunner: { service: `${p.app}-svc`, port: 8080, ...apprunner },
      lambda: { function: fn, url: { public: true }, command: ["serve"], ...lambda },
    },
  });
  const config = () => aws.lambda.send(new GetFunctionCommand({ FunctionName: fn }));
  const digestOf = async (tag: string) => String((await registryGet(m, `/v2/${p.app}/manifests/${tag}`, {
    method: "HEAD", auth: true, accept: "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json",
  })).headers["docker-content-digest"]);

  beforeAll(async () => {
    parts.assert();
    aws = await sdk(m);
    project = await motoProject(m, (q) => {
      p = q;
      fn = `${q.app}-fn`;
      return targets();
    });
    env = project.env;
    restoreEnv = withMotoEnv(env);
    apprunner = installAppRunner();
    const first = await shipInProcess(["ship", "apprunner", "lambda"], p.dir, env);
    expect(first.code, first.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    apprunner?.restore();
    restoreEnv?.();
    if (project) await removeAppRunnerLambda(project, aws.iam, [TAG, NEXT]);
  });

  it("a changed memory and size is one update each, published once Lambda finished it; then nothing to do", async () => {
    // Lambda reports the command it was given (moto, ImageConfig applied by launcher.py): not a change.
    expect((await config()).Configuration?.ImageConfigResponse?.ImageConfig?.Command).toEqual(["serve"]);
    await project.configure(targets({ memory: 1024 }, { cpu: 2048, memory: 4096 }));
    // --dry-run first. `deploy`, not `ship`: a build in the run could only be planned, and so would
    // everything after it; the tag is in ECR, so every step reads live state. Field changes, no write.
    apprunner.resetHistory();
    type Planned = { id: string; group: string; outcome?: string; writes?: { service: string; operation: string }[] };
    const plan: Planned[] = [];
    for (const target of ["apprunner", "lambda"]) {
      const dry = await shipInProcess(["deploy", target, "--dry-run", "--json"], p.dir, env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.writes).toEqual([]);
      plan.push(...JSON.parse(dry.stdout).steps);
    }
    // The same plan as text, numbered by step (src/ui/plan.ts).
    const text = await shipInProcess(["deploy", "apprunner", "--dry-run"], p.dir, env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^\d+\. \[apprunner\] Deploy App Runner service .*: update: cpu 1024 → 2048, memory 2048 → 4096\n {3}aws AppRunner\.UpdateService \{/m);
    expect(apprunner.writes()).toEqual([]);
    const outcome = (id: string, group: string) => plan.find((s) => s.id === id && s.group === group)?.outcome;
    expect(outcome("apprunner.service", "apprunner")).toBe("update: cpu 1024 → 2048, memory 2048 → 4096");
    expect(outcome("lambda.deploy-function", "lambda")).toMatch(/^update: memory \d+ → 1024$/);
    const planned = plan.flatMap((s) => s.writes ?? []).map((w) => `${w.service}.${w.operation}`);
    apprunner.resetHistory();
    const r = await shipInProcess(["ship", "apprunner", "lambda", "--verbose"], p.dir, env); // --verbose: the waits are shown
    expect(r.code, r.stderr).toBe(0);
    // The writes the dry run planned are the ones the real run sent.
    expect([...r.writes, ...apprunner.writes().map((c) => `AppRunner.${c.name}`)].sort()).toEqual([...planned].sort());
    expect(r.writes).toEqual(["Lambda.UpdateFunctionConfiguration", "Lambda.PublishVersion", "Lambda.UpdateAlias"]);
    expect(apprunner.writes().map((c) => c.name)).toEqual(["UpdateService"]);
    // Published only after Lambda had finished the update (launcher.py keeps it InProgress a while).
    expect(r.stderr).toMatch(/^ *\[lambda\] waiting: State Active, LastUpdateStatus InProgress/m);
    const got = await config();
    expect(got.Configuration).toMatchObject({ MemorySize: 1024 });
    expect(got.Configuration?.ImageConfigResponse?.ImageConfig?.Command).toEqual(["serve"]);
    const v2 = await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn, Qualifier: "2" }));
    expect(v2.Configuration?.MemorySize).toBe(1024);
    expect((await aws.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: "live" }))).FunctionVersion).toBe("2");
    expect(apprunner.writes()[0].input.InstanceConfiguration).toEqual({ Cpu: "2048", Memory: "4096" });
    expect(apprunner.world.service).toMatchObject({ Status: "RUNNING", InstanceConfiguration: { Cpu: "2048", Memory: "4096" } });

    await expectNothingToDo();
  }, 120_000);

  it("a new image is one UpdateFunctionCode and one UpdateService by digest; App Runner records what ran before; then nothing to do", async () => {
    const oldImage = apprunner.world.service!.SourceConfiguration!.ImageRepository!.ImageIdentifier!;
    // A new version (a new tag): moto's PutImage deletes an image whose only tag moves to another one
    // (moto/ecr/models.py put_image -> batch_delete_image), where ECR leaves it untagged, so re-pushing
    // 1.2.3 would lose the image rollback needs. See the note at the top of this file.
    await project.configure({ version: NEXT, ...targets({ memory: 1024 }, { cpu: 2048, memory: 4096 }) });
    await writeFile(path.join(p.dir, "www", "changed.txt"), `${Date.now()}\n`);
    apprunner.resetHistory();
    const r = await shipInProcess(["ship", "apprunner", "lambda"], p.dir, env);
    expect(r.code, r.stderr).toBe(0);
    const digest = await digestOf(NEXT);
    const byDigest = `${m.registryHost}/${p.app}@${digest}`;
    expect(byDigest).not.toBe(oldImage);
    expect(r.writes).toEqual(["Lambda.UpdateFunctionCode", "Lambda.PublishVersion", "Lambda.UpdateAlias"]);
    expect(apprunner.writes().map((c) => c.name).sort()).toEqual(["TagResource", "UpdateService"]);
    // Lambda resolved the digest itself: what it reports running is the registry's manifest.
    const got = await config();
    expect(got.Code?.ImageUri).toBe(byDigest);
    expect(got.Code?.ResolvedImageUri).toBe(byDigest);
    expect(got.Configuration?.CodeSha256).toBe(digest.replace("sha256:", ""));
    const update = apprunner.writes().find((c) => c.name === "UpdateService")!.input;
    expect(update.SourceConfiguration.ImageRepository.ImageIdentifier).toBe(byDigest);
    expect(update.SourceConfiguration.AutoDeploymentsEnabled).toBe(false);
    expect(apprunner.world.tags).toEqual(expect.arrayContaining([
      { Key: "logship:previous-image", Value: oldImage }, { Key: "logship:image", Value: digest },
    ]));

    await expectNothingToDo();
  }, 120_000);

  it("rollback lambda moves the alias to the newest version that ran another image, and nothing else; status shows that image", async () => {
    const versions = (await aws.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }))).Versions ?? [];
    const live = (await aws.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: "live" }))).FunctionVersion;
    const liveSha = versions.find((v) => v.Version === live)!.CodeSha256;
    const previous = versions.filter((v) => v.Version !== "$LATEST" && v.CodeSha256 !== liveSha)
      .sort((a, b) => Number(a.Version) - Number(b.Version)).pop()!;
    expect(previous.Version).toBe("2"); // v1 and v2 ran the first image, v3 the new one
    apprunner.resetHistory();
    const r = await shipInProcess(["rollback", "lambda"], p.dir, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual(["Lambda.UpdateAlias"]);
    expect(apprunner.sent()).toEqual([]);
    expect((await aws.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: "live" }))).FunctionVersion).toBe(previous.Version);
    // status shows what the URL serves now: the version's image, not $LATEST's.
    const status = await shipInProcess(["status", "lambda", "--json"], p.dir, env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.writes).toEqual([]);
    expect(status.stdout).toContain(`@sha256:${previous.CodeSha256}`);
    expect(status.stdout).not.toContain(`@sha256:${liveSha}`);
  }, 60_000);
});
