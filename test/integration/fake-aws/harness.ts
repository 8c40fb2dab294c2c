// The SDK fakes of the in-process e2e tests, installed on the client prototypes (aws-sdk-client-mock),
// plus the runner that drives `logship` through main(). Anything a fake does not model fails loudly.
import { PassThrough } from "node:stream";
import { vi } from "vitest";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import { ECRClient } from "@aws-sdk/client-ecr";
import { IAMClient } from "@aws-sdk/client-iam";
import { AppRunnerClient } from "@aws-sdk/client-apprunner";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { STSClient } from "@aws-sdk/client-sts";
import { main } from "../../../src/cli.js";
import { fakeEcr, fakeIam, fakeSts, type EcrFake } from "./ecr-iam.js";
import { fakeAppRunner, type AppRunnerWorld } from "./apprunner.js";
import { fakeLambda, type LambdaWorld } from "./lambda.js";

type Client = "ecr" | "iam" | "apprunner" | "lambda" | "sts";

/** What AWS holds: empty at first; each fake keeps its service's state as that service would. */
export interface World {
  ecr: EcrFake;
  apprunner: AppRunnerWorld;
  lambda: LambdaWorld;
}

export interface FakeAws {
  world: World;
  /** Every command the fakes received, as "client.Command" (e.g. "lambda.AddPermission"). */
  sent(): { name: string; input: any }[];
  resetHistory(): void;
  restore(): void;
}

export const WRITE = /\.(Create|Update|Put|Publish|Add|Remove|Delete|Tag|Untag|Attach|Detach|Start|Pause|Resume)/;

/** Stubs the five clients (call in a beforeAll; restore() in afterAll). `repo` is ECR's repository and the registry's. */
export function installFakeAws(repo: string, token: string): FakeAws {
  const mocks: Record<Client, AwsStub<any, any, any>> = {
    ecr: mockClient(ECRClient), iam: mockClient(IAMClient), apprunner: mockClient(AppRunnerClient),
    lambda: mockClient(LambdaClient), sts: mockClient(STSClient),
  };
  for (const m of Object.values(mocks)) {
    m.onAnyCommand().callsFake(async (input) => {
      throw new Error(`unexpected AWS call in the e2e test: ${JSON.stringify(input)}`);
    });
  }
  const roles = fakeIam(mocks.iam);
  const world: World = {
    ecr: { repo, token },
    apprunner: { tags: [], operations: [] },
    lambda: {
      roleExists: (arn) => [...roles.values()].some((r) => r.Role.Arn === arn),
      // The function's image lives in the loopback registry under its ECR repository's name.
      registryRepo: (uri) => uri.replace(/^localhost:5000\//, "").replace(/[@:].*$/, ""),
    },
  };
  fakeEcr(mocks.ecr, world.ecr);
  fakeSts(mocks.sts);
  fakeAppRunner(mocks.apprunner, world.apprunner);
  fakeLambda(mocks.lambda, world.lambda);
  return {
    world,
    sent: () => Object.entries(mocks).flatMap(([client, m]) => m.calls().map((c) => ({
      name: `${client}.${(c.args[0] as object).constructor.name.replace(/Command$/, "")}`,
      input: (c.args[0] as { input: unknown }).input,
    }))),
    resetHistory: () => Object.values(mocks).forEach((m) => m.resetHistory()),
    restore: () => Object.values(mocks).forEach((m) => m.restore()),
  };
}

/** Runs `logship ARGV` in-process with CI=1 and dummy AWS credentials; the smoke tests' https URLs answer 200. */
export async function ship(argv: string[], cwd: string) {
  const realFetch = globalThis.fetch;
  const smoked: string[] = [];
  vi.stubGlobal("fetch", async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url instanceof Request ? url.url : url);
    if (!u.startsWith("https://")) return realFetch(url, init);
    smoked.push(u);
    return new Response("ok", { status: 200 });
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const env: NodeJS.ProcessEnv = {
    ...process.env, CI: "1", AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "dummy-secret-for-tests",
  };
  for (const k of ["AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "LOGSHIP_TAG", "LOGSHIP_ENV"]) delete env[k];
  try {
    const code = await main(["node", "logship", ...argv], {
      stdout, stderr, env, cwd, isTTY: false, signal: new AbortController().signal, interactive: false,
    });
    return { code, stdout: out, stderr: err, smoked };
  } finally {
    vi.unstubAllGlobals();
  }
}
