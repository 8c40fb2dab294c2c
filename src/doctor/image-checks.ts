// doctor: does the built image's architecture suit each target? (App Runner: amd64 only;
// Lambda: targets.lambda.architecture; ECS: as deploy decides). aws-apis.md §2.
import { dockerInspectImageArgs } from "../docker/args.js";
import { dockerArch, wantedArch } from "../steps/ecs/spec.js";
import type { Context } from "../steps/types.js";
import type { Finding } from "./finding.js";

const WANT: Record<string, (ctx: Context) => string | undefined> = {
  apprunner: () => "amd64",
  lambda: (ctx) => (ctx.config.targets.lambda?.architecture === "arm64" ? "arm64" : "amd64"),
  // What `deploy ecs` demands (src/steps/ecs/spec.ts wantedArch): image.platform, else X86_64, the
  // cpuArchitecture default ("If you don't specify a value, the default is X86_64", @aws-sdk/client-ecs
  // CreateExpressGatewayServiceRequest). Doctor reads no service, so an existing ARM64 one is not seen.
  ecs: (ctx) => dockerArch(wantedArch(ctx.config)),
};

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
      const want = WANT[target]?.(ctx);
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
