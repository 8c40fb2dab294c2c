// What used to be accepted silently, or reported against the wrong source: each now says what is
// wrong and where it came from. Through the CLI in-process, in temp folders removed after each test.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { loadConfig } from "../../src/config/load.js";
import { AwsClients } from "../../src/aws/clients.js";
import { decodeUtf8 } from "../../src/config/read.js";

const made: string[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), "logship-config-msg-"));
  made.push(d);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(d, name)), { recursive: true });
    await writeFile(path.join(d, name), text);
  }
  return d;
}

const cli = (cwd: string, argv: string[], env: Record<string, string> = {}) =>
  runCli(argv, { cwd, env: { CI: "1", LOGSHIP_DOCKER: "/nonexistent/docker", ...env } });

const APP = "app: shop\nversion: 1.0.0\n";

describe("no longer accepted silently", () => {
  it("a duplicate key in logship.json: exit 2 at the second key", async () => {
    const cwd = await project({ "logship.json": '{\n  "app": "shop",\n  "version": "1",\n  "app": "other"\n}\n', Dockerfile: "FROM scratch\n" });
    const r = await cli(cwd, ["build", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: logship.json:4:3: not valid JSON: duplicate key "app" (first set at line 2)\n');
  });

  it("a duplicate key in a nested YAML mapping names the key and both lines", async () => {
    const cwd = await project({ "logship.yaml": `${APP}env:\n  A: 1\n  B: 2\n  A: 3\n` });
    const r = await cli(cwd, ["build", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: logship.yaml:6:3: not valid YAML: duplicate key "A" (first set at line 4)\n');
  });

  it("invalid UTF-8: exit 2 naming the line and byte, not a tag of U+FFFD", async () => {
    const cwd = await project({ "logship.yaml": Buffer.concat([Buffer.from("app: shop\nversion: \"1"), Buffer.from([0xc3, 0x28]), Buffer.from("\"\n")]) });
    const r = await cli(cwd, ["build", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: logship.yaml:2:12: not UTF-8 text: invalid byte 0xc3 at offset 21\n  hint: save the file as UTF-8 (most editors: "Save with encoding")\n');
  });

  it.each([
    ["the first byte", [0xff, 0x61], "f:1:1: not UTF-8 text: invalid byte 0xff at offset 0"],
    ["a sequence cut off at the end", [0x61, 0x0a, 0x62, 0xe2, 0x82], "f:2:2: not UTF-8 text: invalid byte 0xe2 at offset 3"],
    ["after a real U+FFFD and an emoji", [0xef, 0xbf, 0xbd, 0xf0, 0x9f, 0x9a, 0x80, 0x80], "f:1:3: not UTF-8 text: invalid byte 0x80 at offset 7"],
  ])("the bad byte is found exactly: %s", (_name, bytes, message) => {
    expect(() => decodeUtf8(Uint8Array.from(bytes), "f")).toThrow(message);
  });

  it("valid UTF-8 stays as written: a BOM, accents, a real U+FFFD", async () => {
    const cwd = await project({ "logship.yaml": Buffer.from("\uFEFFapp: shop\nenv: { GREETING: \"héllo \uFFFD 🚀\" }\n") });
    expect((await loadConfig({ cwd, env: {} })).config.env).toEqual({ GREETING: "héllo \uFFFD 🚀" });
  });

  it("image.context outside the project: a warning with the size docker would send; the build goes on", async () => {
    const cwd = await project({
      "app/logship.yaml": `${APP}image: { context: ../outside, dockerfile: ../outside/Dockerfile }\n`,
      "outside/Dockerfile": "FROM scratch\n", "outside/data.bin": Buffer.alloc(3 * 1024 * 1024), "outside/skip.bin": Buffer.alloc(1024),
      "outside/.dockerignore": "skip.bin\n",
    });
    const r = await cli(path.join(cwd, "app"), ["build", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: image.context: ${path.join(cwd, "outside")} is outside the project (${path.join(cwd, "app")}): ` +
      "docker build will send 3.0 MB in 3 files to the engine; point it at the app's folder (usually \".\")\n");
  });

  it("image.context: / warns that it is the root of the file system", async () => {
    const cwd = await project({ "logship.yaml": `${APP}image: { context: / }\n`, Dockerfile: "FROM scratch\n" });
    const r = await cli(cwd, ["build", "--dry-run", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: image\.context: \/ is the root of the file system: docker build will send (at least )?[\d.]+ [KMGT]?B in [\d,]+\+? files? to the engine/);
  });

  it.each(["build", "push"])("%s lambda with no targets.lambda: exit 2, as deploy says it", async (command) => {
    const cwd = await project({ "logship.yaml": `${APP}targets:\n  local: {}\n`, Dockerfile: "FROM scratch\n" });
    const r = await cli(cwd, [command, "lambda", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: targets.lambda: not configured in ${path.join(cwd, "logship.yaml")}\n`);
    expect(r.stdout).toBe("");
  });

  it("a Dockerfile path that is a directory: exit 2 naming image.dockerfile", async () => {
    const cwd = await project({ "logship.yaml": `${APP}image: { dockerfile: docker }\n`, "docker/Dockerfile": "FROM scratch\n" });
    const r = await cli(cwd, ["build", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: image.dockerfile: docker is a directory, not a Dockerfile\n  hint: name the file itself, e.g. docker/Dockerfile\n");
  });
});

describe("messages name the real source", () => {
  it("AWS_REGION=nonsense: a local build goes ahead; a command that needs AWS names AWS_REGION", async () => {
    const cwd = await project({ "logship.yaml": APP, Dockerfile: "FROM scratch\n" });
    const r = await cli(cwd, ["build", "--dry-run"], { AWS_REGION: "nonsense" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("nonsense");
    const loaded = await loadConfig({ cwd, env: { AWS_REGION: "nonsense" } });
    expect([loaded.config.region, loaded.regionSource]).toEqual(["nonsense", "AWS_REGION"]);
    const aws = new AwsClients({ region: loaded.config.region, regionSource: loaded.regionSource, env: {} });
    await expect(aws.region()).rejects.toMatchObject({
      message: 'AWS_REGION: "nonsense" is not an AWS region (e.g. us-east-1)', hint: "fix or unset AWS_REGION, or pass --region", exitCode: 2,
    });
  });

  it("a bad region in the file is still the file's", async () => {
    const cwd = await project({ "logship.yaml": `${APP}region: nowhere\n` });
    await expect(loadConfig({ cwd, env: { AWS_REGION: "us-east-1" } })).rejects.toThrow('logship.yaml: 1 problem in the config:\n  region: "nowhere" is not an AWS region');
  });

  it("LOGSHIP_ENV=missing is reported as LOGSHIP_ENV, --env as --env", async () => {
    const cwd = await project({ "logship.yaml": APP, Dockerfile: "FROM scratch\n" });
    let r = await cli(cwd, ["build", "--dry-run"], { LOGSHIP_ENV: "missing" });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: LOGSHIP_ENV=missing: logship.missing.yaml does not exist\n  hint: create it with the settings that differ in missing, or unset LOGSHIP_ENV\n");
    r = await cli(cwd, ["build", "--dry-run"], { LOGSHIP_ENV: "Bad!" });
    expect(r.stderr).toBe('error: LOGSHIP_ENV: "Bad!" is not an environment name: use lower-case letters, digits and -\n');
    r = await cli(cwd, ["build", "--dry-run", "--env", "missing"], { LOGSHIP_ENV: "other" });
    expect(r.stderr).toContain("error: --env missing: logship.missing.yaml does not exist\n  hint: create it with the settings that differ in missing, or drop --env\n");
  });

  it.each([
    ["generic with repository", "{ type: generic, url: localhost:5000/shop, repository: shop }",
      'registry.repository: belongs to registry.type "ecr", not "generic"; with type generic, the repository is part of registry.url (host[:port]/path, e.g. localhost:5000/my-app)'],
    ["ecr with url", "{ type: ecr, url: localhost:5000/shop }",
      'registry.url: belongs to registry.type "generic", not "ecr"; with type ecr, name the repository in registry.repository (default: the app name); the registry host comes from your AWS account and region'],
    ["generic with keepImages", "{ type: generic, url: localhost:5000/shop, keepImages: 5 }",
      'registry.keepImages: belongs to registry.type "ecr", not "generic"; remove it'],
  ])("registry %s: the key belongs to the other type, and what to use", async (_name, registry, line) => {
    const cwd = await project({ "logship.yaml": `${APP}registry: ${registry}\n` });
    const r = await cli(cwd, ["build", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: logship.yaml: 1 problem in the config:\n  ${line}\n`);
  });
});
