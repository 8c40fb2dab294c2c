// Publish an immutable version of what was just deployed and point the alias (default "live") at
// it: the function URL serves the alias, and a rollback is one UpdateAlias to an older version.
// No write when the alias already serves a version with this code and configuration. aws-apis.md §4.6.
import type { AliasConfiguration, FunctionConfiguration } from "@aws-sdk/client-lambda";
import { errName } from "../../util/err-name.js";
import { fingerprint, rethrowConflict, target } from "./shared.js";
import { waitForFunction } from "./wait.js";
import type { Context, Step } from "../types.js";

interface Seen {
  latest: FunctionConfiguration;
  alias?: AliasConfiguration;
}

async function getAlias(ctx: Context, FunctionName: string, Name: string): Promise<AliasConfiguration | undefined> {
  const { GetAliasCommand } = await import("@aws-sdk/client-lambda");
  try {
    return await (await ctx.aws.lambda()).send(new GetAliasCommand({ FunctionName, Name }));
  } catch (e) {
    if (errName(e) === "ResourceNotFoundException") return undefined;
    throw e;
  }
}

async function read(ctx: Context): Promise<Seen> {
  const { GetFunctionConfigurationCommand } = await import("@aws-sdk/client-lambda");
  const t = target(ctx);
  const latest = await (await ctx.aws.lambda()).send(new GetFunctionConfigurationCommand({ FunctionName: t.function }));
  return { latest, alias: await getAlias(ctx, t.function, t.alias) };
}

export function aliasStep(): Step {
  let seen: Seen | undefined;
  return {
    id: "lambda.publish-alias",
    group: "lambda",
    title: (ctx) => `Publish a version and point alias ${target(ctx).alias} at it`,
    describe: (ctx) => {
      const { function: FunctionName, alias: Name } = target(ctx);
      return [
        { kind: "aws", command: "Lambda.GetAlias", input: { FunctionName, Name } },
        { kind: "aws", command: "Lambda.PublishVersion", input: { FunctionName, CodeSha256: "<$LATEST>", RevisionId: "<$LATEST>" }, note: "unless the alias already serves this code and configuration" },
        { kind: "aws", command: "Lambda.CreateAlias", input: { FunctionName, Name, FunctionVersion: "<published>" }, note: "if the alias does not exist" },
        { kind: "aws", command: "Lambda.UpdateAlias", input: { FunctionName, Name, FunctionVersion: "<published>", RevisionId: "<alias>" }, note: "if it does" },
      ];
    },
    async isDone(ctx) {
      seen = await read(ctx);
      const { alias, latest } = seen;
      if (!alias?.FunctionVersion) return false;
      const { GetFunctionConfigurationCommand } = await import("@aws-sdk/client-lambda");
      const served = await (await ctx.aws.lambda()).send(new GetFunctionConfigurationCommand({
        FunctionName: target(ctx).function, Qualifier: alias.FunctionVersion,
      }));
      if (fingerprint(served) !== fingerprint(latest)) return false;
      ctx.targets.lambda = { ...ctx.targets.lambda, version: alias.FunctionVersion };
      return `alias ${alias.Name} already serves version ${alias.FunctionVersion}`;
    },
    async run(ctx) {
      const sdk = await import("@aws-sdk/client-lambda");
      const lambda = await ctx.aws.lambda();
      const { function: FunctionName, alias: Name } = target(ctx);
      const { latest, alias } = seen ?? (await read(ctx));
      seen = undefined;
      const published = await lambda.send(new sdk.PublishVersionCommand({
        FunctionName, CodeSha256: latest.CodeSha256, RevisionId: latest.RevisionId,
        Description: `logship ${ctx.config.app}`,
      })).catch((e) => rethrowConflict(e, FunctionName));
      const FunctionVersion = published.Version!;
      await waitForFunction(ctx, FunctionName, { qualifier: FunctionVersion });
      const point = (a: AliasConfiguration) =>
        lambda.send(new sdk.UpdateAliasCommand({ FunctionName, Name, FunctionVersion, RevisionId: a.RevisionId }))
          .catch((e) => rethrowConflict(e, FunctionName));
      let verb = "moved";
      if (alias) {
        await point(alias);
      } else {
        try {
          await lambda.send(new sdk.CreateAliasCommand({ FunctionName, Name, FunctionVersion, Description: "logship: the version the URL serves" }));
          verb = "created";
        } catch (e) {
          if (errName(e) !== "ResourceConflictException") throw e;
          await point((await getAlias(ctx, FunctionName, Name))!);
        }
      }
      ctx.targets.lambda = { ...ctx.targets.lambda, version: FunctionVersion };
      return `published version ${FunctionVersion}; alias ${Name} ${verb}${alias?.FunctionVersion ? ` (was ${alias.FunctionVersion})` : ""}`;
    },
  };
}
