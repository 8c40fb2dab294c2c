// ECR login: the token is decoded, the password goes to `docker login --password-stdin` only,
// into a temporary DOCKER_CONFIG, and never shows up in argv, details, the report or the plan.
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { decodeAuthToken, ecrLoginStep, registryHost, sessionDockerConfig } from "../../src/steps/login.js";
import { runSteps } from "../../src/pipeline.js";
import { DeployError } from "../../src/errors.js";
import { fakeDocker, testContext } from "../helpers/context.js";

const ecrMock = mockClient(ECRClient);
const PASSWORD = "eyJwYXlsb2FkIjoi:secret-PASSWORD=+/with:colons";
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString("base64");
const ENDPOINT = "https://123456789012.dkr.ecr.us-east-1.amazonaws.com";
const HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const EXPIRES = new Date("2026-11-25T21:00:00Z");

beforeEach(() => ecrMock.reset());

describe("decodeAuthToken", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  it.each([
    ["a normal token", b64("AWS:pass"), { username: "AWS", password: "pass" }],
    ["a password containing ':' keeps all after the first ':'", b64("AWS:pa:ss:"), { username: "AWS", password: "pa:ss:" }],
    ["an empty password", b64("AWS:"), { username: "AWS", password: "" }],
  ])("%s", (_name, token, want) => {
    expect(decodeAuthToken(token)).toEqual(want);
  });

  it.each([
    ["garbage", "!!!not base64!!!"],
    ["no ':' at all", b64("AWSpass")],
    ["an empty user", b64(":pass")],
    ["empty", ""],
  ])("rejects %s with a DeployError", (_name, token) => {
    expect(() => decodeAuthToken(token)).toThrow(DeployError);
    expect(() => decodeAuthToken(token)).toThrow("ECR returned an authorization token logship cannot read");
  });
});

it.each([
  [ENDPOINT, HOST],
  [`${ENDPOINT}/`, HOST],
  ["http://localhost:4566", "localhost:4566"],
])("registryHost(%s) = %s", (endpoint, host) => {
  expect(registryHost(endpoint)).toBe(host);
});

describe("ecrLoginStep", () => {
  function setup() {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: ENDPOINT, expiresAt: EXPIRES }],
    });
    const fake = fakeDocker();
    const t = testContext({ app: "log-analyzer" }, { docker: fake.docker });
    return { ...t, dockerCalls: fake.calls };
  }

  it("logs in with the password on stdin only, into a temporary DOCKER_CONFIG", async () => {
    const { ctx, dockerCalls, stderr, stdout } = setup();
    const results = await runSteps([ecrLoginStep()], ctx);

    const tokens = ecrMock.commandCalls(GetAuthorizationTokenCommand);
    expect(tokens).toHaveLength(1);
    expect(tokens[0].args[0].input).toEqual({});
    expect(ecrMock.calls()).toHaveLength(1);

    expect(dockerCalls).toHaveLength(1);
    const [call] = dockerCalls;
    expect(call.args).toEqual(["login", "--username", "AWS", "--password-stdin", HOST]);
    expect(call.opts.input).toBe(PASSWORD);
    expect(call.args.join(" ")).not.toContain(PASSWORD);
    expect(Object.keys(call.opts.env!)).toEqual(["DOCKER_CONFIG"]);

    const dir = call.opts.env!.DOCKER_CONFIG;
    expect(dir).toBe(ctx.session.dockerConfig);
    expect(path.dirname(dir)).toBe(os.tmpdir());
    expect(path.basename(dir)).toMatch(/^logship-docker-/);
    expect(JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8"))).toEqual({});
    expect(ctx.session.ecrHost).toBe(HOST);

    expect(results).toMatchObject([{ id: "ecr.login", status: "done", detail: `logged in to ${HOST} (token valid until 2026-11-25T21:00:00.000Z)` }]);
    expect(JSON.stringify(results)).not.toContain(PASSWORD);
    expect(stderr.text()).toContain(`logged in to ${HOST}`);
    expect(stderr.text()).not.toContain(PASSWORD);
    expect(stdout.text()).not.toContain(PASSWORD);

    expect(ctx.session.cleanup).toHaveLength(1);
    for (const clean of ctx.session.cleanup) await clean();
    expect(existsSync(dir)).toBe(false);
  });

  it("never puts the password in its description (dry run)", async () => {
    const { ctx } = setup();
    const actions = ecrLoginStep().describe(ctx);
    expect(actions).toEqual([
      { kind: "aws", command: "ECR.GetAuthorizationToken", input: {}, note: "only when a push will upload" },
      {
        kind: "docker",
        command: ["login", "--username", "AWS", "--password-stdin", "<account>.dkr.ecr.<region>.amazonaws.com"],
        note: "password on stdin (redacted); DOCKER_CONFIG is a temporary directory",
      },
    ]);
    expect(JSON.stringify(actions)).not.toContain(PASSWORD);
    expect(ecrMock.calls()).toHaveLength(0);
  });

  it("skips a second login in the same run", async () => {
    const { ctx, dockerCalls } = setup();
    const results = await runSteps([ecrLoginStep(), ecrLoginStep("lambda")], ctx);
    expect(results.map((r) => [r.status, r.detail])).toEqual([
      ["done", `logged in to ${HOST} (token valid until 2026-11-25T21:00:00.000Z)`],
      ["skipped", `already logged in to ${HOST} for this run`],
    ]);
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1);
    expect(dockerCalls).toHaveLength(1);
    for (const clean of ctx.session.cleanup) await clean();
  });

  it("makes no GetAuthorizationToken and no docker login when no push will upload", async () => {
    const { ctx, dockerCalls } = setup();
    const asked: string[] = [];
    const upload = (needed: boolean | Error) => ({
      ...ecrLoginStep(), id: "registry.push", answer: () => undefined,
      needsUpload: async () => {
        asked.push(String(needed));
        if (needed instanceof Error) throw needed;
        return needed;
      },
    });
    const skipped = await runSteps([ecrLoginStep(undefined, [upload(false), upload(false)])], ctx);
    expect(skipped.map((r) => [r.status, r.detail])).toEqual([["skipped", "not needed: ECR already holds every image of this run"]]);
    expect(ecrMock.calls()).toHaveLength(0);
    expect(dockerCalls).toHaveLength(0);

    // A push that cannot go ahead (its look-up failed, an immutable tag) reports why at its own step:
    // a login would not help it.
    const refused = await runSteps([ecrLoginStep(undefined, [upload(false), upload(new Error("tag 1.0 is immutable"))])], ctx);
    expect(refused.map((r) => [r.status, r.detail])).toEqual([["skipped", "not needed: the push step below says why it cannot upload"]]);
    expect(ecrMock.calls()).toHaveLength(0);

    // One image to upload: log in, once.
    const { ctx: again } = setup();
    const done = await runSteps([ecrLoginStep(undefined, [upload(false), upload(true), upload(new Error("x"))])], again);
    expect(done.map((r) => r.status)).toEqual(["done"]);
    for (const clean of again.session.cleanup) await clean();
    expect(asked).toEqual(["false", "false", "false", "Error: tag 1.0 is immutable", "false", "true", "Error: x"]);
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1);
  });

  it("reuses the run's DOCKER_CONFIG instead of making another", async () => {
    const { ctx, dockerCalls } = setup();
    ctx.session.dockerConfig = "/tmp/already-made";
    await ecrLoginStep().run(ctx);
    expect(dockerCalls[0].opts.env).toEqual({ DOCKER_CONFIG: "/tmp/already-made" });
    expect(ctx.session.cleanup).toHaveLength(0);
  });

  it("fails with a DeployError when ECR returns no authorization data", async () => {
    const { ctx, dockerCalls } = setup();
    ecrMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(ecrLoginStep().run(ctx)).rejects.toMatchObject({
      name: "DeployError", message: "ECR returned no authorization data", hint: "check the ecr:GetAuthorizationToken permission",
    });
    expect(dockerCalls).toHaveLength(0);
  });

  it("keeps the password out of a failed docker login's report", async () => {
    ecrMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [{ authorizationToken: TOKEN, proxyEndpoint: ENDPOINT }] });
    const fake = fakeDocker(() => ({ exitCode: 1, stderr: "Error response from daemon: login attempt failed" }));
    const { ctx, stderr } = testContext({ app: "log-analyzer" }, { docker: fake.docker });
    await expect(runSteps([ecrLoginStep()], ctx)).rejects.toThrow("login attempt failed");
    expect(fake.calls[0].opts.input).toBe(PASSWORD);
    expect(stderr.text()).not.toContain(PASSWORD);
    expect(ctx.session.ecrHost).toBeUndefined();
    for (const clean of ctx.session.cleanup) await clean();
  });
});

describe("the run's temporary DOCKER_CONFIG", () => {
  it("keeps the user's docker context but none of their credential settings", async () => {
    const { mkdtemp, mkdir, rm, writeFile, readlink } = await import("node:fs/promises");
    const home = await mkdtemp(path.join(os.tmpdir(), "logship-user-docker-"));
    onTestFinished(() => rm(home, { recursive: true, force: true }));
    await mkdir(path.join(home, "contexts", "meta"), { recursive: true });
    await writeFile(path.join(home, "config.json"), JSON.stringify({ currentContext: "colima", credsStore: "desktop", auths: { "x": {} } }));
    const { ctx } = testContext({ app: "demo" }, { env: { DOCKER_CONFIG: home } });
    const dir = await sessionDockerConfig(ctx);
    expect(JSON.parse(readFileSync(path.join(dir, "config.json"), "utf8"))).toEqual({ currentContext: "colima" });
    expect(await readlink(path.join(dir, "contexts"))).toBe(path.join(home, "contexts"));
    for (const clean of ctx.session.cleanup) await clean();
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(path.join(home, "contexts", "meta"))).toBe(true); // the user's contexts survive the cleanup
  });
});
