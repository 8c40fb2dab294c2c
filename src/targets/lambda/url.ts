// The function URL, on the alias. AWS_IAM (SigV4 callers only) unless url.public: true, which means
// AuthType NONE and, since October 2025, TWO resource-policy statements: lambda:InvokeFunctionUrl
// (FunctionUrlAuthType NONE) and lambda:InvokeFunction (InvokedViaFunctionUrl true). Without the
// second the URL answers 403. https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html, aws-apis.md §4.5.
import { getFunctionUrlConfig, lambdaUrlCalls, type Cors, type GetFunctionUrlConfigCommandOutput } from "../../aws/lambda-url.js";
import { changing } from "../../aws/call.js";
import { execute } from "../../aws/execute.js";
import { createOrFind } from "./conflict.js";
import { PUBLIC_INVOKE_SID, PUBLIC_URL_SID, target } from "./shared.js";
import { readUrlPolicy, urlGrants, type PolicyStatement, type UrlGrants } from "./url-policy.js";
import type { Context, Step } from "../../steps/types.js";

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

/** The URL config on the alias; undefined when it has none. */
const getUrlConfig = (ctx: Context) => getFunctionUrlConfig(ctx.aws, target(ctx).function, target(ctx).alias);

const norm = (c: Cors | undefined) => JSON.stringify({
  o: c?.AllowOrigins ?? [], m: c?.AllowMethods ?? [], h: c?.AllowHeaders ?? [], a: c?.MaxAge ?? 0,
});

/** What a dry run calls the URL CreateFunctionUrlConfig would make: Lambda picks it. */
const NEW_URL = "<new function URL>";

function urlChanges(now: GetFunctionUrlConfigCommandOutput | undefined, want: ReturnType<typeof urlInput>): string[] {
  const out: string[] = [];
  if (now?.AuthType !== want.AuthType) out.push(`auth ${now?.AuthType ?? "none"} → ${want.AuthType}`);
  if (norm(now?.Cors) !== norm(want.Cors)) out.push("cors");
  return out;
}

function record(ctx: Context, url: string) {
  ctx.targets.lambda = { ...ctx.targets.lambda, url };
  if (target(ctx).url.public) {
    ctx.reporter.warn(`${url} is public (url.public: true): anyone on the internet can call it, and every call is billed to your account`);
  }
}

/** Adds whichever of the two public grants the policy lacks; a public URL never goes without one. */
async function grantPublic(ctx: Context, read?: PolicyStatement[]): Promise<string[]> {
  const { function: FunctionName, alias: Qualifier } = target(ctx);
  const statements = read ?? (await readUrlPolicy(ctx, FunctionName, Qualifier));
  const have = urlGrants(statements);
  const notes: string[] = [];
  for (const p of publicPermissions(ctx)) {
    const granted = (g: UrlGrants) => (p.StatementId === PUBLIC_URL_SID ? g.url : g.invoke);
    if (granted(have)) continue;
    // Our statement id held by a statement that does not grant this (edited by hand): replace it.
    if (statements.some((s) => s.Sid === p.StatementId)) {
      await execute(ctx, changing(lambdaUrlCalls.removePermission(FunctionName, Qualifier, p.StatementId), [`replace statement ${p.StatementId}`]), () => true);
    }
    // A block on public access is explained where AddPermission is sent (src/aws/lambda-url.ts).
    const made = await createOrFind(ctx, `permission ${p.Action}`,
      () => execute(ctx, changing(lambdaUrlCalls.addPermission(p), [`allow ${p.Action}`]), () => undefined),
      async () => granted(urlGrants(await readUrlPolicy(ctx, FunctionName, Qualifier))));
    if (made === "created") notes.push(`allowed ${p.Action}`);
  }
  return notes;
}

/** Public → private: every statement that grants public URL access goes. */
async function revokePublic(ctx: Context, read?: PolicyStatement[]): Promise<string[]> {
  const { function: FunctionName, alias: Qualifier } = target(ctx);
  const { sids } = urlGrants(read ?? (await readUrlPolicy(ctx, FunctionName, Qualifier)));
  for (const StatementId of sids) {
    await execute(ctx, changing(lambdaUrlCalls.removePermission(FunctionName, Qualifier, StatementId), [`remove public statement ${StatementId}`]), () => true);
  }
  return sids.length ? ["removed public access"] : [];
}

export function functionUrlStep(): Step {
  // What isDone read, so run() does not read it again: the URL config, and the policy when it got that far.
  let seen: { cfg: GetFunctionUrlConfigCommandOutput | undefined; statements?: PolicyStatement[] } | undefined;
  return {
    id: "lambda.function-url",
    group: "lambda",
    dryRun: "live",
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
      seen.statements = await readUrlPolicy(ctx, want.FunctionName, want.Qualifier);
      const grants = urlGrants(seen.statements);
      if (want.AuthType === "NONE" && !(grants.url && grants.invoke)) return false;
      // A private URL keeps no public grant (say, a public → private switch cut short).
      if (want.AuthType !== "NONE" && grants.sids.length) return false;
      record(ctx, cfg.FunctionUrl);
      return `${cfg.FunctionUrl} (unchanged)`;
    },
    async run(ctx) {
      const want = urlInput(ctx);
      const cfg = seen ? seen.cfg : await getUrlConfig(ctx);
      // A URL made or changed below leaves the policy as it was: what isDone read still holds.
      const statements = seen?.statements;
      seen = undefined;
      let url = cfg?.FunctionUrl;
      let verb = "unchanged";
      if (!cfg) {
        // A conflict is a URL made meanwhile (reconciled below) or another operation in progress (retried).
        const made = await createOrFind(ctx, "function URL",
          async () => (url = (await execute(ctx, lambdaUrlCalls.createFunctionUrlConfig(want), () => ({ FunctionUrl: NEW_URL }) as never)).FunctionUrl),
          async () => !!(await getUrlConfig(ctx)));
        if (made === "created") verb = "created";
      }
      if (verb !== "created") {
        const now = cfg ?? (await getUrlConfig(ctx));
        if (!now || now.AuthType !== want.AuthType || norm(now.Cors) !== norm(want.Cors)) {
          const call = changing(lambdaUrlCalls.updateFunctionUrlConfig({ ...want, Cors: want.Cors ?? {} }), urlChanges(now, want));
          url = (await execute(ctx, call, () => ({ FunctionUrl: now?.FunctionUrl }) as never)).FunctionUrl;
          verb = "updated";
        }
        url ??= now?.FunctionUrl;
      }
      const notes = want.AuthType === "NONE" ? await grantPublic(ctx, statements) : await revokePublic(ctx, statements);
      record(ctx, url!);
      return `${url} (${verb}${notes.length ? `; ${notes.join(", ")}` : ""})`;
    },
  };
}
