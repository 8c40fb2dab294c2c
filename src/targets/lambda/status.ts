// `logship status` for Lambda: read back from Lambda itself (no local state).
import type { TargetStatus } from "../types.js";
import { getFunction } from "../../aws/lambda.js";
import { getFunctionUrlConfig } from "../../aws/lambda-url.js";
import { target } from "./shared.js";
import type { Context } from "../../steps/types.js";

/** Lambda's LastModified looks like 2026-11-25T09:00:00.000+0000; report ISO when it parses. */
function iso(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const d = new Date(t.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(d.getTime()) ? t : d.toISOString();
}

/**
 * The function's state is $LATEST's (a deploy in progress shows there); the image is the one the
 * alias serves, which is what the URL runs, also after a rollback moved the alias back.
 */
export async function lambdaStatus(ctx: Context): Promise<TargetStatus> {
  const t = target(ctx);
  const fn = await getFunction(ctx.aws, t.function);
  if (!fn) return { target: "lambda", exists: false, detail: `no function ${t.function}` };
  const cfg = fn.Configuration ?? {};
  const served = await getFunction(ctx.aws, t.function, t.alias);
  const url = await getFunctionUrlConfig(ctx.aws, t.function, t.alias);
  const code = (served ?? fn).Code;
  return {
    target: "lambda",
    exists: true,
    state: [cfg.State, cfg.LastUpdateStatus].filter(Boolean).join("/") || undefined,
    url: url?.FunctionUrl,
    image: code?.ResolvedImageUri ?? code?.ImageUri,
    updatedAt: iso(cfg.LastModified),
    detail: `function ${t.function}, ${served ? `alias ${t.alias} → version ${served.Configuration?.Version}` : `no alias ${t.alias}`}` +
      `${url ? `, URL auth ${url.AuthType}` : ", no URL"}`,
  };
}
