// The runner's translations of docker failures, exercised with a fake `docker` executable
// (LOGSHIP_DOCKER) so the real execa path runs.
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectBuildKit, ensureDockerReady } from "../../src/docker/engine.js";
import { runDocker } from "../../src/docker/runner.js";
import { DeployError, InterruptedError } from "../../src/errors.js";

async function fakeDockerBinary(script: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "logship-fake-docker-"));
  const file = path.join(dir, "docker");
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return file;
}

const saved = process.env.LOGSHIP_DOCKER;
afterEach(() => {
  if (saved === undefined) delete process.env.LOGSHIP_DOCKER;
  else process.env.LOGSHIP_DOCKER = saved;
});

describe("docker runner", () => {
  it.each([
    ["daemon down", 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1',
      ["version"], "the Docker daemon is not running"],
    ["registry down", 'echo "Get \\"http://localhost:5999/v2/\\": dial tcp 127.0.0.1:5999: connect: connection refused" >&2; exit 1',
      ["push", "localhost:5999/app:1"], "cannot reach the registry for docker push localhost:5999/app:1: Get \"http://localhost:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused"],
    ["push denied", 'echo "denied: requested access to the resource is denied" >&2; exit 1',
      ["push", "docker.io/me/app:1"], "the registry refused the push of docker.io/me/app:1: denied: requested access to the resource is denied"],
    ["other failure: the last stderr line", 'echo "step 1" >&2; echo "COPY failed: file not found" >&2; exit 1',
      ["build", "."], "docker build failed: COPY failed: file not found"],
  ])("%s → one clear line", async (_name, script, args, message) => {
    process.env.LOGSHIP_DOCKER = await fakeDockerBinary(script);
    const err = await runDocker(args).catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err.message).toBe(message);
  });

  it("docker missing → 'Docker is not installed' with an install hint", async () => {
    process.env.LOGSHIP_DOCKER = "/nonexistent/docker";
    const err = await ensureDockerReady(runDocker).catch((e) => e);
    expect(err.message).toBe("Docker is not installed: no `/nonexistent/docker` command on PATH");
    expect(err.hint).toMatch(/install Docker/);
  });

  it("passes stdin to docker and never puts it in argv", async () => {
    process.env.LOGSHIP_DOCKER = await fakeDockerBinary('echo "args: $*"; echo "stdin: $(cat)"');
    const r = await runDocker(["login", "--password-stdin", "host"], { input: "s3cret" });
    expect(r.stdout).toBe("args: login --password-stdin host\nstdin: s3cret");
  });

  it("an aborted signal ends docker and raises InterruptedError", async () => {
    process.env.LOGSHIP_DOCKER = await fakeDockerBinary("exec sleep 30");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(runDocker(["build", "."], { signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
  });

  it("BuildKit detection: `docker build --help` offers --provenance (buildx) or not (legacy), or DOCKER_BUILDKIT=0", async () => {
    process.env.LOGSHIP_DOCKER = await fakeDockerBinary('[ "$1 $2" = "build --help" ] && echo "      --provenance string   Shorthand for --attest=type=provenance"; exit 0');
    expect(await detectBuildKit(runDocker, {})).toBe(true);
    expect(await detectBuildKit(runDocker, { DOCKER_BUILDKIT: "0" })).toBe(false);
    // Docker 20.10 with the buildx plugin installed still builds with the legacy builder by default.
    process.env.LOGSHIP_DOCKER = await fakeDockerBinary('[ "$1" = buildx ] && exit 0; echo "Usage:  docker build [OPTIONS] PATH"; exit 0');
    expect(await detectBuildKit(runDocker, {})).toBe(false);
  });
});
