// `logship status` for Lambda: read back from Lambda itself (no local state).
import type { TargetStatus } from "../../targets/index.js";
import { errName } from "../../util/err-name.js";
import { getFunction, target } from "./shared.js";
import { getUrlConfig } from "./url.js";
import type { Context } from "../types.js";

/** Lambda's LastModified looks like 2026-11-25T09:00:00.000+0000; report ISO when it parses. */
function iso(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const d = new Date(t.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(d.getTime()) ? t : d.toISOString();
}

export async function lambdaStatus(ctx: Context): Promise<TargetStatus> {
  const t = target(ctx);
  const fn = await getFunction(ctx, t.function);
  if (!fn) return { target: "lambda", exists: false, detail: `no function ${t.function}` };
  const cfg = fn.Configuration ?? {};
  const { GetAliasCommand } = await import("@aws-sdk/client-lambda");
  const alias = await (await ctx.aws.lambda()).send(new GetAliasCommand({ FunctionName: t.function, Name: t.alias }))
    .catch((e) => { if (errName(e) === "ResourceNotFoundException") return undefined; throw e; });
  const url = await getUrlConfig(ctx);
  return {
    target: "lambda",
    exists: true,
    state: [cfg.State, cfg.LastUpdateStatus].filter(Boolean).join("/") || undefined,
    url: url?.FunctionUrl,
    image: fn.Code?.ResolvedImageUri ?? fn.Code?.ImageUri,
    updatedAt: iso(cfg.LastModified),
    detail: `function ${t.function}, ${alias ? `alias ${t.alias} → version ${alias.FunctionVersion}` : `no alias ${t.alias}`}` +
      `${url ? `, URL auth ${url.AuthType}` : ", no URL"}`,
  };
}
