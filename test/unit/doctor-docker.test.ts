// doctor's Docker findings from what the engine reports (`docker version`/`docker info` as JSON, the
// shapes Docker 20.10 and 29 print): reachable, the image store, and whether a push makes an index.
import { describe, expect, it } from "vitest";
import { dockerChecks } from "../../src/doctor/local-checks.js";
import { fakeDocker } from "../helpers/context.js";

const CONTAINERD = JSON.stringify([["driver-type", "io.containerd.snapshotter.v1"]]);
const OVERLAY = JSON.stringify([["Backing Filesystem", "extfs"], ["Supports d_type", "true"]]);
const version = (server: string, api: string, client = api) =>
  JSON.stringify({ Client: { Version: "29.1.0", ApiVersion: client }, Server: { Version: server, ApiVersion: api } });

function engine(versionOut: string, driverStatus: string) {
  return fakeDocker((args) => {
    if (args[0] === "version") return { stdout: versionOut };
    if (args[0] === "info") return { stdout: driverStatus };
    if (args[0] === "build") return { stdout: "Usage: docker buildx build [OPTIONS] PATH\n      --provenance string" };
    return undefined;
  }).docker;
}

describe("doctor: Docker engine and image store", () => {
  it("Docker 20.10 on overlay2: reachable, no image-store finding", async () => {
    const findings = await dockerChecks(engine(version("20.10.24", "1.41"), OVERLAY), {});
    expect(findings.map((f) => [f.id, f.severity])).toEqual([["docker.engine", "ok"], ["docker.builder", "ok"]]);
    expect(findings[0].what).toBe("Docker engine 20.10.24 is reachable (API 1.41, graphdriver image store)");
  });

  it("Docker 29 with the containerd store and API 1.52: ok, pushes go out with --platform", async () => {
    const findings = await dockerChecks(engine(version("29.1.0", "1.52"), CONTAINERD), {});
    expect(findings.find((f) => f.id === "docker.image-store")).toMatchObject({ severity: "ok" });
  });

  it("the containerd store with a CLI that negotiated API 1.45: a warning that pushes make an index Lambda refuses", async () => {
    const findings = await dockerChecks(engine(version("29.1.0", "1.52", "1.45"), CONTAINERD), {});
    const store = findings.find((f) => f.id === "docker.image-store");
    expect(store).toMatchObject({ severity: "warning" });
    expect(store?.what).toContain("API 1.45 (push --platform needs 1.46)");
    expect(store?.why).toContain("Lambda refuses indexes");
  });

  it("a daemon that is down is one error with the fix", async () => {
    const docker = fakeDocker(() => ({ exitCode: 1, stderr: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" })).docker;
    const findings = await dockerChecks(docker, {});
    expect(findings).toMatchObject([{ id: "docker.engine", severity: "error", what: "the Docker daemon is not running" }]);
  });
});
