// docker build, tagged by the tag policy; reports the image id and whether it changed.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { dockerBuildArgs, dockerInspectImageArgs } from "../docker/args.js";
import { makePrivateTempDir } from "../util/private-tmp.js";
import { detectBuildKit } from "../docker/engine.js";
import type { Context, ImageState, Step } from "./types.js";

export const shortId = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

function buildArgv(ctx: Context, image: ImageState, iidfile?: string): string[] {
  const { spec } = image;
  const git = ctx.git;
  const labels: Record<string, string> = {
    "org.opencontainers.image.title": spec.name,
    ...(git?.sha ? { "org.opencontainers.image.revision": git.sha } : {}),
    ...(git?.remote ? { "org.opencontainers.image.source": git.remote } : {}),
    ...(image.tag ? { "org.opencontainers.image.version": image.tag } : {}),
    ...spec.labels,
  };
  return dockerBuildArgs({
    dockerfile: spec.dockerfile,
    context: spec.context,
    tags: image.localRefs,
    platform: spec.platform,
    buildArgs: spec.buildArgs,
    target: spec.target,
    labels,
    buildkit: ctx.buildkit ?? true,
    iidfile,
  });
}

async function imageIdOf(ctx: Context, ref: string): Promise<string | undefined> {
  const r = await ctx.docker(dockerInspectImageArgs(ref), { allowFailure: true });
  if (r.exitCode !== 0) return undefined;
  return JSON.parse(r.stdout)[0]?.Id;
}

export function buildStep(image: ImageState): Step {
  return {
    id: "docker.build",
    group: image.spec.key === "app" ? undefined : image.spec.key,
    title: () => `Build ${image.localRefs[0]} (${image.spec.platform})`,
    describe: (ctx) => [{ kind: "docker", command: buildArgv(ctx, image) }],
    async run(ctx) {
      // Asked once per run, by the first build (prepareDocker leaves it to us outside a dry run).
      ctx.buildkit ??= await detectBuildKit(ctx.docker, ctx.env);
      const before = await imageIdOf(ctx, image.localRefs[0]);
      const dir = await makePrivateTempDir("build");
      try {
        const iidfile = path.join(dir.path, "iid");
        await ctx.docker(buildArgv(ctx, image, iidfile), { signal: ctx.signal, onLine: ctx.progress });
        image.imageId = (await readFile(iidfile, "utf8")).trim();
      } finally {
        await dir.remove();
      }
      const inspect = await ctx.docker(dockerInspectImageArgs(image.imageId), {});
      image.architecture = JSON.parse(inspect.stdout)[0]?.Architecture;
      image.revision = ctx.git?.sha;
      const unchanged = before === image.imageId ? ", unchanged" : "";
      return `image ${shortId(image.imageId)}${unchanged}; tagged ${image.localRefs.join(", ")}`;
    },
  };
}
