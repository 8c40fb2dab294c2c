// Amazon ECR: ensure the repository (and its settings), keep a lifecycle policy. aws-apis.md §3.
// Every write is a record (src/aws/ecr.ts ecrCalls) sent by the one executor, so `--dry-run` runs the
// same reads and decisions and lists the writes a real run would send (src/plan/dry-run.ts).
import { describeRepository, ecrCalls, getLifecyclePolicyText, type ImageTagMutability, type Repository } from "../aws/ecr.js";
import { changing } from "../aws/call.js";
import { execute } from "../aws/execute.js";
import { DeployError } from "../errors.js";
import { errName } from "../util/err-name.js";
import { exclusionFilters, repositoryRules, rulesMatch, wantedRules, type TagRules } from "./ecr-tag-rules.js";
import type { PushStep } from "./push.js";
import type { Context, ImageState, Step } from "./types.js";

type EcrRegistry = Extract<ImageState["spec"]["registry"], { type: "ecr" }>;

/**
 * KNOWN GAP: the rule counts every image (tagStatus any), so it can expire an image a Lambda version or alias
 * still runs, e.g. after `keep` pushes with no Lambda deploy. Lambda then fails that function: "If the
 * corresponding container image no longer exists on Amazon ECR or permissions are revoked, the function enters
 * the Failed state, and Lambda returns a failure for any function invocations"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-images.html; StateReasonCode "ImageDeleted" in the
 * SDK's client-lambda 3.1142.0 model). This settles aws-apis.md §3.4's UNCONFIRMED point; rollback refuses
 * such a version (rollback/archive.ts ensurePullable), but nothing keeps the live one's image.
 */
export function lifecyclePolicy(keep: number): string {
  return JSON.stringify({
    rules: [{
      rulePriority: 1,
      description: `logship: keep the newest ${keep} images`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
      action: { type: "expire" },
    }],
  });
}

/** What differs from the config, each as the update's record says it: "scanOnPush false → true". */
function drift(repo: Repository, want: EcrRegistry): { tagMutability?: string; scanOnPush?: string } {
  const [have, wanted] = [repositoryRules(repo), wantedRules(want)];
  const scanning = repo.imageScanningConfiguration?.scanOnPush ?? false;
  return {
    ...(rulesMatch(have, wanted) ? {} : { tagMutability: `tagMutability ${describeRules(have)} → ${describeRules(wanted)}` }),
    ...(scanning === want.scanOnPush ? {} : { scanOnPush: `scanOnPush ${scanning} → ${want.scanOnPush}` }),
  };
}

const describeRules = (r: TagRules) => (r.exclusions.length ? `${r.mutability} (${r.exclusions.join(", ")})` : r.mutability);

/** The mutability input of CreateRepository / PutImageTagMutability; filters only with an _WITH_EXCLUSION setting. */
function mutabilityInput(want: EcrRegistry) {
  const rules = wantedRules(want);
  return {
    imageTagMutability: rules.mutability as ImageTagMutability,
    ...(rules.exclusions.length ? { imageTagMutabilityExclusionFilters: exclusionFilters(rules) } : {}),
  };
}

export function ensureRepositoryStep(image: ImageState): Step {
  const want = image.spec.registry as EcrRegistry;
  const createInput = (app: string) => ({
    repositoryName: want.repository,
    ...mutabilityInput(want),
    imageScanningConfiguration: { scanOnPush: want.scanOnPush },
    tags: [{ Key: "logship:app", Value: app }],
  });
  return {
    id: "ecr.ensure-repository",
    group: image.spec.key === "app" ? undefined : image.spec.key,
    dryRun: "live",
    title: () => `Ensure ECR repository ${want.repository}`,
    describe: (ctx) => [
      { kind: "aws", command: "ECR.DescribeRepositories", input: { repositoryNames: [want.repository] } },
      { kind: "aws", command: "ECR.CreateRepository", input: createInput(ctx.config.app), note: "only if it does not exist" },
    ],
    async isDone(ctx) {
      const repo = await describeRepository(ctx.aws, want.repository);
      if (!repo || Object.keys(drift(repo, want)).length) return false;
      image.repositoryUri = repo.repositoryUri;
      image.tagRules = repositoryRules(repo);
      return `exists: ${repo.repositoryUri}`;
    },
    async run(ctx) {
      let repo = await describeRepository(ctx.aws, want.repository);
      if (!repo) {
        // A dry run learns no URI: the push plans with <account>.dkr.ecr.<region>.amazonaws.com (push.ts remoteRepository).
        const made = await execute(ctx, ecrCalls.createRepository(createInput(ctx.config.app)), (): { repository?: Repository } => ({}));
        if (made !== "exists") {
          image.repositoryUri = made.repository?.repositoryUri;
          image.tagRules = wantedRules(want);
          return `created ${made.repository?.repositoryUri ?? want.repository}`;
        }
        // Another run created it between our Describe and Create: that is success.
        repo = await describeRepository(ctx.aws, want.repository);
      }
      if (!repo?.repositoryUri) {
        throw new DeployError(`ECR repository ${want.repository} exists but could not be read back`, "re-run; if it persists, check ecr:DescribeRepositories");
      }
      const changes = drift(repo, want);
      image.tagRules = repositoryRules(repo);
      if (changes.tagMutability) {
        const call = ecrCalls.putImageTagMutability({ repositoryName: want.repository, ...mutabilityInput(want) });
        await execute(ctx, changing(call, [changes.tagMutability]), () => undefined);
        image.tagRules = wantedRules(want);
      }
      if (changes.scanOnPush) await execute(ctx, changing(ecrCalls.putScanOnPush(want.repository, want.scanOnPush), [changes.scanOnPush]), () => undefined);
      image.repositoryUri = repo.repositoryUri;
      const done = [changes.tagMutability, changes.scanOnPush && `scanOnPush → ${want.scanOnPush}`].filter(Boolean);
      return done.length ? `updated ${done.join(", ")}` : `exists: ${repo.repositoryUri}`;
    },
  };
}

/** How many images a policy keeps, when it is the one rule logship writes; undefined for any other policy. */
function keptBy(policyText: string): number | undefined {
  const rules = (JSON.parse(policyText) as { rules?: { selection?: { tagStatus?: string; countType?: string; countNumber?: number }; action?: { type?: string } }[] }).rules;
  const [only] = rules?.length === 1 ? rules : [];
  const s = only?.selection;
  return s?.tagStatus === "any" && s.countType === "imageCountMoreThan" && only.action?.type === "expire" ? s.countNumber : undefined;
}

/** What the put changes, from the policy read before it: "keepImages 10 → 30". */
function policyChange(had: string | undefined, keep: number): string {
  if (had === undefined) return `keep the newest ${keep} images`;
  const n = keptBy(had);
  return n === undefined ? `replace a lifecycle policy set elsewhere: keep the newest ${keep} images` : `keepImages ${n} → ${keep}`;
}

/**
 * `upload` is the image's push step. A run that uploads nothing adds no image the policy could
 * expire, so it does not read the policy: the next run that uploads puts a changed keepImages in
 * place. (This keeps a no-op `ship` to a handful of reads.)
 */
export function lifecycleStep(image: ImageState, upload?: Pick<PushStep, "needsUpload">): Step {
  const want = image.spec.registry as EcrRegistry;
  const text = lifecyclePolicy(want.keepImages);
  let had: string | undefined;
  const current = (ctx: Context) => getLifecyclePolicyText(ctx.aws, want.repository).catch((e: unknown) => {
    // A dry run may have only planned the repository's create (the step before): it has no policy yet.
    if (ctx.dryRun && errName(e) === "RepositoryNotFoundException") return undefined;
    throw e;
  });
  return {
    id: "ecr.lifecycle-policy",
    group: image.spec.key === "app" ? undefined : image.spec.key,
    dryRun: "live",
    title: () => `Lifecycle policy: keep the newest ${want.keepImages} images in ${want.repository}`,
    describe: () => [{
      kind: "aws", command: "ECR.PutLifecyclePolicy", input: { repositoryName: want.repository, lifecyclePolicyText: text },
      note: "checked (GetLifecyclePolicy) when an image is uploaded; put if it differs",
    }],
    async isDone(ctx) {
      if (upload && !(await upload.needsUpload(ctx).catch(() => true))) {
        return "not checked: no image is uploaded this run (it is checked whenever one is)";
      }
      had = await current(ctx);
      return had && JSON.stringify(JSON.parse(had)) === text ? "already set" : false;
    },
    async run(ctx) {
      const call = changing(ecrCalls.putLifecyclePolicy(want.repository, text), [policyChange(had, want.keepImages)]);
      await execute(ctx, call, () => undefined);
      return "set";
    },
  };
}

/** `destroy --with-repository`: delete the repository and every image in it. */
export function deleteRepositoryStep(repository: string, group?: string): Step {
  return {
    id: "ecr.delete-repository",
    group,
    title: () => `Delete ECR repository ${repository} and its images`,
    describe: () => [{ kind: "aws", command: "ECR.DeleteRepository", input: { repositoryName: repository, force: true } }],
    // A second destroy only reads: nothing is sent to delete what is already gone.
    isDone: async (ctx) => ((await describeRepository(ctx.aws, repository)) ? false : "already gone"),
    run: async (ctx) => {
      const call = changing(ecrCalls.deleteRepository(repository), [`delete ${repository} and its images`]);
      return (await execute(ctx, call, () => true)) ? "deleted" : "already gone";
    },
  };
}
