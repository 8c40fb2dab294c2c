import { describe, expect, it } from "vitest";
import {
  dockerBuildArgs, dockerInspectContainerArgs, dockerInspectImageArgs, dockerLoginArgs, dockerLogsArgs,
  dockerManifestInspectArgs, dockerPushArgs, dockerRemoveArgs, dockerRunArgs, dockerTagArgs, isLoopbackRegistry,
  apiAtLeast, type BuildArgsOptions, type RunArgsOptions,
} from "../../src/docker/args.js";
import type { DockerEngine } from "../../src/docker/engine.js";

const build: BuildArgsOptions = { dockerfile: "docker/Dockerfile", context: ".", tags: ["app:0.0.1"], platform: "linux/amd64", buildkit: true };

describe("dockerBuildArgs", () => {
  it.each<[string, Partial<BuildArgsOptions>, string[]]>([
    ["BuildKit: attestations off (Lambda rejects image indexes)", {},
      ["build", "--provenance=false", "--sbom=false", "--platform", "linux/amd64", "-f", "docker/Dockerfile", "-t", "app:0.0.1", "."]],
    ["legacy builder: no attestation flags (it rejects them)", { buildkit: false },
      ["build", "--platform", "linux/amd64", "-f", "docker/Dockerfile", "-t", "app:0.0.1", "."]],
    ["arm64 platform", { platform: "linux/arm64", buildkit: false },
      ["build", "--platform", "linux/arm64", "-f", "docker/Dockerfile", "-t", "app:0.0.1", "."]],
    ["several tags, in order", { buildkit: false, tags: ["app:1", "app:latest", "localhost:5000/app:1"] },
      ["build", "--platform", "linux/amd64", "-f", "docker/Dockerfile", "-t", "app:1", "-t", "app:latest", "-t", "localhost:5000/app:1", "."]],
    ["no tags", { buildkit: false, tags: [] }, ["build", "--platform", "linux/amd64", "-f", "docker/Dockerfile", "."]],
    ["labels then build args, each its own flag", {
      buildkit: false,
      labels: { "org.opencontainers.image.revision": "abc", "logship.app": "x" },
      buildArgs: { PY: "3.12", EMPTY: "" },
    }, ["build", "--platform", "linux/amd64", "-f", "docker/Dockerfile", "-t", "app:0.0.1",
      "--label", "org.opencontainers.image.revision=abc", "--label", "logship.app=x",
      "--build-arg", "PY=3.12", "--build-arg", "EMPTY=", "."]],
    ["a value with spaces and = stays one argument", { buildkit: false, buildArgs: { NOTE: "a b=c" } },
      ["build", "--platform", "linux/amd64", "-f", "docker/Dockerfile", "-t", "app:0.0.1", "--build-arg", "NOTE=a b=c", "."]],
    ["target and iidfile, context last", { target: "runtime", iidfile: "/tmp/iid", context: "/src/app" },
      ["build", "--provenance=false", "--sbom=false", "--platform", "linux/amd64", "-f", "docker/Dockerfile", "-t", "app:0.0.1",
        "--target", "runtime", "--iidfile", "/tmp/iid", "/src/app"]],
  ])("%s", (_name, over, expected) => {
    expect(dockerBuildArgs({ ...build, ...over })).toEqual(expected);
  });
});

describe("dockerLoginArgs", () => {
  it.each([
    ["123456789012.dkr.ecr.us-east-1.amazonaws.com", "AWS", ["login", "--username", "AWS", "--password-stdin", "123456789012.dkr.ecr.us-east-1.amazonaws.com"]],
    ["localhost:5000", "ci", ["login", "--username", "ci", "--password-stdin", "localhost:5000"]],
  ])("%s as %s: the password goes on stdin", (registry, user, expected) => {
    expect(dockerLoginArgs(registry, user)).toEqual(expected);
  });

  it("takes no password at all, so none can reach argv", () => {
    expect(dockerLoginArgs.length).toBe(2);
    const args = (dockerLoginArgs as (...a: string[]) => string[])("r.example", "AWS", "s3cr3t-password");
    expect(args).not.toContain("s3cr3t-password");
    expect(args.some((a) => a === "-p" || a.startsWith("--password="))).toBe(false);
  });
});

describe("dockerRunArgs", () => {
  const run: RunArgsOptions = { name: "logship-app", image: "app:0.0.1", bind: "127.0.0.1", hostPort: 8000, containerPort: 8080, envNames: [], labels: {} };

  it.each<[string, Partial<RunArgsOptions>, string[]]>([
    ["minimal", {}, ["run", "--detach", "--name", "logship-app", "--restart", "unless-stopped", "--publish", "127.0.0.1:8000:8080", "app:0.0.1"]],
    ["every interface, other ports", { bind: "0.0.0.0", hostPort: 80, containerPort: 80 },
      ["run", "--detach", "--name", "logship-app", "--restart", "unless-stopped", "--publish", "0.0.0.0:80:80", "app:0.0.1"]],
    ["labels, then env names only, image last", { labels: { "logship.app": "app", "logship.tag": "0.0.1" }, envNames: ["DB_URL", "LOG_LEVEL"] },
      ["run", "--detach", "--name", "logship-app", "--restart", "unless-stopped", "--publish", "127.0.0.1:8000:8080",
        "--label", "logship.app=app", "--label", "logship.tag=0.0.1", "--env", "DB_URL", "--env", "LOG_LEVEL", "app:0.0.1"]],
  ])("%s", (_name, over, expected) => {
    expect(dockerRunArgs({ ...run, ...over })).toEqual(expected);
  });

  it("env values never appear: every --env is followed by a bare name", () => {
    const args = dockerRunArgs({ ...run, envNames: ["A", "B_2"] });
    const values = args.flatMap((a, i) => (a === "--env" ? [args[i + 1]] : []));
    expect(values).toEqual(["A", "B_2"]);
    expect(values.some((v) => v.includes("="))).toBe(false);
  });
});

describe("small builders", () => {
  it.each<[string, string[], string[]]>([
    ["tag", dockerTagArgs("app:1", "r.example/app:1"), ["tag", "app:1", "r.example/app:1"]],
    ["push", dockerPushArgs("r.example/app:1"), ["push", "r.example/app:1"]],
    ["rm", dockerRemoveArgs("logship-app"), ["rm", "--force", "logship-app"]],
    ["container inspect", dockerInspectContainerArgs("logship-app"), ["container", "inspect", "logship-app"]],
    ["image inspect", dockerInspectImageArgs("app:1"), ["image", "inspect", "app:1"]],
    ["logs", dockerLogsArgs("logship-app", 50), ["logs", "--tail", "50", "logship-app"]],
  ])("%s", (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe("dockerPushArgs: --platform exactly when the containerd store would push an index and the engine can select", () => {
  const REF = "r.example/app:1";
  const engine = (apiVersion: string, imageStore?: DockerEngine["imageStore"], clientApiVersion = apiVersion): DockerEngine =>
    ({ version: "x", apiVersion, clientApiVersion, imageStore });
  it.each<[string, DockerEngine | undefined, string | undefined, string[]]>([
    ["engine unknown (dry run without docker)", undefined, "linux/amd64", ["push", REF]],
    ["Docker 20.10 (API 1.41), overlay2: this machine", engine("1.41", "graphdriver"), "linux/amd64", ["push", REF]],
    ["Docker 26 (API 1.45) with the containerd store: the daemon cannot select", engine("1.45", "containerd"), "linux/amd64", ["push", REF]],
    ["Docker 27 (API 1.46) with the containerd store", engine("1.46", "containerd"), "linux/amd64", ["push", "--platform", "linux/amd64", REF]],
    ["Docker 29 (API 1.52) with the containerd store, arm64", engine("1.52", "containerd"), "linux/arm64", ["push", "--platform", "linux/arm64", REF]],
    ["Docker 29 upgraded in place, still overlay2: a plain push is one manifest", engine("1.52", "graphdriver"), "linux/amd64", ["push", REF]],
    ["image store not reported (docker info failed)", engine("1.52", undefined), "linux/amd64", ["push", REF]],
    ["engine 29 but a CLI older than 27 (negotiated API 1.45: no --platform flag)", engine("1.52", "containerd", "1.45"), "linux/amd64", ["push", REF]],
    ["no platform given", engine("1.52", "containerd"), undefined, ["push", REF]],
  ])("%s", (_name, eng, platform, expected) => {
    expect(dockerPushArgs(REF, { platform, engine: eng })).toEqual(expected);
  });

  it.each<[string | undefined, string, boolean]>([
    ["1.46", "1.46", true], ["1.52", "1.46", true], ["1.100", "1.46", true], ["2.0", "1.46", true],
    ["1.45", "1.46", false], ["1.41", "1.46", false], ["0.99", "1.46", false], [undefined, "1.46", false], ["", "1.46", false], ["dev", "1.46", false],
  ])("apiAtLeast(%j, %s) = %s", (have, want, ok) => {
    expect(apiAtLeast(have, want)).toBe(ok);
  });
});

describe("dockerManifestInspectArgs: --insecure only for loopback registries", () => {
  it.each<[string, boolean]>([
    ["localhost:5000/x:1", true],
    ["localhost/x:1", true],
    ["127.0.0.1:5000/x:1", true],
    ["127.0.0.2:5000/team/x:1", true],
    ["[::1]:5000/x:1", true],
    ["ghcr.io/x:1", false],
    ["123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1", false],
    ["localhost.example.com/x:1", false],
    ["my-localhost:5000/x:1", false],
    ["10.0.0.1:5000/x:1", false],
  ])("%s → %s", (ref, insecure) => {
    expect(isLoopbackRegistry(ref)).toBe(insecure);
    expect(dockerManifestInspectArgs(ref)).toEqual(["manifest", "inspect", ...(insecure ? ["--insecure"] : []), "--verbose", ref]);
  });
});
