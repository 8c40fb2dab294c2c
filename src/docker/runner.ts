// The one place logship runs the docker CLI. No shell: argv arrays from src/docker/args.ts.
import { execa, type ExecaError } from "execa";
import { DeployError, InterruptedError } from "../errors.js";
import { dockerErrorText } from "./stderr.js";

export interface DockerRunOptions {
  /** Written to stdin (used for `login --password-stdin`); never logged. */
  input?: string;
  /** Extra environment for docker (env values for `run --env NAME`, DOCKER_CONFIG). */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Called for each output line, for progress. */
  onLine?: (line: string) => void;
  /** Exit codes that are an answer, not a failure (e.g. "no such container"). */
  allowFailure?: boolean;
  /** Long-running output (logs --follow): hand lines to onLine and keep none in memory. */
  stream?: boolean;
}

export interface DockerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type Docker = (args: string[], opts?: DockerRunOptions) => Promise<DockerResult>;

/** LOGSHIP_DOCKER names another docker binary (tests, wrappers like podman-docker). */
export const dockerBinary = (env: NodeJS.ProcessEnv = process.env) => env.LOGSHIP_DOCKER || "docker";

/** One clear line for a failed docker command (exported for src/docker/engine.ts). */
export function explain(args: string[], stderr: string): DeployError {
  if (/Cannot connect to the Docker daemon|docker daemon is not running|error during connect/i.test(stderr)) {
    return new DeployError(
      "the Docker daemon is not running",
      "start Docker (Docker Desktop, `sudo systemctl start docker`, or `sudo dockerd &`) and re-run",
    );
  }
  // docker's own error lines, without "Run 'docker run --help' for more information" after them.
  const said = dockerErrorText(stderr);
  if ((args[0] === "push" || args[0] === "login") && /connection refused|no such host|i\/o timeout|dial tcp|server gave HTTP response to HTTPS client/i.test(stderr)) {
    return new DeployError(
      `cannot reach the registry for docker ${args[0]} ${args.at(-1)}: ${said}`,
      "check registry.url (or the ECR region), that the registry is running, and your network or proxy",
    );
  }
  if (args[0] === "push" && /denied|unauthorized|authentication required/i.test(stderr)) {
    return new DeployError(
      `the registry refused the push of ${args.at(-1)}: ${said}`,
      "log in first (`docker login HOST`) for a generic registry; for ECR check the ecr:*Layer* and ecr:PutImage permissions",
    );
  }
  return new DeployError(`docker ${args[0]} failed: ${said}`);
}

/** A runner bound to one environment (the CLI's io.env), so in-process runs never read process.env. */
export const createDocker = (baseEnv: NodeJS.ProcessEnv): Docker => async (args, opts = {}) => {
  const binary = dockerBinary(baseEnv);
  const proc = execa(binary, args, {
    input: opts.input,
    env: { ...baseEnv, ...opts.env },
    extendEnv: false,
    cancelSignal: opts.signal,
    reject: false,
    all: false,
    buffer: !opts.stream,
    stripFinalNewline: true,
  });
  if (opts.onLine) {
    // A chunk can end mid-line: keep the tail of each stream until its newline arrives.
    const relay = (stream: NodeJS.ReadableStream | null) => {
      let rest = "";
      stream?.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split(/\r?\n/);
        rest = lines.pop() ?? "";
        for (const line of lines) if (line.trim()) opts.onLine!(line);
      });
      stream?.on("end", () => {
        if (rest.trim()) opts.onLine!(rest);
      });
    };
    relay(proc.stdout);
    relay(proc.stderr);
  }
  const r = await proc;
  if (r.isCanceled || opts.signal?.aborted) throw new InterruptedError(`interrupted while running docker ${args[0]}`);
  if ((r as unknown as ExecaError).code === "ENOENT") {
    throw new DeployError(
      `Docker is not installed: no \`${binary}\` command on PATH`,
      "install Docker Engine or Docker Desktop (https://docs.docker.com/engine/install/) and re-run",
    );
  }
  const result = { exitCode: r.exitCode ?? 1, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
  if (result.exitCode !== 0 && !opts.allowFailure) throw explain(args, result.stderr);
  if (result.exitCode !== 0 && /Cannot connect to the Docker daemon/i.test(result.stderr)) throw explain(args, result.stderr);
  return result;
};

export const runDocker: Docker = (args, opts) => createDocker(process.env)(args, opts);
