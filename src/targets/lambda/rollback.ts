// Lambda rollback is an alias move: every deploy publishes a version and points the alias
// (default "live") at it, so going back is UpdateAlias to an earlier version. aws-apis.md §4.6.
import { getAlias, lambdaCalls, listVersions } from "../../aws/lambda.js";
import { changing } from "../../aws/call.js";
import { execute } from "../../aws/execute.js";
import { getFunctionUrlConfig } from "../../aws/lambda-url.js";
import { DeployError, UserError } from "../../errors.js";
import { parseDuration } from "../../config/rules.js";
import { waitForHttp } from "../../util/http.js";
import { switchableSmoke } from "../../steps/smoke-http.js";
import type { Context, Step } from "../../steps/types.js";
import type { Release } from "../../rollback/types.js";
import { imagesFor } from "../../images.js";
import { allImages, ensurePullable, storageStatus } from "../../rollback/archive.js";
import { target } from "./shared.js";

async function liveAlias(ctx: Context): Promise<{ version: string; revisionId?: string }> {
  const t = target(ctx);
  const alias = await getAlias(ctx.aws, t.function, t.alias);
  if (!alias) throw new DeployError(`lambda: ${t.function} has no alias "${t.alias}" yet`, "deploy first with `logship deploy lambda`");
  return { version: alias.FunctionVersion!, revisionId: alias.RevisionId };
}

/** Published versions, newest first, with the live one marked. */
export async function lambdaReleases(ctx: Context): Promise<Release[]> {
  const t = target(ctx);
  const live = (await liveAlias(ctx)).version;
  const versions: Release[] = [];
  for (const v of await listVersions(ctx.aws, t.function)) {
    if (!v.Version || v.Version === "$LATEST") continue;
    versions.push({
      id: v.Version, image: v.CodeSha256 ? `sha256:${v.CodeSha256}` : undefined,
      createdAt: v.LastModified, live: v.Version === live, description: v.Description || undefined,
    });
  }
  await markArchived(ctx, versions);
  return versions.sort((a, b) => Number(b.id) - Number(a.id));
}

/** The ECR repository the function's images are pushed to (Lambda runs only ECR images). */
function lambdaRepository(ctx: Context): string | undefined {
  const [spec] = imagesFor(ctx.config, ctx.loaded.root, ["lambda"]);
  return spec?.registry.type === "ecr" ? spec.registry.repository : undefined;
}

/** Marks versions whose image ECR keeps in its archive (archive.ts): rolling back to them needs a restore. */
async function markArchived(ctx: Context, versions: Release[]): Promise<void> {
  const repository = lambdaRepository(ctx);
  if (!repository || !versions.length) return;
  const images = await allImages(ctx, repository).catch((e) => {
    if ((e as Error).name === "RepositoryNotFoundException") return [];
    throw e;
  });
  const stored = new Map(images.map((d) => [d.imageDigest, storageStatus(d)]));
  for (const v of versions) {
    const s = v.image ? stored.get(v.image) : undefined;
    if (s && s !== "ACTIVE") v.storage = s;
  }
}

/** --to: a version number, or an image digest (sha256:…) that some version runs. */
export function pickRelease(releases: Release[], to?: string): Release {
  const live = releases.find((r) => r.live);
  if (to) {
    const hit = releases.find((r) => r.id === to) ?? releases.find((r) => r.image && (r.image === to || r.image.endsWith(to)));
    if (!hit) throw new UserError(`--to ${to}: no such version; \`logship releases lambda\` lists them`);
    return hit;
  }
  const older = releases.filter((r) => live && Number(r.id) < Number(live.id) && r.image !== live.image);
  if (!older.length) {
    throw new DeployError(`lambda: no previous version to roll back to (live is version ${live?.id ?? "unknown"})`, "deploy an earlier build instead, or pass --to VERSION");
  }
  return older[0];
}

export function lambdaRollbackSteps(ctx: Context, to?: string): Step[] {
  const t = target(ctx);
  let chosen: Release | undefined;
  /** The alias's function URL, recorded so the command prints it (with or without a smoke test). */
  const recordUrl = async (c: Context) => {
    const url = await getFunctionUrlConfig(c.aws, t.function, t.alias);
    if (url?.FunctionUrl) c.targets.lambda = { ...c.targets.lambda, url: url.FunctionUrl };
    return url;
  };
  return [
    {
      id: "lambda.rollback", group: "lambda",
      title: () => `Point alias ${t.alias} of ${t.function} at ${to ? `version ${to}` : "the previous version"}`,
      describe: () => [
        { kind: "aws", command: "Lambda.ListVersionsByFunction", input: { FunctionName: t.function } },
        { kind: "aws", command: "ECR.DescribeImages", note: "is the version's image archived? (--restore restores it first)" },
        { kind: "aws", command: "Lambda.UpdateAlias", input: { FunctionName: t.function, Name: t.alias, FunctionVersion: to ?? "<previous version>" } },
      ],
      async isDone(c) {
        chosen = pickRelease(await lambdaReleases(c), to);
        return chosen.live ? `version ${chosen.id} is already live` : false;
      },
      async run(c) {
        const alias = await liveAlias(c);
        // A version whose image is archived cannot start again once Lambda needs to pull it (archive.ts).
        const repository = lambdaRepository(c);
        if (repository && chosen!.image) {
          await ensurePullable(c, { repository, digest: chosen!.image, restore: !!c.options.restore, command: "logship rollback lambda" });
        }
        // The alias's RevisionId: a deploy that moved it meanwhile is reported, not overwritten (src/aws/lambda.ts).
        const move = lambdaCalls.updateAlias({ FunctionName: t.function, Name: t.alias, FunctionVersion: chosen!.id, RevisionId: alias.revisionId });
        await execute(c, changing(move, [`alias ${t.alias}: version ${alias.version} → ${chosen!.id}`]), () => ({}));
        return `version ${alias.version} → ${chosen!.id}${chosen!.image ? ` (${chosen!.image.slice(0, 19)}…)` : ""}`;
      },
    },
    switchableSmoke({
      id: "lambda.smoke-test", group: "lambda",
      title: () => "Smoke test the function URL",
      describe: () => [{ kind: "http", command: `GET <function URL>${ctx.config.smoke.path}`, note: "public URLs only" }],
      async run(c) {
        const url = await recordUrl(c);
        if (!url?.FunctionUrl) return "no function URL";
        if (url.AuthType !== "NONE") return "URL needs SigV4; not smoke-tested";
        const answer = await waitForHttp(`${url.FunctionUrl.replace(/\/$/, "")}${c.config.smoke.path}`, {
          timeoutMs: parseDuration(c.config.smoke.timeout)!, expectStatus: c.config.smoke.expectStatus, signal: c.signal,
        });
        return `HTTP ${answer.status}`;
      },
    }, async (c) => void (await recordUrl(c))),
  ];
}
