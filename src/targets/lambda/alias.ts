// Publish an immutable version of what was just deployed and point the alias (default "live") at
// it: the function URL serves the alias, and a rollback is one UpdateAlias to an older version.
// No write when the alias already serves a version with this code and configuration. aws-apis.md §4.6.
import {
  createAlias, getAlias, getFunctionConfiguration, publishVersion, readFunctionConfiguration, updateAlias,
  type AliasConfiguration, type FunctionConfiguration,
} from "../../aws/lambda.js";
import { createOrFind } from "./conflict.js";
import { fingerprint, target, type LambdaRun } from "./shared.js";
import { waitForFunction } from "./wait.js";
import type { Context, Step } from "../../steps/types.js";

interface Seen {
  latest: FunctionConfiguration;
  /** The configuration of the version the alias points to (undefined: no alias yet). */
  served?: FunctionConfiguration;
}

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
      const published = await publishVersion(ctx.aws, {
        FunctionName, CodeSha256: latest.CodeSha256, RevisionId: latest.RevisionId,
        Description: `logship ${ctx.config.app}`,
      });
      const FunctionVersion = published.Version!;
      await waitForFunction(ctx, FunctionName, { qualifier: FunctionVersion });
      const update = (a: AliasConfiguration) => updateAlias(ctx.aws, { FunctionName, Name, FunctionVersion, RevisionId: a.RevisionId });
      const create = () => createAlias(ctx.aws, { FunctionName, Name, FunctionVersion, Description: "logship: the version the URL serves" });
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
