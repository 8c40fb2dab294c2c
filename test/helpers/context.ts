// A Context for unit tests: config validated by the real schema, a fake docker that records argv,
// reporter output captured in memory. AWS clients are real SDK clients: fake them with aws-sdk-client-mock.
import { PassThrough } from "node:stream";
import { validateConfig } from "../../src/config/load.js";
import { AwsClients } from "../../src/aws/clients.js";
import { PlainReporter } from "../../src/ui/reporter.js";
import type { Context, ImageState } from "../../src/steps/types.js";
import type { TargetName } from "../../src/config/schema.js";
import type { Docker, DockerResult, DockerRunOptions } from "../../src/docker/runner.js";

export interface DockerCall {
  args: string[];
  opts: DockerRunOptions;
}

/** A fake docker: answers come from `respond` (default: exit 0, empty output); every call is recorded. */
export function fakeDocker(respond: (args: string[], opts: DockerRunOptions) => Partial<DockerResult> | undefined = () => undefined) {
  const calls: DockerCall[] = [];
  const docker: Docker = async (args, opts = {}) => {
    calls.push({ args, opts });
    const r = { exitCode: 0, stdout: "", stderr: "", ...respond(args, opts) };
    if (r.exitCode !== 0 && !opts.allowFailure) throw new Error(`fake docker ${args[0]} failed: ${r.stderr}`);
    return r;
  };
  return { docker, calls };
}

export function captureStream() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d) => (text += d.toString()));
  return { stream, text: () => text };
}

export function testContext(rawConfig: Record<string, unknown>, over: Partial<Context> = {}) {
  const config = validateConfig({ region: "us-east-1", ...rawConfig });
  const stdout = captureStream();
  const stderr = captureStream();
  const reporter = new PlainReporter({ stdout: stdout.stream, stderr: stderr.stream, mode: "plain", color: false });
  const { docker, calls } = fakeDocker();
  const ctx: Context = {
    cwd: "/project",
    // regionSource "--region": the region is taken as given, so no test reads ~/.aws/config.
    loaded: { config, file: "/project/logship.yaml", root: "/project", regionSource: "--region" },
    config,
    dryRun: false,
    signal: new AbortController().signal,
    reporter,
    docker,
    aws: new AwsClients({ region: config.region, regionSource: "--region", env: {} }),
    env: {},
    images: new Map(),
    targets: {},
    session: { cleanup: [] },
    options: {},
    progress: () => {},
    ...over,
  };
  return { ctx, dockerCalls: calls, stdout, stderr };
}

/** The seed app's image, built and tagged 0.0.1 for `target` (add `remote` once it is pushed). */
export function logAnalyzerImage(target: TargetName, over: Partial<ImageState> = {}): ImageState {
  return {
    spec: {
      key: "app", name: "log-analyzer", dockerfile: "Dockerfile", context: ".", platform: "linux/amd64", buildArgs: {},
      labels: {}, tagSuffix: "", targets: [target],
      registry: { type: "ecr", repository: "log-analyzer", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 },
    },
    tag: "0.0.1", localRefs: ["log-analyzer:0.0.1"], architecture: "amd64",
    ...over,
  };
}
