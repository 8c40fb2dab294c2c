// Publish an immutable version of what was just deployed and point the alias (default "live") at
// it: the function URL serves the alias, and a rollback is one UpdateAlias to an older version.
// No write when the alias already serves a version with this code and configuration. aws-apis.md §4.6.
import {
  getAlias, getFunctionConfiguration, lambdaCalls, readFunctionConfiguration, type AliasConfiguration, type FunctionConfiguration,
} from "../../aws/lambda.js";
import { changing } from "../../aws/call.js";
import { execute } from "../../aws/execute.js";
import { createOrFind } from "./conflict.js";
import { fingerprint, target, type LambdaRun } from "./shared.js";
import { waitForFunction } from "./wait.js";
import type { Context, Step } from "../../steps/types.js";

interface Seen {
  latest: FunctionConfiguration;
  /** The configuration of the version the alias points to (undefined: no alias yet). */
  served?: FunctionConfiguration;
}

/** What a dry run calls the version PublishVersion would make: Lambda numbers it only when it is published. */
export const NEXT_VERSION = "<next version>";

/**
 * $LATEST as the function step left it (no second read), and the version the alias serves, in one
 * call: GetFunctionConfiguration with the alias as Qualifier answers that version's configuration.
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
 */
async function read(ctx: Context, run: LambdaRun): Promise<Seen> {
  const t = target(ctx);
  const latest = run.latest ?? (await readFunctionConfiguration(ctx.aws, t.function));
  const served = await getFunctionConfiguration(ctx.aws, t.function, { qualifier: t.alias });
  return { latest, served };
}

export function aliasStep(run: LambdaRun = { roleCreated: false }): Step {
  let seen: Seen | undefined;
  return {
    id: "lambda.publish-alias",
    group: "lambda",
    dryRun: "live",
    title: (ctx) => `Publish a version and point alias ${target(ctx).alias} at it`,
    describe: (ctx) => {
      const { function: FunctionName, alias: Name } = target(ctx);
      return [
        { kind: "aws", command: "Lambda.GetFunctionConfiguration", input: { FunctionName, Qualifier: Name }, note: "the version the alias serves" },
        { kind: "aws", command: "Lambda.PublishVersion", input: { FunctionName, CodeSha256: "<$LATEST>", RevisionId: "<$LATEST>" }, note: "unless the alias already serves this code and configuration" },
        { kind: "aws", command: "Lambda.CreateAlias", input: { FunctionName, Name, FunctionVersion: "<published>" }, note: "if the alias does not exist" },
        { kind: "aws", command: "Lambda.UpdateAlias", input: { FunctionName, Name, FunctionVersion: "<published>", RevisionId: "<alias>" }, note: "if it does" },
      ];
    },
    async isDone(ctx) {
      seen = await read(ctx, run);
      const { served, latest } = seen;
      // An alias on $LATEST (the console allows it) serves no version: publish one, so a deploy is a
      // version that rollback can return to.
      if (!served?.Version || served.Version === "$LATEST" || fingerprint(served) !== fingerprint(latest)) return false;
      ctx.targets.lambda = { ...ctx.targets.lambda, version: served.Version };
      return `alias ${target(ctx).alias} already serves version ${served.Version}`;
    },
    async run(ctx) {
      const { function: FunctionName, alias: Name } = target(ctx);
      const { latest, served } = seen ?? (await read(ctx, run));
      seen = undefined;
      const publish = changing(lambdaCalls.publishVersion({
        FunctionName, CodeSha256: latest.CodeSha256, RevisionId: latest.RevisionId,
        Description: `logship ${ctx.config.app}`,
      }), ["a new version of $LATEST"]);
      const published = await execute(ctx, publish, () => ({ ...latest, Version: NEXT_VERSION }));
      const FunctionVersion = published.Version!;
      // A dry run published nothing: there is no version to wait for.
      if (!ctx.dryRun) await waitForFunction(ctx, FunctionName, { qualifier: FunctionVersion });
      const moved = (a: AliasConfiguration) => [`alias ${Name}: version ${a.FunctionVersion ?? "?"} → ${FunctionVersion}`];
      const update = (a: AliasConfiguration) => execute(ctx,
        changing(lambdaCalls.updateAlias({ FunctionName, Name, FunctionVersion, RevisionId: a.RevisionId }), moved(a)),
        () => ({ ...a, FunctionVersion }));
      const create = () => execute(ctx,
        lambdaCalls.createAlias({ FunctionName, Name, FunctionVersion, Description: "logship: the version the URL serves" }),
        () => ({ Name, FunctionVersion }));
      // The alias's RevisionId guards the move against a concurrent deploy (a moved one is reported: src/aws/lambda.ts).
      const alias = served ? await getAlias(ctx.aws, FunctionName, Name) : undefined;
      let verb = "moved";
      if (alias) {
        await update(alias);
      } else {
        // A conflict is the alias made meanwhile by another run (move it, with the RevisionId read
        // now) or another operation in progress (retried): conflict.ts.
        let now: AliasConfiguration | undefined;
        const made = await createOrFind(ctx, `alias ${Name}`, create, async () => !!(now = await getAlias(ctx.aws, FunctionName, Name)));
        if (made === "created") verb = "created";
        else await update(now!);
      }
      ctx.targets.lambda = { ...ctx.targets.lambda, version: FunctionVersion };
      return `published version ${FunctionVersion}; alias ${Name} ${verb}${served?.Version ? ` (was ${served.Version})` : ""}`;
    },
  };
}
