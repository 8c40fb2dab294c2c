import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyOverrides, loadConfig, validateConfig } from "../../src/config/load.js";
import { ConfigError, UserError } from "../../src/errors.js";
import { runCli } from "../helpers/cli.js";

// Every temp folder a test makes is removed after the file, failed or not.
const made: string[] = [];
afterAll(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

/** The problem lines validateConfig reports for `raw` (fails the test when it accepts it). */
function problemsOf(raw: unknown): { problems: string[]; message: string } {
  try {
    validateConfig(raw);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { problems: e.problems, message: e.message };
  }
  throw new Error(`accepted: ${JSON.stringify(raw)}`);
}

const APP_RULE = "is not a valid name: use 1–63 lower-case letters, digits and hyphens, starting and ending with a letter or digit";
const ECR_RULE = "is not a valid ECR repository name: use lower-case letters, digits, and . _ - / between them";
const AR_RULE = "is not a valid name: App Runner service names are 4–40 letters, digits, - and _, starting with a letter or digit";
const FN_RULE = "is not a valid name: Lambda function names are 1–64 letters, digits, - and _";
const ENV_RULE = "is not a valid name: environment variable names are letters, digits and _, not starting with a digit";
const ROLE_RULE = "is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)";
const lambda = (extra: Record<string, unknown>) => ({ app: "a", targets: { lambda: { function: "f", ...extra } } });
const apprunner = (extra: Record<string, unknown>) => ({ app: "a", targets: { apprunner: { service: "abcd", ...extra } } });
const ecs = (extra: Record<string, unknown>) => ({ app: "a", targets: { ecs: { service: "s", ...extra } } });

const BAD: [string, unknown, string[]][] = [
  // app name
  ["app missing", {}, ["app: is required (a string)"]],
  ["app upper-case", { app: "MyApp" }, [`app: "MyApp" ${APP_RULE}`]],
  ["app starting with -", { app: "-app" }, [`app: "-app" ${APP_RULE}`]],
  ["app of 64 characters", { app: "a".repeat(64) }, [`app: "${"a".repeat(64)}" ${APP_RULE}`]],
  ["app not a string", { app: 5 }, ["app: expected a string, got 5 (number)"]],
  // unknown keys
  ["top-level typo", { app: "a", regoin: "us-east-1" }, ['regoin: unknown key (did you mean "region"?)']],
  ["top-level unknown, no close match", { app: "a", zzzzzz: 1 },
    ["zzzzzz: unknown key (allowed: app, version, region, profile, image, registry, env, smoke, lock, targets)"]],
  ["image typo", { app: "a", image: { dockerFile: "x" } }, ['image.dockerFile: unknown key (did you mean "dockerfile"?)']],
  ["registry unknown key", { app: "a", registry: { type: "ecr", repo: "x" } },
    ["registry.repo: unknown key (allowed: type, repository, scanOnPush, tagMutability, tagMutabilityExclusions, keepImages)"]],
  ["targets typo", { app: "a", targets: { lamda: { function: "f" } } }, ['targets.lamda: unknown key (did you mean "lambda"?)']],
  ["local unknown key", { app: "a", targets: { local: { prot: 80 } } },
    ["targets.local.prot: unknown key (allowed: port, containerPort, bind, env)"]],
  ["lambda typo", lambda({ memroy: 512 }), ['targets.lambda.memroy: unknown key (did you mean "memory"?)']],
  ["lambda.url unknown key", lambda({ url: { public: true, auth: "NONE" } }), ["targets.lambda.url.auth: unknown key (allowed: public, cors)"]],
  ["lambda.image takes no tag", lambda({ image: { dockerfile: "x", tag: "y" } }),
    ["targets.lambda.image.tag: unknown key (allowed: dockerfile, context, buildArgs, target)"]],
  // types
  ["port as a string", { app: "a", targets: { local: { port: "80" } } }, ['targets.local.port: expected a number, got "80" (string)']],
  ["image as a list", { app: "a", image: [] }, ["image: expected a mapping, got a list"]],
  ["scanOnPush as a string", { app: "a", registry: { type: "ecr", scanOnPush: "yes" } },
    ['registry.scanOnPush: expected a boolean, got "yes" (string)']],
  ["lambda.command as a string", lambda({ command: "python app.py" }), ['targets.lambda.command: expected a list, got "python app.py" (string)']],
  ["lambda.command item not a string", lambda({ command: ["a", 1] }), ["targets.lambda.command[1]: expected a string, got 1 (number)"]],
  ["memory not an integer", lambda({ memory: 512.5 }), ["targets.lambda.memory: expected an int, got 512.5 (number)"]],
  ["build arg not a string", { app: "a", image: { buildArgs: { X: 1 } } }, ["image.buildArgs.X: expected a string, got 1 (number)"]],
  // enums
  ["platform", { app: "a", image: { platform: "linux/386" } }, ['image.platform: "linux/386" is not allowed: use "linux/amd64", "linux/arm64"']],
  ["architecture", lambda({ architecture: "amd64" }), ['targets.lambda.architecture: "amd64" is not allowed: use "x86_64", "arm64"']],
  ["tagMutability", { app: "a", registry: { type: "ecr", tagMutability: "mutable" } },
    ['registry.tagMutability: "mutable" is not allowed: use "MUTABLE", "IMMUTABLE"']],
  // registry union
  ["registry type unknown", { app: "a", registry: { type: "dockerhub" } }, ['registry.type: "dockerhub" is not a registry type: use "ecr" or "generic"']],
  ["registry type missing", { app: "a", registry: { repository: "x" } }, ['registry.type: is required: use "ecr" or "generic"']],
  ["generic without url", { app: "a", registry: { type: "generic" } }, ["registry.url: is required (a string)"]],
  ["generic with a scheme", { app: "a", registry: { type: "generic", url: "https://ghcr.io/x" } },
    ['registry.url: "https://ghcr.io/x" is not an image repository: use host[:port]/path, e.g. localhost:5000/my-app or ghcr.io/org/app']],
  ["generic without a path", { app: "a", registry: { type: "generic", url: "localhost:5000" } },
    ['registry.url: "localhost:5000" is not an image repository: use host[:port]/path, e.g. localhost:5000/my-app or ghcr.io/org/app']],
  // ECR repository names
  ["ECR upper-case", { app: "a", registry: { type: "ecr", repository: "MyRepo" } }, [`registry.repository: "MyRepo" ${ECR_RULE}`]],
  ["ECR too short", { app: "a", registry: { type: "ecr", repository: "a" } },
    ['registry.repository: "a" is too short: ECR repository names are 2–256 characters']],
  ["ECR bad characters", { app: "a", registry: { type: "ecr", repository: "my repo!" } }, [`registry.repository: "my repo!" ${ECR_RULE}`]],
  ["ECR too long", { app: "a", registry: { type: "ecr", repository: "a".repeat(257) } },
    ["registry.repository: is too long: ECR repository names are 2–256 characters"]],
  ["lambda repository upper-case", lambda({ repository: "Lambda" }), [`targets.lambda.repository: "Lambda" ${ECR_RULE}`]],
  ["keepImages 0", { app: "a", registry: { type: "ecr", keepImages: 0 } }, ["registry.keepImages: 0 is below the minimum 1"]],
  // App Runner
  ["App Runner service of 3", apprunner({ service: "abc" }), [`targets.apprunner.service: "abc" ${AR_RULE}`]],
  ["App Runner service of 41", apprunner({ service: "a".repeat(41) }), [`targets.apprunner.service: "${"a".repeat(41)}" ${AR_RULE}`]],
  ["App Runner service starting with -", apprunner({ service: "-abcd" }), [`targets.apprunner.service: "-abcd" ${AR_RULE}`]],
  ["App Runner cpu", apprunner({ cpu: 300 }), ["targets.apprunner.cpu: 300 is not an App Runner CPU size: use 256, 512, 1024, 2048 or 4096"]],
  ["App Runner memory for cpu 512", apprunner({ cpu: 512, memory: 2048 }), ["targets.apprunner.memory: 2048 is not allowed with cpu 512: use 1024"]],
  ["App Runner memory for the default cpu", apprunner({ memory: 512 }),
    ["targets.apprunner.memory: 512 is not allowed with cpu 1024: use 2048 or 3072 or 4096"]],
  ["App Runner health check path", apprunner({ healthCheck: { path: "x" } }), ['targets.apprunner.healthCheck.path: "x" must start with "/"']],
  // Lambda
  ["function missing", { app: "a", targets: { lambda: {} } }, ["targets.lambda.function: is required (a string)"]],
  ["function of 65", lambda({ function: "f".repeat(65) }), [`targets.lambda.function: "${"f".repeat(65)}" ${FN_RULE}`]],
  ["function with a dot", lambda({ function: "my.func" }), [`targets.lambda.function: "my.func" ${FN_RULE}`]],
  ["lambda memory 100", lambda({ memory: 100 }), ["targets.lambda.memory: 100 is below the minimum 128"]],
  ["lambda memory 10241", lambda({ memory: 10241 }), ["targets.lambda.memory: 10241 is above the maximum 10240"]],
  ["lambda timeout 0", lambda({ timeout: 0 }), ["targets.lambda.timeout: 0 is below the minimum 1"]],
  ["lambda timeout 901", lambda({ timeout: 901 }), ["targets.lambda.timeout: 901 is above the maximum 900"]],
  ["ephemeralStorage 256", lambda({ ephemeralStorage: 256 }), ["targets.lambda.ephemeralStorage: 256 is below the minimum 512"]],
  ["ephemeralStorage 20000", lambda({ ephemeralStorage: 20000 }), ["targets.lambda.ephemeralStorage: 20000 is above the maximum 10240"]],
  ["alias starting with a digit", lambda({ alias: "1x" }), ["targets.lambda.alias: \"1x\" does not match /^[A-Za-z][A-Za-z0-9_-]{0,127}$/"]],
  // ECS
  ["ECS cpu", ecs({ cpu: 300 }), ["targets.ecs.cpu: 300 is not a Fargate CPU size: use 256, 512, 1024, 2048, 4096, 8192, 16384"]],
  ["ECS memory above the range", ecs({ cpu: 256, memory: 4096 }), ["targets.ecs.memory: 4096 is not allowed with cpu 256: use 512, 1024, 2048"]],
  ["ECS memory off the step", ecs({ cpu: 1024, memory: 2500 }), ["targets.ecs.memory: 2500 is not allowed with cpu 1024: use 2048–8192 in steps of 1024"]],
  ["ECS scaling min above max", ecs({ scaling: { min: 3, max: 1 } }), ["targets.ecs.scaling.max: 1 is below scaling.min 3"]],
  ["ECS no subnets", ecs({ network: { subnets: [] } }), ["targets.ecs.network.subnets: needs at least 1 item"]],
  // env, secrets, roles
  ["env name starting with a digit", { app: "a", env: { "1BAD": "x" } }, [`env.1BAD: "1BAD" ${ENV_RULE}`]],
  ["env name with -", { app: "a", env: { "MY-VAR": "x" } }, [`env.MY-VAR: "MY-VAR" ${ENV_RULE}`]],
  ["env name in a target", { app: "a", targets: { local: { env: { "A B": "x" } } } }, [`targets.local.env.A B: "A B" ${ENV_RULE}`]],
  ["env value null", { app: "a", env: { A: null } }, ["env.A: expected a string, number or boolean, got null"]],
  ["env value a mapping", { app: "a", env: { A: { x: 1 } } }, ["env.A: expected a string, number or boolean, got a mapping"]],
  ["secret not an ARN", apprunner({ secrets: { DB: "plaintext" } }), ['targets.apprunner.secrets.DB: "plaintext" is not an SSM parameter or Secrets Manager ARN']],
  ["secret an S3 ARN", ecs({ secrets: { DB: "arn:aws:s3:::bucket/key" } }),
    ['targets.ecs.secrets.DB: "arn:aws:s3:::bucket/key" is not an SSM parameter or Secrets Manager ARN']],
  ["role not an ARN", lambda({ roleArn: "my-role" }), [`targets.lambda.roleArn: "my-role" ${ROLE_RULE}`]],
  ["role with a short account", apprunner({ accessRoleArn: "arn:aws:iam::123:role/x" }), [`targets.apprunner.accessRoleArn: "arn:aws:iam::123:role/x" ${ROLE_RULE}`]],
  // smoke
  ["smoke.path without /", { app: "a", smoke: { path: "health" } }, ['smoke.path: "health" must start with /']],
  ["smoke.timeout a word", { app: "a", smoke: { timeout: "soon" } },
    ['smoke.timeout: "soon" is not a duration: use seconds (90) or a unit (90s, 5m, 1500ms)']],
  ["smoke.timeout 0", { app: "a", smoke: { timeout: 0 } }, ["smoke.timeout: 0 is not a duration: use seconds (90) or a unit (90s, 5m, 1500ms)"]],
  ["smoke.expectStatus 700", { app: "a", smoke: { expectStatus: 700 } }, ["smoke.expectStatus: 700 is above the maximum 599"]],
  // tag, region
  ["tag with an unknown placeholder", { app: "a", image: { tag: "{version}-{branch}" } },
    ['image.tag: "{version}-{branch}" has an unknown placeholder {branch}: use {version}, {git.sha}, {git.short}, {timestamp}']],
  ["empty tag", { app: "a", image: { tag: "" } }, ['image.tag: "" is shorter than 1 character']],
  ["region upper-case", { app: "a", region: "US-EAST-1" }, ['region: "US-EAST-1" is not an AWS region (e.g. us-east-1)']],
  ["region without dashes", { app: "a", region: "useast1" }, ['region: "useast1" is not an AWS region (e.g. us-east-1)']],
  // top level
  ["top level a list", [], ["(top level): expected a mapping of settings, got a list"]],
  ["top level a string", "hello", ['(top level): expected a mapping of settings, got "hello"']],
  ["top level null", null, ["(top level): expected a mapping of settings, got null"]],
];

describe("validateConfig: bad inputs", () => {
  it.each(BAD)("%s", (_name, raw, lines) => {
    const { problems, message } = problemsOf(raw);
    expect(problems).toEqual(lines);
    expect(message).toBe(`logship.yaml: ${lines.length} problem${lines.length === 1 ? "" : "s"} in the config:\n${lines.map((l) => `  ${l}`).join("\n")}`);
  });

  it("reports every problem at once, with the count in the header", () => {
    const { problems, message } = problemsOf({
      app: "A", region: "x", smoke: { path: "health" }, targets: { lambda: { function: "f", memory: 100, timeout: 1000 }, lamda: {} },
    });
    expect(problems).toEqual([
      `app: "A" ${APP_RULE}`,
      'region: "x" is not an AWS region (e.g. us-east-1)',
      'smoke.path: "health" must start with /',
      "targets.lambda.memory: 100 is below the minimum 128",
      "targets.lambda.timeout: 1000 is above the maximum 900",
      'targets.lamda: unknown key (did you mean "lambda"?)',
    ]);
    expect(message.split("\n")[0]).toBe("logship.yaml: 6 problems in the config:");
  });

  it("names the file it was given", () => {
    expect(() => validateConfig({}, "deploy/logship.json")).toThrow(/^deploy\/logship\.json: 1 problem in the config:\n {2}app: is required/);
  });
});

describe("validateConfig: good inputs", () => {
  it("applies defaults: ECR registry with scan on push, 30 images kept; tag {version}; smoke /", () => {
    const c = validateConfig({ app: "log-analyzer" });
    expect(c.registry).toEqual({ type: "ecr", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 });
    expect(c.image).toEqual({ dockerfile: "Dockerfile", context: ".", buildArgs: {}, tag: "{version}", labels: {} });
    expect(c.smoke).toEqual({ enabled: true, path: "/", timeout: "60s" });
    expect(c.targets).toEqual({});
    expect(c.region).toBeUndefined();
  });

  it("fills a partial ecr registry and keeps a generic one as given", () => {
    expect(validateConfig({ app: "a", registry: { type: "ecr", repository: "team/app" } }).registry)
      .toEqual({ type: "ecr", repository: "team/app", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 });
    expect(validateConfig({ app: "a", registry: { type: "generic", url: "localhost:5000/log-analyzer" } }).registry)
      .toEqual({ type: "generic", url: "localhost:5000/log-analyzer" });
  });

  it("applies target defaults: lambda alias 'live', x86_64, 512 MB, private URL; App Runner 1024/2048; ECS /ping", () => {
    const c = validateConfig({
      app: "a",
      targets: { local: {}, lambda: { function: "lambda-log-analyzer-v1" }, apprunner: { service: "log-analyzer-v1" }, ecs: { service: "s" } },
    });
    expect(c.targets.lambda).toMatchObject({ alias: "live", architecture: "x86_64", memory: 512, timeout: 30, ephemeralStorage: 512, url: { public: false } });
    expect(c.targets.apprunner).toMatchObject({ port: 8080, cpu: 1024, memory: 2048 });
    expect(c.targets.ecs).toMatchObject({ port: 80, cpu: 1024, memory: 2048, cluster: "default", healthCheckPath: "/ping" });
    expect(c.targets.local).toEqual({ port: 8000, bind: "127.0.0.1", env: {} });
  });

  it("accepts the tutorial config and the edges of each range", () => {
    const c = validateConfig({
      app: "log-analyzer", region: "us-gov-west-1",
      image: { dockerfile: "docker/Dockerfile", tag: "{version}-{git.short}-{timestamp}" },
      registry: { type: "ecr", repository: "log-analyzer" },
      targets: {
        apprunner: { service: "a".repeat(40), port: 80, cpu: 4096, memory: 12288, secrets: { DB: "arn:aws:ssm:us-east-1:123456789012:parameter/db" } },
        lambda: { function: "f".repeat(64), memory: 10240, timeout: 900, ephemeralStorage: 10240, roleArn: "arn:aws:iam::123456789012:role/x" },
        ecs: { service: "s", cpu: 16384, memory: 122880 },
      },
      smoke: { path: "/logs?start_time=2021-04-23T10:00:00", timeout: 90 },
      env: { _X1: 1, FLAG: true },
    });
    expect(c.targets.lambda?.memory).toBe(10240);
    expect(c.smoke.timeout).toBe(90);
  });
});

describe("applyOverrides: flags > environment > file", () => {
  const file = { app: "a", region: "eu-west-1", image: { tag: "{version}" } };
  const env = { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "ap-south-1", LOGSHIP_TAG: "from-env" };

  it.each([
    ["--region beats everything", env, { region: "ca-central-1" }, "ca-central-1", "--region"],
    ["AWS_REGION beats AWS_DEFAULT_REGION and the file", env, {}, "us-west-2", "AWS_REGION"],
    ["AWS_DEFAULT_REGION beats the file", { AWS_DEFAULT_REGION: "ap-south-1" }, {}, "ap-south-1", "AWS_DEFAULT_REGION"],
    ["the file when nothing else says", {}, {}, "eu-west-1", "config file"],
  ])("%s", (_n, e, flags, region, source) => {
    const out = applyOverrides(file, e, flags);
    expect(out.raw.region).toBe(region);
    expect(out.regionSource).toBe(source);
  });

  it("no region anywhere leaves it unset", () => {
    expect(applyOverrides({ app: "a" }, {}, {})).toEqual({ raw: { app: "a" }, regionSource: undefined });
  });

  it("--tag beats LOGSHIP_TAG beats image.tag; --platform sets image.platform; the input is not changed", () => {
    expect(applyOverrides(file, env, { tag: "{git.short}" }).raw.image.tag).toBe("{git.short}");
    expect(applyOverrides(file, env, {}).raw.image.tag).toBe("from-env");
    expect(applyOverrides(file, {}, {}).raw.image.tag).toBe("{version}");
    expect(applyOverrides({ app: "a" }, {}, { platform: "linux/arm64" }).raw.image).toEqual({ platform: "linux/arm64" });
    expect(file.image.tag).toBe("{version}");
  });

  it("a --tag or LOGSHIP_TAG does not hide an image that is not a mapping", () => {
    const raw = applyOverrides({ app: "a", image: "docker/Dockerfile" }, { LOGSHIP_TAG: "x" }, { platform: "linux/arm64" }).raw;
    expect(raw.image).toBe("docker/Dockerfile");
    expect(problemsOf(raw).problems).toEqual(['image: expected a mapping, got "docker/Dockerfile" (string)']);
  });

  it("--profile beats AWS_PROFILE", () => {
    expect(applyOverrides({ app: "a" }, { AWS_PROFILE: "env" }, { profile: "flag" }).raw.profile).toBe("flag");
    expect(applyOverrides({ app: "a" }, { AWS_PROFILE: "env" }, {}).raw.profile).toBe("env");
  });

  it("loadConfig applies them; a bad --region is named as the flag, not blamed on the file", async () => {
    const cwd = await dirWith({ "logship.yaml": "app: a\nregion: eu-west-1\n" });
    const loaded = await loadConfig({ cwd, env: { AWS_REGION: "us-west-2" }, overrides: { region: "ca-central-1" } });
    expect(loaded.config.region).toBe("ca-central-1");
    expect(loaded.regionSource).toBe("--region");
    const err = await loadConfig({ cwd, env: {}, overrides: { region: "Nowhere" } }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).not.toBeInstanceOf(ConfigError);
    expect(err.message).toBe('--region: "Nowhere" is not an AWS region (e.g. us-east-1)');
  });
});

async function dirWith(files: Record<string, string>): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), "logship-config-"));
  made.push(d);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(d, name), text);
  return d;
}

const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

describe("config errors through the CLI: exit 2", () => {
  it("a bad field: exit 2, every problem line on stderr, nothing on stdout", async () => {
    const cwd = await dirWith({ "logship.yaml": "app: a\ntargets:\n  lambda: { function: f, memory: 100 }\n  local: { prot: 1 }\n" });
    const r = await run(["build", "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("logship.yaml: 2 problems in the config:");
    expect(r.stderr).toContain("  targets.lambda.memory: 100 is below the minimum 128\n");
    expect(r.stderr).toContain("  targets.local.prot: unknown key (allowed: port, containerPort, bind, env)\n");
    expect(r.stdout).toBe("");
  });

  it("a YAML syntax error: exit 2 with file:line:col", async () => {
    const cwd = await dirWith({ "logship.yaml": "app: a\nimage:\n  tag: [unclosed\n" });
    const r = await run(["build", "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: logship.yaml:4:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n");
  });

  it("a duplicate key is a YAML error too, at the second key", async () => {
    const cwd = await dirWith({ "logship.yaml": "app: a\nregion: us-east-1\napp: b\n" });
    const r = await run(["build", "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: logship.yaml:3:1: not valid YAML: duplicate key "app" (first set at line 1)\n');
  });

  it("logship.yml and logship.json are found too", async () => {
    for (const [name, text] of [["logship.yml", "app: a\nregion: nowhere\n"], ["logship.json", '{ "app": "a", "region": "nowhere" }']]) {
      const r = await run(["build", "--dry-run"], await dirWith({ [name]: text }));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: ${name}: 1 problem in the config:\n  region: "nowhere" is not an AWS region (e.g. us-east-1)\n`);
    }
  });

  it("invalid JSON in logship.json: exit 2", async () => {
    const cwd = await dirWith({ "logship.json": "{ \"app\": " });
    const r = await run(["build", "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: logship.json: not valid JSON: ");
  });

  it("no config file: exit 2 and a hint to run logship init", async () => {
    const cwd = await dirWith({});
    const r = await run(["build", "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: no logship.yaml in ${cwd}`);
    expect(r.stderr).toContain("logship init");
  });

  it("--config naming a missing file: exit 2", async () => {
    const cwd = await dirWith({ "logship.yaml": "app: a\n" });
    const r = await run(["build", "--dry-run", "--config", "other.yaml"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: --config: other.yaml does not exist");
  });

  it("a top level that is not a mapping: exit 2", async () => {
    const cwd = await dirWith({ "logship.yaml": "- app: a\n" });
    const r = await run(["build", "--dry-run"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(top level): expected a mapping of settings, got a list");
  });
});
