// doctor: Docker engine and builder.
import { detectBuildKit } from "../docker/engine.js";
import type { Docker } from "../docker/runner.js";
import type { Finding } from "./finding.js";

export async function dockerChecks(docker: Docker, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  let version: string;
  try {
    const r = await docker(["version", "--format", "{{.Server.Version}}"], { allowFailure: true });
    if (r.exitCode !== 0) {
      return [{
        id: "docker.engine", severity: "error", what: "the Docker daemon is not reachable",
        why: r.stderr.trim().split("\n").at(-1), fix: "start Docker (Docker Desktop, `sudo systemctl start docker`) and re-run",
      }];
    }
    version = r.stdout.trim();
  } catch (e) {
    return [{ id: "docker.engine", severity: "error", what: (e as Error).message, fix: (e as { hint?: string }).hint }];
  }
  const buildkit = await detectBuildKit(docker, env);
  return [
    { id: "docker.engine", severity: "ok", what: `Docker engine ${version} is reachable` },
    buildkit
      ? { id: "docker.builder", severity: "ok", what: "BuildKit (buildx) builds images; logship turns attestations off for Lambda" }
      : {
          id: "docker.builder", severity: "info", what: "the legacy builder builds images (no buildx)",
          why: "it makes single-image manifests, which every target accepts, but it is slower and deprecated",
          fix: "install the docker-buildx plugin for faster, cached builds",
        },
  ];
}
