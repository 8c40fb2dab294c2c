// What the Docker engine is and can do: is it reachable, which builder it uses. Asked once per run.
import { explain, type Docker } from "./runner.js";

/**
 * Will `docker build` accept --provenance/--sbom? Only when it is BuildKit's build (buildx). Asking
 * `docker build --help` covers Docker 20.10 with the buildx plugin but the legacy builder as default.
 * DOCKER_BUILDKIT=0 forces the legacy builder.
 */
export async function detectBuildKit(docker: Docker, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env.DOCKER_BUILDKIT === "0") return false;
  const r = await docker(["build", "--help"], { allowFailure: true });
  return r.exitCode === 0 && /--provenance/.test(r.stdout + r.stderr);
}

/** Fails with one clear line when Docker is missing or its daemon is down. */
export async function ensureDockerReady(docker: Docker): Promise<string> {
  const r = await docker(["version", "--format", "{{.Server.Version}}"], { allowFailure: true });
  if (r.exitCode !== 0) throw explain(["version"], r.stderr || "Cannot connect to the Docker daemon");
  return r.stdout.trim();
}
