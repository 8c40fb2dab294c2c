// Pure argv builders for the docker CLI: they build, they never run (see STYLE.md §4).
// Secrets never appear here: the registry password goes on stdin, env values through the environment.
import type { DockerEngine } from "./engine.js";

export interface BuildArgsOptions {
  dockerfile: string;
  context: string;
  tags: string[];
  platform: string;
  buildArgs?: Record<string, string>;
  target?: string;
  labels?: Record<string, string>;
  /** BuildKit (buildx) is present: turn attestations off so the pushed manifest is a single image. */
  buildkit: boolean;
  iidfile?: string;
}

export function dockerBuildArgs(o: BuildArgsOptions): string[] {
  const args = ["build"];
  // Lambda rejects image indexes; BuildKit adds a provenance attestation (an index) by default.
  // The legacy builder makes no attestations and rejects these flags. aws-apis.md §2.
  if (o.buildkit) args.push("--provenance=false", "--sbom=false");
  args.push("--platform", o.platform, "-f", o.dockerfile);
  for (const tag of o.tags) args.push("-t", tag);
  for (const [k, v] of Object.entries(o.labels ?? {})) args.push("--label", `${k}=${v}`);
  for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
  if (o.target) args.push("--target", o.target);
  if (o.iidfile) args.push("--iidfile", o.iidfile);
  args.push(o.context);
  return args;
}

export const dockerTagArgs = (source: string, target: string) => ["tag", source, target];

/** Is API version `have` at least `want` ("1.46" ≥ "1.41")? Unknown is no. */
export function apiAtLeast(have: string | undefined, want: string): boolean {
  const parse = (s: string) => s.split(".").map((n) => Number.parseInt(n, 10));
  if (!have || !/^\d+\.\d+/.test(have)) return false;
  const [hMajor, hMinor] = parse(have);
  const [wMajor, wMinor] = parse(want);
  return hMajor > wMajor || (hMajor === wMajor && hMinor >= wMinor);
}

/**
 * Push only the image's own manifest when a plain push would wrap it in an index. The containerd
 * image store (Docker 29's default) pushes an OCI index even for a single-platform image, which
 * Lambda refuses (moby/moby#51532); `docker push --platform` selects the one manifest. The daemon
 * takes `platform` from Engine API 1.46 (moby/moby#47679, Docker Engine 27.0), and the CLI has the
 * flag from docker/cli v27.0.0 (docker/cli#4984), annotated "version 1.46": it refuses it when the
 * API version it negotiated is older, so the negotiated (client) version decides. With the classic
 * graphdriver store a plain push already sends the single manifest, and `--platform` there only adds
 * a check that the image's platform matches (moby/moby#48357), so it is left out.
 */
export const PUSH_PLATFORM_API = "1.46";

export function pushSelectsPlatform(engine: DockerEngine | undefined): boolean {
  return engine?.imageStore === "containerd" &&
    apiAtLeast(engine.apiVersion, PUSH_PLATFORM_API) && apiAtLeast(engine.clientApiVersion, PUSH_PLATFORM_API);
}

export function dockerPushArgs(ref: string, o: { platform?: string; engine?: DockerEngine } = {}): string[] {
  return o.platform && pushSelectsPlatform(o.engine) ? ["push", "--platform", o.platform, ref] : ["push", ref];
}

export function dockerLoginArgs(registry: string, username: string): string[] {
  return ["login", "--username", username, "--password-stdin", registry];
}

export interface RunArgsOptions {
  name: string;
  image: string;
  bind: string;
  hostPort: number;
  containerPort: number;
  /** Names only: values reach docker through its environment, so they never sit in argv. */
  envNames: string[];
  labels: Record<string, string>;
}

export function dockerRunArgs(o: RunArgsOptions): string[] {
  const args = ["run", "--detach", "--name", o.name, "--restart", "unless-stopped"];
  args.push("--publish", `${o.bind}:${o.hostPort}:${o.containerPort}`);
  for (const [k, v] of Object.entries(o.labels)) args.push("--label", `${k}=${v}`);
  for (const name of o.envNames) args.push("--env", name);
  args.push(o.image);
  return args;
}

export const dockerRemoveArgs = (name: string) => ["rm", "--force", name];
export const dockerInspectContainerArgs = (name: string) => ["container", "inspect", name];
export const dockerInspectImageArgs = (ref: string) => ["image", "inspect", ref];
export const dockerLogsArgs = (name: string, tail: number) => ["logs", "--tail", String(tail), name];
/** Loopback registries speak plain HTTP; `--insecure` is needed there and nowhere else. */
export const isLoopbackRegistry = (ref: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?\//.test(ref);

export const dockerManifestInspectArgs = (ref: string) =>
  ["manifest", "inspect", ...(isLoopbackRegistry(ref) ? ["--insecure"] : []), "--verbose", ref];
