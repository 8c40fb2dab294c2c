// `push --dry-run` on moto (issue 11 points 2 and 3): it reads ECR's live state, sends no write, and
// says per step what a real run would do. On a fresh repository the writes it plans (--json) are the
// writes the real push then makes (--debug's trace); once ECR holds the image every step is up to date.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import type { Project } from "../integration/helpers.js";
import { logship, motoParts, motoProject, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

interface PlannedStep { id: string; outcome?: string; writes?: { service: string; operation: string }[]; actions?: { command: unknown }[] }
const stepsOf = (stdout: string): PlannedStep[] => JSON.parse(stdout).steps;
const plannedWrites = (stdout: string) => stepsOf(stdout).flatMap((s) => (s.writes ?? []).map((w) => `${w.service}.${w.operation}`));
const outcomes = (stdout: string) => stepsOf(stdout).map((s) => [s.id, s.outcome ?? "planned"]);
const STEPS = ["ecr.ensure-repository", "ecr.lifecycle-policy", "ecr.login", "registry.push"];

describe.skipIf(parts.skip)("push --dry-run on moto: live state read, nothing written", { timeout: 120_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  const dryRun = (json: boolean) => logship(["push", "--dry-run", ...(json ? ["--json"] : [])], p.dir, { env });
  const repositoryThere = async () =>
    (await sdk(m)).ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [p.app] })).then(() => true, (e: Error) => (e.name === "RepositoryNotFoundException" ? false : Promise.reject(e)));

  beforeAll(async () => {
    parts.assert();
    project = await motoProject(m);
    ({ p, env } = project);
    await project.configure({ registry: { type: "ecr", repository: p.app, keepImages: 5 } });
    const built = await logship(["build"], p.dir, { env });
    expect(built.code, built.stderr).toBe(0);
  });
  afterAll(() => project?.cleanup());

  it("a fresh repository: `create` and the policy planned, the login and docker push planned; the real push makes exactly those writes", async () => {
    const dry = await dryRun(true);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.writes).toEqual([]);
    expect(dry.calls).not.toContain("ECR.GetAuthorizationToken");
    expect(outcomes(dry.stdout)).toEqual([
      ["ecr.ensure-repository", "create"], ["ecr.lifecycle-policy", "update: keep the newest 5 images"], ["ecr.login", "planned"], ["registry.push", "planned"],
    ]);
    const push = stepsOf(dry.stdout).find((s) => s.id === "registry.push")!;
    expect(push.actions!.map((a) => (a.command as string[])[0])).toEqual(["tag", "push"]);
    const planned = plannedWrites(dry.stdout);
    expect(planned).toEqual(["ECR.CreateRepository", "ECR.PutLifecyclePolicy"]);
    expect(await repositoryThere()).toBe(false);

    const text = await dryRun(false);
    expect(text.code, text.stderr).toBe(0);
    expect(text.writes).toEqual([]);
    expect(text.stdout).toContain("live state read, nothing written");
    expect(text.stdout).toMatch(/^1\. Ensure ECR repository \S+: create\n {3}aws ECR\.CreateRepository \{/m);
    expect(text.stdout).toMatch(/^4\. Push \S+\n {3}\$ docker tag /m);

    const real = await logship(["push"], p.dir, { env });
    expect(real.code, real.stderr).toBe(0);
    expect(real.writes).toEqual(planned);
    expect(await repositoryThere()).toBe(true);
  });

  it("after build + push: `up to date` for every step, no write, no token asked", async () => {
    const dry = await dryRun(true);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.writes).toEqual([]);
    expect(dry.calls).not.toContain("ECR.GetAuthorizationToken");
    expect(outcomes(dry.stdout)).toEqual(STEPS.map((id) => [id, "up to date"]));
    expect(plannedWrites(dry.stdout)).toEqual([]);
    const text = await dryRun(false);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split("\n").filter((l) => /: up to date$/.test(l))).toHaveLength(STEPS.length);
  });

  it("scanOnPush turned off in logship.yaml: the dry run plans the one setting change; the real push sends just that", async () => {
    await project.configure({ registry: { type: "ecr", repository: p.app, keepImages: 5, scanOnPush: false } });
    const dry = await dryRun(true);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.writes).toEqual([]);
    expect(outcomes(dry.stdout)).toEqual([
      ["ecr.ensure-repository", "update: scanOnPush true → false"], ["ecr.lifecycle-policy", "up to date"], ["ecr.login", "up to date"], ["registry.push", "up to date"],
    ]);
    const planned = plannedWrites(dry.stdout);
    expect(planned).toEqual(["ECR.PutImageScanningConfiguration"]);

    const real = await logship(["push"], p.dir, { env });
    expect(real.code, real.stderr).toBe(0);
    expect(real.writes).toEqual(planned);
  });
});
