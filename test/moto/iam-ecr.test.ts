// IAM role reuse and ECR tag rules on moto (issue 9 §14, §15, §18), as a user would meet them:
// - a role of logship's name that trusts another service stops the deploy before any IAM or Lambda
//   write, naming the principal it needs; once its trust policy is fixed, the missing managed policy is
//   attached (arn:aws:…, the partition of the role's own ARN) and the function is created;
// - a repository with exclusion filters from logship.yaml, and a re-push of other content to a tag a
//   filter protects refused before docker uploads anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeleteRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { CreateRoleCommand, ListAttachedRolePoliciesCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { docker } from "../integration/helpers.js";
import { trustPolicy } from "../../src/steps/iam-role.js";
import { logship, motoParts, motoProject, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

describe.skipIf(parts.skip)("IAM role reuse on moto", { timeout: 120_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let aws: Awaited<ReturnType<typeof sdk>>;
  let role: string;
  let fn: string;
  beforeAll(async () => {
    parts.assert();
    aws = await sdk(m);
    project = await motoProject(m);
    fn = `${project.p.app}-fn`;
    role = `logship-${project.p.app}-lambda-exec`;
    await project.configure({ targets: { lambda: { function: fn, url: { public: true } } } });
    // A role of logship's name, tagged for this app, but made for ECS tasks and with no policy.
    await aws.iam.send(new CreateRoleCommand({
      RoleName: role, AssumeRolePolicyDocument: trustPolicy("ecs-tasks.amazonaws.com"), Tags: [{ Key: "logship:app", Value: project.p.app }],
    }));
  });
  afterAll(async () => {
    await project?.cleanup();
    await docker("rmi", "--force", `${m.registryHost}/${project?.p.app}:1.2.3`);
  });

  it("a role that trusts another service: exit 1 naming lambda.amazonaws.com, before any IAM or Lambda write", async () => {
    const r = await logship(["ship", "lambda", "--no-smoke"], project.p.dir, { env: project.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`IAM role ${role} exists but does not let lambda.amazonaws.com assume it (its trust policy names ecs-tasks.amazonaws.com)`);
    expect(r.stderr).toContain(`aws iam update-assume-role-policy --role-name ${role}`);
    expect(r.writes.filter((w) => /^(IAM|Lambda)\./.test(w))).toEqual([]);
  });

  it("once the trust policy is fixed: the policy is attached to the existing role, the function created; then nothing", async () => {
    await aws.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: trustPolicy("lambda.amazonaws.com") }));
    const r = await logship(["ship", "lambda", "--no-smoke"], project.p.dir, { env: project.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes.filter((w) => w.startsWith("IAM."))).toEqual(["IAM.AttachRolePolicy"]);
    expect(r.calls).not.toContain("STS.GetCallerIdentity");
    const attached = await aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }));
    expect(attached.AttachedPolicies?.map((a) => a.PolicyArn)).toEqual(["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]);
    const got = await aws.lambda.send(new GetFunctionCommand({ FunctionName: fn }));
    expect(got.Configuration?.Role).toBe(`arn:aws:iam::${m.account}:role/${role}`);

    const again = await logship(["ship", "lambda", "--no-smoke"], project.p.dir, { env: project.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.writes).toEqual([]);
  });
});

describe.skipIf(parts.skip)("ECR tag mutability exclusion filters on moto", { timeout: 120_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let aws: Awaited<ReturnType<typeof sdk>>;
  beforeAll(async () => {
    parts.assert();
    aws = await sdk(m);
    project = await motoProject(m, (p) => ({ registry: { type: "ecr", repository: p.app, tagMutabilityExclusions: ["1.2.*"] } }));
  });
  afterAll(async () => {
    await aws?.ecr.send(new DeleteRepositoryCommand({ repositoryName: project.p.app, force: true })).catch(() => {});
    await docker("rmi", "--force", `${m.registryHost}/${project?.p.app}:1.2.3`);
    await project?.cleanup({ destroy: false });
  });

  it("creates the repository MUTABLE_WITH_EXCLUSION with the configured filter; a second push writes nothing", async () => {
    expect((await logship(["build"], project.p.dir, { env: project.env })).code).toBe(0);
    const r = await logship(["push"], project.p.dir, { env: project.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual(["ECR.CreateRepository", "ECR.PutLifecyclePolicy"]);
    const { repositories } = await aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [project.p.app] }));
    expect(repositories?.[0]).toMatchObject({
      imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filterType: "WILDCARD", filter: "1.2.*" }],
    });
    const again = await logship(["push"], project.p.dir, { env: project.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.writes).toEqual([]);
  });

  it("other content under the protected tag 1.2.3: refused before the push, the tag keeps its image", async () => {
    const before = await aws.ecr.send(new DescribeImagesCommand({ repositoryName: project.p.app, imageIds: [{ imageTag: "1.2.3" }] }));
    const index = path.join(project.p.dir, "www", "index.html");
    await writeFile(index, `${await readFile(index, "utf8")}\n<!-- changed -->\n`);
    expect((await logship(["build"], project.p.dir, { env: project.env })).code).toBe(0);
    const r = await logship(["push"], project.p.dir, { env: project.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      `tag 1.2.3 already exists in ${project.p.app} with other content, and the tag matches the repository's exclusion filter 1.2.*, which makes it immutable`,
    );
    expect(r.stderr).not.toContain("docker push failed");
    expect(r.writes).toEqual([]);
    expect(r.stderr).not.toMatch(/The push refers to repository/);
    const after = await aws.ecr.send(new DescribeImagesCommand({ repositoryName: project.p.app, imageIds: [{ imageTag: "1.2.3" }] }));
    expect(after.imageDetails?.[0].imageDigest).toBe(before.imageDetails?.[0].imageDigest);
  });
});
