// Failures a user meets before anything runs: a bad path in the config, no Docker, Docker's daemon down.
// None of these needs a real engine, so they run everywhere.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, makeProject, runCli, type Project } from "./helpers.js";

/**
 * The docker runner reads LOGSHIP_DOCKER from process.env, not from the Io's env (see the report), so
 * set it on the process for the duration of one run, as the user's shell would.
 */
async function withDockerBinary<T>(binary: string, run: () => Promise<T>): Promise<T> {
  const saved = process.env.LOGSHIP_DOCKER;
  process.env.LOGSHIP_DOCKER = binary;
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.LOGSHIP_DOCKER;
    else process.env.LOGSHIP_DOCKER = saved;
  }
}

describe("errors before anything runs", () => {
  let p: Project;
  let bin: string;
  beforeAll(async () => {
    p = await makeProject();
    bin = await mkdtemp(path.join(os.tmpdir(), "logship-fake-docker-"));
  });
  afterAll(async () => {
    await cleanupProject(p);
    await rm(bin, { recursive: true, force: true });
  });

  it("a missing Dockerfile is a config error naming image.dockerfile (exit 2)", async () => {
    await p.writeConfig({ image: { dockerfile: "docker/Missing.Dockerfile", tag: "{version}" } });
    try {
      const r = await runCli(["build"], p.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error: image.dockerfile: docker/Missing.Dockerfile does not exist");
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user error
    } finally {
      await p.writeConfig();
    }
  });

  it("no docker binary: exit 1, Docker is not installed", async () => {
    const env = { LOGSHIP_DOCKER: "/nonexistent/docker" };
    const r = await withDockerBinary(env.LOGSHIP_DOCKER, () => runCli(["build"], p.dir, env));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("error: Docker is not installed");
    expect(r.stderr).toContain("hint: install Docker");
  });

  /** A docker whose daemon is down, as the real CLI says it. */
  async function daemonDownDocker(): Promise<string> {
    const fake = path.join(bin, "docker");
    await writeFile(fake, [
      "#!/bin/sh",
      'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2',
      "exit 1",
      "",
    ].join("\n"));
    await chmod(fake, 0o755);
    return fake;
  }

  it("docker's daemon down: exit 1, the Docker daemon is not running", async () => {
    const fake = await daemonDownDocker();
    const r = await withDockerBinary(fake, () => runCli(["deploy", "local"], p.dir, { LOGSHIP_DOCKER: fake }));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("error: the Docker daemon is not running");
    expect(r.stderr).toContain("hint: start Docker");
  });

  it("status local with the daemon down: the error on stderr and nothing on stdout (no 'not deployed' guess)", async () => {
    const fake = await daemonDownDocker();
    const r = await withDockerBinary(fake, () => runCli(["status", "local"], p.dir, { LOGSHIP_DOCKER: fake }));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("error: the Docker daemon is not running");
    expect(r.stdout).toBe("");
  });
});
