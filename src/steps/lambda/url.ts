// The function URL, on the alias. AWS_IAM (SigV4 callers only) unless url.public: true, which means
// AuthType NONE and, since October 2025, TWO resource-policy statements: lambda:InvokeFunctionUrl
// (FunctionUrlAuthType NONE) and lambda:InvokeFunction (InvokedViaFunctionUrl true). Without the
// second the URL answers 403. https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html, aws-apis.md §4.5.
import type { Cors, GetFunctionUrlConfigCommandOutput } from "@aws-sdk/client-lambda";
import { errName } from "../../util/err-name.js";
import { PUBLIC_INVOKE_SID, PUBLIC_URL_SID, target } from "./shared.js";
import type { Context, Step } from "../types.js";

export function wantedCors(ctx: Context): Cors | undefined {
  const c = target(ctx).url.cors;
  if (!c) return undefined;
  const out: Cors = {};
  if (c.allowOrigins) out.AllowOrigins = c.allowOrigins;
  if (c.allowMethods) out.AllowMethods = c.allowMethods;
  if (c.allowHeaders) out.AllowHeaders = c.allowHeaders;
  if (c.maxAge !== undefined) out.MaxAge = c.maxAge;
  return out;
}

export function urlInput(ctx: Context) {
  const t = target(ctx);
  const Cors = wantedCors(ctx);
  return { FunctionName: t.function, Qualifier: t.alias, AuthType: t.url.public ? ("NONE" as const) : ("AWS_IAM" as const), ...(Cors ? { Cors } : {}) };
}

/** The two AddPermission inputs a public URL needs. */
export function publicPermissions(ctx: Context) {
  const { function: FunctionName, alias: Qualifier } = target(ctx);
  return [
    { FunctionName, Qualifier, StatementId: PUBLIC_URL_SID, Action: "lambda:InvokeFunctionUrl", Principal: "*", FunctionUrlAuthType: "NONE" as const },
    { FunctionName, Qualifier, StatementId: PUBLIC_INVOKE_SID, Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true },
  ];
}

export async function getUrlConfig(ctx: Context): Promise<GetFunctionUrlConfigCommandOutput | undefined> {
  const { GetFunctionUrlConfigCommand } = await import("@aws-sdk/client-lambda");
  const { function: FunctionName, alias: Qualifier } = target(ctx);
  try {
    return await (await ctx.aws.lambda()).send(new GetFunctionUrlConfigCommand({ FunctionName, Qualifier }));
  } catch (e) {
    if (errName(e) === "ResourceNotFoundException") return undefined;
    throw e;
  }
}

/** Statement ids in the alias's resource policy. */
async function statementIds(ctx: Context): Promise<string[]> {
  const { GetPolicyCommand } = await import("@aws-sdk/client-lambda");
  const { function: FunctionName, alias: Qualifier } = target(ctx);
  try {
    const out = await (await ctx.aws.lambda()).send(new GetPolicyCommand({ FunctionName, Qualifier }));
    return ((JSON.parse(out.Policy ?? "{}").Statement ?? []) as { Sid?: string }[]).map((s) => s.Sid ?? "");
  } catch (e) {
    if (errName(e) === "ResourceNotFoundException") return [];
    throw e;
  }
}

const norm = (c: Cors | undefined) => JSON.stringify({
  o: c?.AllowOrigins ?? [], m: c?.AllowMethods ?? [], h: c?.AllowHeaders ?? [], a: c?.MaxAge ?? 0,
});

function record(ctx: Context, url: string) {
  ctx.targets.lambda = { ...ctx.targets.lambda, url };
  if (target(ctx).url.public) {
    ctx.reporter.warn(`${url} is public (url.public: true): anyone on the internet can call it, and every call is billed to your account`);
  }
}

export function functionUrlStep(): Step {
  let seen: { cfg: GetFunctionUrlConfigCommandOutput | undefined } | undefined;
  return {
    id: "lambda.function-url",
    group: "lambda",
    title: (ctx) => `Ensure function URL on ${target(ctx).function}:${target(ctx).alias} (${target(ctx).url.public ? "public" : "AWS_IAM"})`,
    describe: (ctx) => {
      const input = urlInput(ctx);
      return [
        { kind: "aws", command: "Lambda.GetFunctionUrlConfig", input: { FunctionName: input.FunctionName, Qualifier: input.Qualifier } },
        { kind: "aws", command: "Lambda.CreateFunctionUrlConfig", input, note: "if the alias has no URL" },
        { kind: "aws", command: "Lambda.UpdateFunctionUrlConfig", input, note: "if auth or CORS differ" },
        ...(target(ctx).url.public
          ? publicPermissions(ctx).map((p) => ({ kind: "aws" as const, command: "Lambda.AddPermission", input: p, note: "unless the statement exists" }))
          : []),
      ];
    },
    async isDone(ctx) {
      const cfg = await getUrlConfig(ctx);
      seen = { cfg };
      const want = urlInput(ctx);
      if (!cfg?.FunctionUrl || cfg.AuthType !== want.AuthType || norm(cfg.Cors) !== norm(want.Cors)) return false;
      const sids = await statementIds(ctx);
      const hasPublic = sids.includes(PUBLIC_URL_SID) || sids.includes(PUBLIC_INVOKE_SID);
      if (want.AuthType === "NONE" && (!sids.includes(PUBLIC_URL_SID) || !sids.includes(PUBLIC_INVOKE_SID))) return false;
      // A private URL must not keep public statements (say, a public → private switch cut short).
      if (want.AuthType !== "NONE" && hasPublic) return false;
      record(ctx, cfg.FunctionUrl);
      return `${cfg.FunctionUrl} (unchanged)`;
    },
    async run(ctx) {
      const sdk = await import("@aws-sdk/client-lambda");
      const lambda = await ctx.aws.lambda();
      const want = urlInput(ctx);
      const cfg = seen ? seen.cfg : await getUrlConfig(ctx);
      seen = undefined;
      let url = cfg?.FunctionUrl;
      let verb = "unchanged";
      if (!cfg) {
        try {
          url = (await lambda.send(new sdk.CreateFunctionUrlConfigCommand(want))).FunctionUrl;
          verb = "created";
        } catch (e) {
          // "FunctionUrlConfig exists": a concurrent run made it; reconcile it below.
          if (errName(e) !== "ResourceConflictException") throw e;
        }
      }
      if (verb !== "created") {
        const now = cfg ?? (await getUrlConfig(ctx));
        if (!now || now.AuthType !== want.AuthType || norm(now.Cors) !== norm(want.Cors)) {
          url = (await lambda.send(new sdk.UpdateFunctionUrlConfigCommand({ ...want, Cors: want.Cors ?? {} }))).FunctionUrl;
          verb = "updated";
        }
        url ??= now?.FunctionUrl;
      }
      const notes: string[] = [];
      if (want.AuthType === "NONE") {
        const sids = await statementIds(ctx);
        for (const p of publicPermissions(ctx).filter((p) => !sids.includes(p.StatementId))) {
          try {
            await lambda.send(new sdk.AddPermissionCommand(p));
            notes.push(`allowed ${p.Action}`);
          } catch (e) {
            // "The statement id (…) provided already exists": added by an earlier or concurrent run.
            if (errName(e) !== "ResourceConflictException") throw e;
          }
        }
      } else if (cfg?.AuthType === "NONE" || (await statementIds(ctx)).some((sid) => sid === PUBLIC_URL_SID || sid === PUBLIC_INVOKE_SID)) {
        // Public → private: take the public statements away too.
        for (const p of publicPermissions(ctx)) {
          await lambda.send(new sdk.RemovePermissionCommand({ FunctionName: p.FunctionName, Qualifier: p.Qualifier, StatementId: p.StatementId }))
            .catch((e) => { if (errName(e) !== "ResourceNotFoundException") throw e; });
        }
        notes.push("removed public access");
      }
      record(ctx, url!);
      return `${url} (${verb}${notes.length ? `; ${notes.join(", ")}` : ""})`;
    },
  };
}
