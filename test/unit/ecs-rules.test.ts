// ECS rules checked before any call: Fargate's task sizes, the deploy wait's timeout, and doctor
// judging an image's architecture the way `deploy ecs` does.
import { beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ExpressFake } from "../helpers/ecs-express-fake.js";
import { wireExpress } from "../helpers/ecs-express-wire.js";
import { validateConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { architectureChecks } from "../../src/doctor/image-checks.js";
import { imagesFor } from "../../src/images.js";
import { fakeDocker, testContext } from "../helpers/context.js";

const ecs = (over: Record<string, unknown>) => ({ app: "shop", targets: { ecs: { service: "shop", ...over } } });
function problems(raw: unknown): string[] {
  try {
    validateConfig(raw);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}

describe("targets.ecs cpu/memory: Fargate's task size table (fargate-tasks-services.html#fargate-tasks-size)", () => {
  it.each([
    [256, 1536, "targets.ecs.memory: 1536 is not allowed with cpu 256: use 512, 1024, 2048"],
    [256, 4096, "targets.ecs.memory: 4096 is not allowed with cpu 256: use 512, 1024, 2048"],
    [512, 1536, "targets.ecs.memory: 1536 is not allowed with cpu 512: use 1024–4096 in steps of 1024"],
    [8192, 18432, "targets.ecs.memory: 18432 is not allowed with cpu 8192: use 16384–61440 in steps of 4096"],
  ])("cpu %s with memory %s is refused", (cpu, memory, line) => {
    expect(problems(ecs({ cpu, memory }))).toEqual([line]);
  });

  it.each([[256, 512], [256, 1024], [256, 2048], [512, 4096], [1024, 7168], [4096, 30720], [16384, 122880]])("cpu %s with memory %s is allowed", (cpu, memory) => {
    expect(problems(ecs({ cpu, memory }))).toEqual([]);
  });
});

describe("targets.ecs.waitTimeout", () => {
  it("defaults to 30 minutes, more than a canary update's two 3-minute bakes", () => {
    expect(validateConfig(ecs({})).targets.ecs?.waitTimeout).toBe("30m");
  });

  it.each([
    ["5m", 'targets.ecs.waitTimeout: "5m" is too short: an ECS Express update bakes at least 6 minutes; use 10m or more'],
    ["soon", 'targets.ecs.waitTimeout: "soon" is not a duration: use seconds (90) or a unit (90s, 5m, 1500ms)'],
  ])("%s is refused with one line naming the key", (waitTimeout, line) => {
    expect(problems(ecs({ waitTimeout }))).toEqual([line]);
  });

  it("takes 45m or 3600 (seconds)", () => {
    expect(problems(ecs({ waitTimeout: "45m" }))).toEqual([]);
    expect(problems(ecs({ waitTimeout: 3600 }))).toEqual([]);
  });
});

const ecsMock = mockClient(ECSClient);

describe("doctor: the image architecture for ecs", () => {
  let fake: ExpressFake;
  beforeEach(() => {
    ecsMock.reset();
    fake = new ExpressFake("shop");
    wireExpress(ecsMock, fake);
  });

  async function findingsFor(arch: string, image: Record<string, unknown> = {}) {
    const { docker } = fakeDocker((args) => (args[0] === "image" ? { stdout: JSON.stringify([{ Architecture: arch }]) } : undefined));
    const { ctx } = testContext({ ...ecs({}), image }, { docker });
    for (const spec of imagesFor(ctx.config, "/project", ["ecs"])) ctx.images.set(spec.key, { spec, tag: "1", localRefs: [`${spec.name}:1`] });
    return architectureChecks(ctx);
  }

  it("reports an arm64 image as an error, as deploy refuses it (cpuArchitecture defaults to X86_64)", async () => {
    const [f] = await findingsFor("arm64");
    expect(f).toMatchObject({ id: "image.arch.ecs", severity: "error", what: "ecs: image shop:1 is arm64, the target runs amd64" });
    expect(f.fix).toBe("rebuild with `logship build --platform linux/amd64` (or set image.platform)");
  });

  it("accepts arm64 for a service that already runs ARM64, as deploy does", async () => {
    fake.seed({
      infrastructureRoleArn: "arn:aws:iam::123456789012:role/infra", executionRoleArn: "arn:aws:iam::123456789012:role/exec",
      primaryContainer: { image: "repo@sha256:" + "c".repeat(64) }, cpuArchitecture: "ARM64",
    });
    expect((await findingsFor("arm64")).map((f) => [f.id, f.severity])).toEqual([["image.arch.ecs", "ok"]]);
  });

  it("accepts arm64 when image.platform asks for it, as deploy then sends cpuArchitecture ARM64", async () => {
    expect((await findingsFor("arm64", { platform: "linux/arm64" })).map((f) => [f.id, f.severity])).toEqual([["image.arch.ecs", "ok"]]);
    expect((await findingsFor("amd64")).map((f) => [f.id, f.severity])).toEqual([["image.arch.ecs", "ok"]]);
    expect(ecsMock.calls()).toHaveLength(0); // nothing to ask AWS when the image matches what deploy sends
  });
});
