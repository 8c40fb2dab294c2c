// The Lambda target on moto, as a user would run it, each flow twice: the second run writes nothing.
// Function URLs on moto cannot be reached from here, so deploys run with --no-smoke.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GetAliasCommand, GetFunctionCommand, GetFunctionUrlConfigCommand, GetPolicyCommand, RemovePermissionCommand,
} from "@aws-sdk/client-lambda";
import { DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { GetRoleCommand, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { Project } from "../integration/helpers.js";
import { leftovers, logship, motoParts, motoProject, registryGet, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

/** The statements of the alias's resource policy, as AWS writes them (Sid, Action, Condition). */
async function statements(aws: Awaited<ReturnType<typeof sdk>>, FunctionName: string) {
  const out = await aws.lambda.send(new GetPolicyCommand({ FunctionName, Qualifier: "live" }));
  return (JSON.parse(out.Policy!).Statement as { Sid: string; Action: string; Principal: unknown; Condition?: unknown }[])
    .map(({ Sid, Action, Principal, Condition }) => ({ Sid, Action, Principal, Condition }))
    .sort((a, b) => a.Sid.localeCompare(b.Sid));
}

const PUBLIC_STATEMENTS = [
  {
    Sid: "logship-public-url", Action: "lambda:InvokeFunctionUrl", Principal: "*",
    Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
  },
  {
    Sid: "logship-public-url-invoke", Action: "lambda:InvokeFunction", Principal: "*",
    Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
  },
];

const errorName = (p: Promise<unknown>) => p.then(() => "none", (e: Error) => e.name);

describe.skipIf(parts.skip)("the Lambda target on moto", { timeout: 90_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let aws: Awaited<ReturnType<typeof sdk>>;
  let fn: string;
  let firstDigest: string;
  const targets = () => ({ lambda: { function: fn, memory: 512, url: { public: true } } });
  beforeAll(async () => {
    parts.assert();
    aws = await sdk(m);
    project = await motoProject(m, (p) => {
      fn = `${p.app}-fn`;
      return { targets: targets() };
    });
    ({ p, env, tmp } = project);
  });
  // The last flow destroys everything; cleanup only removes the images and folders.
  afterAll(() => project?.cleanup({ destroy: false, tags: ["1.2.3", "1.2.4"] }));

  it("ship lambda: repository, role, function by digest, version, alias, URL with both public permissions", async () => {
    const r = await logship(["ship", "lambda", "--no-smoke", "--json"], p.dir, { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual([
      "ECR.CreateRepository", "ECR.PutLifecyclePolicy",
      "IAM.CreateRole", "IAM.AttachRolePolicy",
      "Lambda.CreateFunction", "Lambda.PublishVersion", "Lambda.CreateAlias",
      "Lambda.CreateFunctionUrlConfig", "Lambda.AddPermission", "Lambda.AddPermission",
    ]);
    const doc = JSON.parse(r.stdout);
    firstDigest = doc.images[0].digest;
    const head = await registryGet(m, `/v2/${p.app}/manifests/1.2.3`, {
      method: "HEAD", auth: true, accept: "application/vnd.docker.distribution.manifest.v2+json",
    });
    expect(head.headers["docker-content-digest"]).toBe(firstDigest);

    const got = await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn }));
    expect(got.Code?.ImageUri).toBe(`${m.registryHost}/${p.app}@${firstDigest}`);
    expect(got.Configuration).toMatchObject({ PackageType: "Image", MemorySize: 512, State: "Active", Architectures: ["x86_64"] });
    expect(got.Configuration?.Role).toBe(`arn:aws:iam::${m.account}:role/logship-${p.app}-lambda-exec`);
    const role = await aws.iam.send(new GetRoleCommand({ RoleName: `logship-${p.app}-lambda-exec` }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain("lambda.amazonaws.com");
    const attached = await aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: `logship-${p.app}-lambda-exec` }));
    expect(attached.AttachedPolicies?.map((a) => a.PolicyArn)).toEqual(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);

    const alias = await aws.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: "live" }));
    expect(alias.FunctionVersion).toBe("1");
    const url = await aws.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: fn, Qualifier: "live" }));
    expect(url.AuthType).toBe("NONE");
    expect(await statements(aws, fn)).toEqual(PUBLIC_STATEMENTS);

    // The URL is printed and the smoke test says why it did not run.
    expect(r.stderr).toContain(url.FunctionUrl!.replace(/\/$/, ""));
    const smoke = doc.steps.find((s: { id: string }) => s.id === "lambda.smoke-test");
    expect(smoke).toMatchObject({ status: "skipped" });
    expect(smoke.detail).toContain("--no-smoke");
    expect(await leftovers(tmp)).toEqual([]);
  });

  it("a second ship lambda writes nothing, logs in to nothing, and reads each thing once", async () => {
    const r = await logship(["ship", "lambda", "--no-smoke"], p.dir, { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual([]);
    expect(r.calls).not.toContain("ECR.GetAuthorizationToken");
    expect(new Set(r.calls).size).toBe(r.calls.length);
  });

  it("a new version deploys by its digest; releases lists both; rollback goes back; status says so", async () => {
    await project.configure({ version: "1.2.4", targets: targets() });
    const shipped = await logship(["ship", "lambda", "--no-smoke", "--json"], p.dir, { env });
    expect(shipped.code, shipped.stderr).toBe(0);
    // Same page, same layers: the image differs only by its version label, so it is a new digest.
    const second = JSON.parse(shipped.stdout).images[0].digest;
    expect(second).not.toBe(firstDigest);
    expect(shipped.writes).toEqual(["Lambda.UpdateFunctionCode", "Lambda.PublishVersion", "Lambda.UpdateAlias"]);

    const releases = await logship(["releases", "lambda", "--json"], p.dir, { env });
    expect(releases.code, releases.stderr).toBe(0);
    const list = JSON.parse(releases.stdout).releases as { id: string; image: string; live: boolean }[];
    expect(list.map((x) => [x.id, x.image, x.live])).toEqual([["2", second, true], ["1", firstDigest, false]]);
    expect(releases.writes).toEqual([]);

    const back = await logship(["rollback", "lambda", "--no-smoke"], p.dir, { env });
    expect(back.code, back.stderr).toBe(0);
    expect(back.writes).toEqual(["Lambda.UpdateAlias"]);
    expect((await aws.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: "live" }))).FunctionVersion).toBe("1");

    const status = await logship(["status", "lambda", "--json"], p.dir, { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.writes).toEqual([]);
    // What the URL serves after the rollback: version 1's image, not $LATEST's.
    const [row] = JSON.parse(status.stdout).targets;
    expect(row).toMatchObject({ target: "lambda", exists: true, image: `${m.registryHost}/${p.app}@${firstDigest}` });
    expect(row.detail).toContain("alias live → version 1");
  });

  it("logs lambda prints the function's events; --follow prints new ones once each", async () => {
    const group = `/aws/lambda/${fn}`;
    const stream = "2026/12/01/[1]abc";
    await aws.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch(async (e) => {
      if (e.name !== "ResourceNotFoundException") throw e;
      const { CreateLogGroupCommand } = await import("@aws-sdk/client-cloudwatch-logs");
      await aws.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      await aws.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    });
    const put = (message: string) =>
      aws.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message }] }));
    await put("first event from the app");

    const once = await logship(["logs", "lambda", "--since", "1h"], p.dir, { env });
    expect(once.code, once.stderr).toBe(0);
    expect(once.stdout).toContain("first event from the app");

    let sent = false;
    let stderrSoFar = "";
    let pollsAfter = -1;
    const polls = (err: string) => (err.match(/^aws CloudWatchLogs\.FilterLogEvents /gm) ?? []).length;
    const followed = await logship(["logs", "lambda", "--since", "1h", "--follow"], p.dir, {
      env,
      timeoutMs: 60_000,
      onStdout: (out) => {
        if (!sent && out.includes("first event from the app")) {
          sent = true;
          void put("second event, after follow began");
        }
        if (pollsAfter < 0 && out.includes("second event, after follow began")) pollsAfter = polls(stderrSoFar);
      },
      // Stop after two more polls once the second event is out: a repeat would have shown by then.
      onStderr: (err, child) => {
        stderrSoFar = err;
        if (pollsAfter >= 0 && polls(err) >= pollsAfter + 2 && !child.killed) child.kill("SIGINT");
      },
    });
    expect(followed.code).toBe(130);
    expect(followed.stdout.split("first event from the app").length - 1).toBe(1);
    expect(followed.stdout.split("second event, after follow began").length - 1).toBe(1);
    expect(followed.writes).toEqual([]);
  });

  it("doctor finds a public URL missing its InvokeFunction permission; --fix adds exactly that; then it passes", async () => {
    await aws.lambda.send(new RemovePermissionCommand({ FunctionName: fn, Qualifier: "live", StatementId: "logship-public-url-invoke" }));
    const sick = await logship(["doctor", "--json"], p.dir, { env });
    expect(sick.code, sick.stderr).toBe(1);
    const findings = JSON.parse(sick.stdout).findings as { id: string; severity: string; what: string }[];
    const errors = findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => f.id)).toEqual(["lambda.url-invoke-permission"]);
    expect(errors[0].what).toContain("InvokeFunction");
    expect(sick.writes).toEqual([]);

    const fixed = await logship(["doctor", "--fix"], p.dir, { env });
    expect(fixed.writes).toEqual(["Lambda.AddPermission"]);
    expect(await statements(aws, fn)).toEqual(PUBLIC_STATEMENTS);

    const healthy = await logship(["doctor", "--json"], p.dir, { env });
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(JSON.parse(healthy.stdout).findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
  });

  it("destroy --yes --with-roles --with-repository leaves nothing in moto, and a second destroy writes nothing", async () => {
    const r = await logship(["destroy", "lambda", "--yes", "--with-roles", "--with-repository"], p.dir, { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual(expect.arrayContaining(["Lambda.DeleteFunction", "IAM.DeleteRole", "ECR.DeleteRepository"]));
    expect(await errorName(aws.lambda.send(new GetFunctionCommand({ FunctionName: fn })))).toBe("ResourceNotFoundException");
    expect(await errorName(aws.iam.send(new GetRoleCommand({ RoleName: `logship-${p.app}-lambda-exec` })))).toBe("NoSuchEntityException");
    expect(await errorName(aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [p.app] })))).toBe("RepositoryNotFoundException");

    const again = await logship(["destroy", "lambda", "--yes", "--with-roles", "--with-repository"], p.dir, { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.writes).toEqual([]);
  });
});
