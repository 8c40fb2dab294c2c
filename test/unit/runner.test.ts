// The runner's translations of docker failures, exercised with a fake `docker` executable
// (LOGSHIP_DOCKER) so the real execa path runs.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { detectBuildKit, ensureDockerReady } from "../../src/docker/engine.js";
import { runDocker } from "../../src/docker/runner.js";
import { dockerErrorLines, dockerErrorText } from "../../src/docker/stderr.js";
import { DeployError, InterruptedError } from "../../src/errors.js";

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

async function fakeDockerBinary(script: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "logship-fake-docker-"));
  made.push(dir);
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

const PORT_TAKEN = "docker: Error response from daemon: driver failed programming external connectivity on endpoint lsprobe3 (2c712ff89a44): Bind for 127.0.0.1:18778 failed: port is already allocated";
const NAME_TAKEN = 'docker: Error response from daemon: Conflict. The container name "/app" is already in use by container "1d844b6e932d". You have to remove (or rename) that container to be able to reuse that name.';
/** A fake docker's script: print `text` on stderr as written, exit with `code`. */
const saysOnStderr = (text: string, code: number) => `cat >&2 <<'STDERR'\n${text}\nSTDERR\nexit ${code}`;
const START_FAILED = "Error response from daemon: driver failed programming external connectivity on endpoint app (0b18da28577b): Bind for 127.0.0.1:18779 failed: port is already allocated";

describe("docker's error lines, boilerplate dropped", () => {
  it.each([
    ["a daemon error then the --help pointer (20.10)", `${PORT_TAKEN}\n\nRun 'docker run --help' for more information\n`,
      [PORT_TAKEN.replace("docker: ", "")]],
    ["the 'See …' pointer of usage errors, and the synopsis", "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n",
      ["'docker run' requires at least 1 argument"]],
    ["an unknown flag", "unknown flag: --bogus\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n",
      ["unknown flag: --bogus"]],
    ["'See …' with a full stop", "docker: invalid reference format.\nSee 'docker run --help'.\n", ["invalid reference format."]],
    ["BuildKit: its progress is on stderr too; the error lines stand out", [
      "#5 [2/2] RUN false", '#5 0.215 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1', "------",
      " > [2/2] RUN false:", "------", "Dockerfile:2", "--------------------", "   2 | >>> RUN false", "--------------------",
      'ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1', ""].join("\n"),
      ['ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1']],
    ["no error word: the last line", "The push refers to repository [127.0.0.1:5999/x]\nAn image does not exist locally with the tag: 127.0.0.1:5999/x\n",
      ["An image does not exist locally with the tag: 127.0.0.1:5999/x"]],
    ["a foreground run's 'error waiting for container' noise", `${PORT_TAKEN}\nERRO[0000] error waiting for container: context canceled\n`,
      [PORT_TAKEN.replace("docker: ", "")]],
    ["only boilerplate", "Run 'docker run --help' for more information\n", []],
  ])("%s", (_name, stderr, lines) => {
    expect(dockerErrorLines(stderr)).toEqual(lines);
  });

  it("one line for a message, with a fallback when docker said nothing useful", () => {
    expect(dockerErrorText("Error: a\nError: b\n")).toBe("Error: a; Error: b");
    expect(dockerErrorText("", "exit code 1")).toBe("exit code 1");
    expect(dockerErrorText(`Error: ${"x".repeat(1000)}`)).toHaveLength(600);
  });
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
    // Docker 20.10's own words, captured from this machine's engine: the error is the line before
    // the --help pointer, which the runner used to report instead.
    ["run: port taken by a container", saysOnStderr(`${PORT_TAKEN}\n\nRun 'docker run --help' for more information`, 125),
      ["run", "--detach", "img"], `docker run failed: ${PORT_TAKEN.replace("docker: ", "")}`],
    ["run: name in use", saysOnStderr(`${NAME_TAKEN}\n\nRun 'docker run --help' for more information`, 125),
      ["run", "--detach", "img"], `docker run failed: ${NAME_TAKEN.replace("docker: ", "")}`],
    ["start: the reason, not the list of names", saysOnStderr(`${START_FAILED}\nError: failed to start containers: app`, 1),
      ["start", "app"], `docker start failed: ${START_FAILED}`],
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
