import { describe, expect, it } from "vitest";
import { validateConfig } from "../../src/config/load.js";
import { imagesFor } from "../../src/images.js";

const root = "/project";
const ecr = (repository: string) => ({ type: "ecr", repository, scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 });
const config = (raw: Record<string, unknown>) => validateConfig({ app: "log-analyzer", ...raw });
const summary = (raw: Record<string, unknown>, targets: Parameters<typeof imagesFor>[2] = []) =>
  imagesFor(config(raw), root, targets).map((s) => ({
    key: s.key, name: s.name, dockerfile: s.dockerfile, context: s.context, platform: s.platform,
    repository: s.registry.repository, tagSuffix: s.tagSuffix, targets: s.targets,
  }));

describe("imagesFor", () => {
  it("no targets: one image named after the app, built from ./Dockerfile for linux/amd64, pushed to ECR", () => {
    const [spec, ...rest] = imagesFor(config({}), root, []);
    expect(rest).toEqual([]);
    expect(spec).toEqual({
      key: "app", name: "log-analyzer", dockerfile: "/project/Dockerfile", context: "/project", platform: "linux/amd64",
      buildArgs: {}, target: undefined, labels: {}, registry: ecr("log-analyzer"), tagSuffix: "", targets: [],
    });
  });

  it("the tutorial: Lambda with its own Dockerfile and repository → log-analyzer and lambda-log-analyzer", () => {
    const raw = {
      image: { dockerfile: "docker/Dockerfile", buildArgs: { A: "1" } },
      targets: {
        apprunner: { service: "log-analyzer-v1", port: 80 },
        lambda: { function: "lambda-log-analyzer-v1", image: { dockerfile: "docker/Dockerfile.lambda" }, repository: "lambda-log-analyzer" },
      },
    };
    expect(summary(raw)).toEqual([
      { key: "app", name: "log-analyzer", dockerfile: "/project/docker/Dockerfile", context: "/project", platform: "linux/amd64",
        repository: "log-analyzer", tagSuffix: "", targets: ["apprunner"] },
      { key: "lambda", name: "lambda-log-analyzer", dockerfile: "/project/docker/Dockerfile.lambda", context: "/project", platform: "linux/amd64",
        repository: "lambda-log-analyzer", tagSuffix: "", targets: ["lambda"] },
    ]);
    const lambdaSpec = imagesFor(config(raw), root, ["lambda"]);
    expect(lambdaSpec).toHaveLength(1);
    expect(lambdaSpec[0].buildArgs).toEqual({}); // its own build options, not the app's
    expect(lambdaSpec[0].registry).toEqual(ecr("lambda-log-analyzer"));
  });

  it("Lambda on x86_64 without its own image shares the app image", () => {
    expect(summary({ targets: { local: {}, lambda: { function: "f" } } })).toEqual([
      { key: "app", name: "log-analyzer", dockerfile: "/project/Dockerfile", context: "/project", platform: "linux/amd64",
        repository: "log-analyzer", tagSuffix: "", targets: ["local", "lambda"] },
    ]);
  });

  it("Lambda on arm64 without its own image: a separate linux/arm64 image in the same repository, with a tag suffix", () => {
    expect(summary({ targets: { apprunner: { service: "abcd" }, lambda: { function: "f", architecture: "arm64" } } })).toEqual([
      { key: "app", name: "log-analyzer", dockerfile: "/project/Dockerfile", context: "/project", platform: "linux/amd64",
        repository: "log-analyzer", tagSuffix: "", targets: ["apprunner"] },
      { key: "lambda", name: "log-analyzer", dockerfile: "/project/Dockerfile", context: "/project", platform: "linux/arm64",
        repository: "log-analyzer", tagSuffix: "-arm64", targets: ["lambda"] },
    ]);
  });

  it("Lambda with its own Dockerfile but the app's repository: a second image whose tag cannot collide", () => {
    const specs = summary({ targets: { local: {}, lambda: { function: "f", image: { dockerfile: "Dockerfile.lambda" } } } });
    expect(specs.map((s) => [s.key, s.dockerfile, s.repository, s.targets])).toEqual([
      ["app", "/project/Dockerfile", "log-analyzer", ["local"]],
      ["lambda", "/project/Dockerfile.lambda", "log-analyzer", ["lambda"]],
    ]);
    expect(specs[0].tagSuffix).toBe("");
    expect(specs[1].tagSuffix).not.toBe("");
  });

  it("an arm64 app image and an x86_64 Lambda: the Lambda image gets -amd64", () => {
    const specs = summary({ image: { platform: "linux/arm64" }, targets: { local: {}, lambda: { function: "f" } } });
    expect(specs.map((s) => [s.key, s.platform, s.tagSuffix, s.targets])).toEqual([
      ["app", "linux/arm64", "", ["local"]],
      ["lambda", "linux/amd64", "-amd64", ["lambda"]],
    ]);
  });

  it("registry.repository names the app image; a nested path keeps its last segment as the local name", () => {
    expect(summary({ registry: { type: "ecr", repository: "team/web" } })[0]).toMatchObject({ name: "web", repository: "team/web" });
  });

  it("a generic registry: the url is the repository; the Lambda repository replaces its last segment", () => {
    const raw = {
      registry: { type: "generic", url: "localhost:5000/team/log-analyzer" },
      targets: { local: {}, lambda: { function: "f", repository: "lambda-log-analyzer" } },
    };
    const specs = imagesFor(config(raw), root, []);
    expect(specs.map((s) => [s.key, s.name, s.registry])).toEqual([
      ["app", "log-analyzer", { type: "generic", repository: "localhost:5000/team/log-analyzer" }],
      ["lambda", "lambda-log-analyzer", { type: "generic", repository: "localhost:5000/team/lambda-log-analyzer" }],
    ]);
  });

  it.each<[string, Parameters<typeof imagesFor>[2], [string, string[]][]]>([
    ["every configured target when none are named", [], [["app", ["local", "apprunner", "ecs"]], ["lambda", ["lambda"]]]],
    ["only the image the named target needs", ["lambda"], [["lambda", ["lambda"]]]],
    ["named targets keep their order", ["ecs", "local"], [["app", ["ecs", "local"]]]],
    ["both images", ["lambda", "apprunner"], [["lambda", ["lambda"]], ["app", ["apprunner"]]]],
  ])("targets: %s", (_name, targets, expected) => {
    const raw = {
      targets: {
        local: {}, apprunner: { service: "abcd" }, ecs: { service: "s" },
        lambda: { function: "f", image: { dockerfile: "Dockerfile.lambda" } },
      },
    };
    expect(imagesFor(config(raw), root, targets).map((s) => [s.key, s.targets])).toEqual(expected);
  });

  it("returns fresh lists: changing one result does not change the next", () => {
    const c = config({ targets: { local: {} } });
    imagesFor(c, root, [])[0].targets.push("ecs");
    expect(imagesFor(c, root, [])[0].targets).toEqual(["local"]);
  });
});
