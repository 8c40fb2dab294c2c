// doctor: does the built image's architecture suit each target? (App Runner: amd64 only;
// Lambda: targets.lambda.architecture; ECS: as deploy decides). aws-apis.md §2.
import { dockerInspectImageArgs } from "../docker/args.js";
import { findService } from "../targets/ecs/api.js";
import { activeConfig, dockerArch, wantedArch } from "../targets/ecs/spec.js";
import type { Context } from "../steps/types.js";
import type { Finding } from "./finding.js";

const WANT: Record<string, (ctx: Context, arch: string) => string | undefined | Promise<string | undefined>> = {
  apprunner: () => "amd64",
  lambda: (ctx) => (ctx.config.targets.lambda?.architecture === "arm64" ? "arm64" : "amd64"),
  ecs: (ctx, arch) => ecsWants(ctx, arch),
};

/**
 * What `deploy ecs` demands (its preflight, src/targets/ecs/deploy.ts): image.platform; else what the
 * live service runs; else X86_64, the cpuArchitecture default ("If you don't specify a value, the
 * default is X86_64", the SDK's client-ecs CreateExpressGatewayServiceRequest). The service is read
 * only when the image does not match the default, and only if AWS answers.
 */
async function ecsWants(ctx: Context, arch: string): Promise<string> {
  const want = dockerArch(wantedArch(ctx.config));
  if (ctx.config.image.platform || arch === want || !ctx.config.targets.ecs) return want;
  const t = ctx.config.targets.ecs;
  const live = await findService(ctx, t.cluster, t.service).catch(() => undefined);
  return dockerArch(wantedArch(ctx.config, activeConfig(live)));
}

export async function architectureChecks(ctx: Context): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const image of ctx.images.values()) {
    const r = await ctx.docker(dockerInspectImageArgs(image.localRefs[0]), { allowFailure: true });
    if (r.exitCode !== 0) {
      findings.push({ id: "image.built", severity: "info", what: `image ${image.localRefs[0]} is not built yet`, fix: "run `logship build`" });
      continue;
    }
    const arch: string = JSON.parse(r.stdout)[0]?.Architecture;
    for (const target of image.spec.targets) {
      const want = await WANT[target]?.(ctx, arch);
      if (!want) continue;
      findings.push(arch === want
        ? { id: `image.arch.${target}`, severity: "ok", what: `${target}: image ${image.localRefs[0]} is ${arch}` }
        : {
            id: `image.arch.${target}`, severity: "error",
            what: `${target}: image ${image.localRefs[0]} is ${arch}, the target runs ${want}`,
            why: "the container would fail to start with `exec format error`",
            fix: `rebuild with \`logship build --platform linux/${want}\` (or set image.platform)`,
          });
    }
  }
  return findings;
}
