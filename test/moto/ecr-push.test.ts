// build + push to ECR on moto, twice. The first run creates the repository as configured, logs in
// with the password on stdin and pushes; the digest it prints is the registry's and ECR's. The second
// run writes nothing and makes no GetAuthorizationToken and no docker login: nothing is uploaded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DescribeImagesCommand, DescribeRepositoriesCommand, GetLifecyclePolicyCommand, ListTagsForResourceCommand,
} from "@aws-sdk/client-ecr";
import type { Project } from "../integration/helpers.js";
import { leftovers, logship, motoParts, motoProject, registryGet, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

describe.skipIf(parts.skip)("build + push to ECR on moto", () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  let tmp: string;
  beforeAll(async () => {
    parts.assert();
    project = await motoProject(m);
    ({ p, env, tmp } = project);
    await project.configure({ registry: { type: "ecr", repository: p.app, keepImages: 5 } });
  });
  afterAll(() => project?.cleanup());

  it("creates the repository, logs in, pushes; the printed digest is the registry's and ECR's", async () => {
    const built = await logship(["build"], p.dir, { env });
    expect(built.code, built.stderr).toBe(0);
    expect(built.calls).toEqual([]); // a build needs no AWS

    const r = await logship(["push", "--json"], p.dir, { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual(["ECR.CreateRepository", "ECR.PutLifecyclePolicy"]);
    expect(r.calls.filter((c) => c === "ECR.GetAuthorizationToken")).toHaveLength(1);
    const doc = JSON.parse(r.stdout);
    const [image] = doc.images;
    const repoUri = `${m.registryHost}/${p.app}`;
    expect(image).toMatchObject({ repository: repoUri, uploadSkipped: false });
    expect(doc.steps.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ["ecr.ensure-repository", "done"], ["ecr.lifecycle-policy", "done"], ["ecr.login", "done"], ["registry.push", "done"],
    ]);

    // The registry's own word for the tag, read over its HTTP API.
    const head = await registryGet(m, `/v2/${p.app}/manifests/1.2.3`, {
      method: "HEAD", auth: true, accept: "application/vnd.docker.distribution.manifest.v2+json",
    });
    expect(head.status).toBe(200);
    expect(image.digest).toBe(head.headers["docker-content-digest"]);

    // ECR's API agrees (the relay registered the manifest docker uploaded).
    const aws = await sdk(m);
    const described = await aws.ecr.send(new DescribeImagesCommand({ repositoryName: p.app, imageIds: [{ imageTag: "1.2.3" }] }));
    expect(described.imageDetails?.[0]).toMatchObject({
      imageDigest: image.digest, imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
    });

    const { repositories } = await aws.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [p.app] }));
    expect(repositories?.[0]).toMatchObject({
      repositoryUri: repoUri, imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: true },
    });
    const tags = await aws.ecr.send(new ListTagsForResourceCommand({ resourceArn: repositories![0].repositoryArn }));
    expect(tags.tags).toContainEqual({ Key: "logship:app", Value: p.app });
    const lifecycle = await aws.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: p.app }));
    expect(JSON.parse(lifecycle.lifecyclePolicyText!).rules[0].selection).toMatchObject({ countType: "imageCountMoreThan", countNumber: 5 });

    // The registry password went to docker on stdin: it is nowhere in what logship printed, and the
    // temporary DOCKER_CONFIG that held the token is gone.
    expect(r.stdout + r.stderr).not.toContain(m.password);
    expect(r.stdout + r.stderr).not.toContain(Buffer.from(`AWS:${m.password}`).toString("base64"));
    expect(await leftovers(tmp)).toEqual([]);
  });

  it("a second push writes nothing, asks for no token and does not log in", async () => {
    const r = await logship(["push", "--json"], p.dir, { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual([]);
    expect(r.calls).not.toContain("ECR.GetAuthorizationToken");
    const doc = JSON.parse(r.stdout);
    expect(doc.images[0].uploadSkipped).toBe(true);
    expect(doc.steps.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ["ecr.ensure-repository", "skipped"], ["ecr.lifecycle-policy", "skipped"], ["ecr.login", "skipped"], ["registry.push", "skipped"],
    ]);
    expect(r.stderr).not.toMatch(/docker login|Login Succeeded/);
  });
});
