// What logship learns about the Docker engine (API version, image store) and the push argv it picks
// from that, through the real runner and CLI with a fake `docker` executable (LOGSHIP_DOCKER).
// The engine here is 20.10 (API 1.41, overlay2); Docker 29 with the containerd store is played by
// the fake, answering in the shapes the real CLI and daemon print.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDockerReady, parseEngine } from "../../src/docker/engine.js";
import { createDocker } from "../../src/docker/runner.js";
import { runCli } from "../helpers/cli.js";

// Recorded on this machine: `docker version --format '{{json .}}'` of CLI 28.2.2 against engine 20.10.
// The CLI negotiated down to the daemon's API (Client.ApiVersion 1.41, DefaultAPIVersion 1.50).
const ENGINE_20 = JSON.stringify({
  Client: { Version: "28.2.2", ApiVersion: "1.41", DefaultAPIVersion: "1.50", Os: "linux", Arch: "amd64", Context: "default" },
  Server: { Version: "20.10.24+dfsg1", ApiVersion: "1.41", MinAPIVersion: "1.12", Os: "linux", Arch: "amd64" },
});
// And `docker info --format '{{json .DriverStatus}}'` there (overlay2).
const OVERLAY2 = JSON.stringify([["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Native Overlay Diff", "true"], ["userxattr", "false"]]);
// Docker 29: Engine API 1.52; with the containerd image store DriverStatus is exactly this one pair
// (moby integration/daemon/default_storage_test.go asserts it).
const ENGINE_29 = JSON.stringify({
  Client: { Version: "29.1.0", ApiVersion: "1.52", DefaultAPIVersion: "1.52", Os: "linux", Arch: "amd64" },
  Server: { Version: "29.1.0", ApiVersion: "1.52", MinAPIVersion: "1.44", Os: "linux", Arch: "amd64" },
});
const CONTAINERD = JSON.stringify([["driver-type", "io.containerd.snapshotter.v1"]]);

describe("parseEngine", () => {
  it.each([
    ["engine 20.10, overlay2 (this machine)", ENGINE_20, OVERLAY2,
      { version: "20.10.24+dfsg1", apiVersion: "1.41", clientApiVersion: "1.41", imageStore: "graphdriver" }],
    ["Docker 29 with the containerd image store", ENGINE_29, CONTAINERD,
      { version: "29.1.0", apiVersion: "1.52", clientApiVersion: "1.52", imageStore: "containerd" }],
    ["docker info unanswered: store unknown", ENGINE_29, undefined, { version: "29.1.0", apiVersion: "1.52", clientApiVersion: "1.52" }],
    ["a docker that prints no JSON (a wrapper): its text is the version", "4.9.3\n", "", { version: "4.9.3" }],
    ["nothing printed", "", "", { version: undefined }],
  ])("%s", (_name, version, info, want) => {
    expect(parseEngine(version, info)).toEqual(want);
  });
});

/** A fake docker: logs each argv line to LOG, answers version/info as the engine given, and push. */
async function fakeDocker(dir: string, name: string, version: string, driverStatus: string): Promise<{ bin: string; log: string }> {
  const bin = path.join(dir, `docker-${name}`);
  const log = path.join(dir, `${name}.log`);
  const D = `sha256:${"a".repeat(64)}`;
  await writeFile(bin, [
    "#!/bin/sh",
    `printf '%s\\n' "$*" >> '${log}'`,
    'case "$1" in',
    `  version) printf '%s\\n' '${version}' ;;`,
    `  info) printf '%s\\n' '${driverStatus}' ;;`,
    `  image) printf '%s\\n' '[{"Id":"sha256:${"1".repeat(64)}","RepoDigests":[],"Architecture":"amd64"}]' ;;`,
    "  manifest) echo 'no such manifest' >&2; exit 1 ;;",
    `  push) echo "1.0.0: digest: ${D} size: 528" ;;`,
    "esac",
    "exit 0",
    "",
  ].join("\n"));
  await chmod(bin, 0o755);
  return { bin, log };
}

const lines = async (file: string) => (await readFile(file, "utf8").catch(() => "")).trim().split("\n").filter(Boolean);

describe("the engine decides the push argv (fake docker binary)", () => {
  let dir: string;
  let project: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "logship-engine-"));
    project = path.join(dir, "app");
    await mkdir(project);
    await writeFile(path.join(project, "Dockerfile"), "FROM scratch\n");
    await writeFile(path.join(project, "logship.yaml"),
      "app: demo\nversion: 1.0.0\nregistry:\n  type: generic\n  url: localhost:5999/demo\ntargets:\n  local: {}\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("asks docker version and docker info once, and reads both", async () => {
    const { bin, log } = await fakeDocker(dir, "ready", ENGINE_29, CONTAINERD);
    const engine = await ensureDockerReady(createDocker({ LOGSHIP_DOCKER: bin }));
    expect(engine).toEqual({ version: "29.1.0", apiVersion: "1.52", clientApiVersion: "1.52", imageStore: "containerd" });
    expect((await lines(log)).sort()).toEqual(["info --format {{json .DriverStatus}}", "version --format {{json .}}"]);
  });

  it.each([
    ["engine 20.10 (API 1.41), overlay2: a plain push", "old", ENGINE_20, OVERLAY2, "push localhost:5999/demo:1.0.0"],
    ["Docker 29 (API 1.52), containerd store: push the one manifest", "new", ENGINE_29, CONTAINERD, "push --platform linux/amd64 localhost:5999/demo:1.0.0"],
    ["Docker 29 upgraded in place (overlay2): a plain push", "upgraded", ENGINE_29, OVERLAY2, "push localhost:5999/demo:1.0.0"],
  ])("%s", async (_name, name, version, info, want) => {
    const { bin, log } = await fakeDocker(dir, name, version, info);
    const r = await runCli(["push"], { cwd: project, env: { CI: "1", LOGSHIP_DOCKER: bin } });
    expect(r.code, r.stderr).toBe(0);
    const calls = await lines(log);
    expect(calls.filter((c) => c.startsWith("push"))).toEqual([want]);
    expect(calls.filter((c) => c.startsWith("version") || c.startsWith("info"))).toHaveLength(2);
  });

  it("--dry-run --json shows the same argv the run would use", async () => {
    const { bin } = await fakeDocker(dir, "dry", ENGINE_29, CONTAINERD);
    const r = await runCli(["push", "--dry-run", "--json", "--platform", "linux/arm64"], { cwd: project, env: { CI: "1", LOGSHIP_DOCKER: bin } });
    expect(r.code, r.stderr).toBe(0);
    const push = JSON.parse(r.stdout).steps.find((s: { id: string }) => s.id === "registry.push");
    expect(push.actions.map((a: { command: unknown }) => a.command)).toContainEqual(["push", "--platform", "linux/arm64", "localhost:5999/demo:1.0.0"]);
  });
});
