// doctor: Docker engine, image store and builder.
import { pushSelectsPlatform, PUSH_PLATFORM_API } from "../docker/args.js";
import { detectBuildKit, ensureDockerReady, type DockerEngine } from "../docker/engine.js";
import type { Docker } from "../docker/runner.js";
import type { Finding } from "./finding.js";
import { hintOf } from "../errors.js";

/** On the containerd image store a plain `docker push` uploads an index Lambda refuses (moby/moby#51532). */
function imageStoreFinding(engine: DockerEngine): Finding | undefined {
  if (engine.imageStore !== "containerd") return undefined;
  if (pushSelectsPlatform(engine)) {
    return { id: "docker.image-store", severity: "ok", what: `the containerd image store keeps images; logship pushes with --platform so the registry gets one manifest` };
  }
  return {
    id: "docker.image-store", severity: "warning",
    what: `the containerd image store keeps images, but this engine or CLI speaks API ${engine.clientApiVersion ?? engine.apiVersion ?? "?"} (push --platform needs ${PUSH_PLATFORM_API})`,
    why: "a plain docker push from this store uploads an image index, and Lambda refuses indexes",
    fix: `upgrade Docker to Engine 27+ (API ${PUSH_PLATFORM_API}+), or turn the containerd image store off, before deploying to Lambda`,
  };
}

export async function dockerChecks(docker: Docker, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  let engine: DockerEngine;
  try {
    engine = await ensureDockerReady(docker);
  } catch (e) {
    return [{ id: "docker.engine", severity: "error", what: (e as Error).message, fix: hintOf(e) }];
  }
  const buildkit = await detectBuildKit(docker, env);
  const store = imageStoreFinding(engine);
  const api = engine.apiVersion ? ` (API ${engine.apiVersion}${engine.imageStore ? `, ${engine.imageStore} image store` : ""})` : "";
  return [
    { id: "docker.engine", severity: "ok", what: `Docker engine ${engine.version ?? "?"} is reachable${api}` },
    ...(store ? [store] : []),
    buildkit
      ? { id: "docker.builder", severity: "ok", what: "BuildKit (buildx) builds images; logship turns attestations off for Lambda" }
      : {
          id: "docker.builder", severity: "info", what: "the legacy builder builds images (no buildx)",
          why: "it makes single-image manifests, which every target accepts, but it is slower and deprecated",
          fix: "install the docker-buildx plugin for faster, cached builds",
        },
  ];
}
