// Amazon ECR: ensure the repository (and its settings), keep a lifecycle policy. aws-apis.md §3.
import {
  createRepository, deleteRepository, describeRepository, getLifecyclePolicyText, putImageTagMutability, putLifecyclePolicy, putScanOnPush,
  type ImageTagMutability, type Repository,
} from "../aws/ecr.js";
import { DeployError } from "../errors.js";
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

function drift(repo: Repository, want: EcrRegistry): string[] {
  const out: string[] = [];
  const [have, wanted] = [repositoryRules(repo), wantedRules(want)];
  if (!rulesMatch(have, wanted)) out.push(`tagMutability ${describeRules(have)} → ${describeRules(wanted)}`);
  if ((repo.imageScanningConfiguration?.scanOnPush ?? false) !== want.scanOnPush) out.push(`scanOnPush → ${want.scanOnPush}`);
  return out;
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
    title: () => `Ensure ECR repository ${want.repository}`,
    describe: (ctx) => [
      { kind: "aws", command: "ECR.DescribeRepositories", input: { repositoryNames: [want.repository] } },
      { kind: "aws", command: "ECR.CreateRepository", input: createInput(ctx.config.app), note: "only if it does not exist" },
    ],
    async isDone(ctx) {
      const repo = await describeRepository(ctx.aws, want.repository);
      if (!repo || drift(repo, want).length) return false;
      image.repositoryUri = repo.repositoryUri;
      image.tagRules = repositoryRules(repo);
      return `exists: ${repo.repositoryUri}`;
    },
    async run(ctx) {
      let repo = await describeRepository(ctx.aws, want.repository);
      if (!repo) {
        const made = await createRepository(ctx.aws, createInput(ctx.config.app));
        if (made !== "exists") {
          image.repositoryUri = made.repository?.repositoryUri;
          image.tagRules = wantedRules(want);
          return `created ${made.repository?.repositoryUri}`;
        }
        // Another run created it between our Describe and Create: that is success.
        repo = await describeRepository(ctx.aws, want.repository);
      }
      if (!repo?.repositoryUri) {
        throw new DeployError(`ECR repository ${want.repository} exists but could not be read back`, "re-run; if it persists, check ecr:DescribeRepositories");
      }
      const changes = drift(repo, want);
      image.tagRules = repositoryRules(repo);
      if (!rulesMatch(image.tagRules, wantedRules(want))) {
        await putImageTagMutability(ctx.aws, { repositoryName: want.repository, ...mutabilityInput(want) });
        image.tagRules = wantedRules(want);
      }
      if ((repo.imageScanningConfiguration?.scanOnPush ?? false) !== want.scanOnPush) {
        await putScanOnPush(ctx.aws, want.repository, want.scanOnPush);
      }
      image.repositoryUri = repo.repositoryUri;
      return changes.length ? `updated ${changes.join(", ")}` : `exists: ${repo.repositoryUri}`;
    },
  };
}

/**
 * `upload` is the image's push step. A run that uploads nothing adds no image the policy could
 * expire, so it does not read the policy: the next run that uploads puts a changed keepImages in
 * place. (This keeps a no-op `ship` to a handful of reads.)
 */
export function lifecycleStep(image: ImageState, upload?: Pick<PushStep, "needsUpload">): Step {
  const want = image.spec.registry as EcrRegistry;
  const text = lifecyclePolicy(want.keepImages);
  return {
    id: "ecr.lifecycle-policy",
    group: image.spec.key === "app" ? undefined : image.spec.key,
    title: () => `Lifecycle policy: keep the newest ${want.keepImages} images in ${want.repository}`,
    describe: () => [{
      kind: "aws", command: "ECR.PutLifecyclePolicy", input: { repositoryName: want.repository, lifecyclePolicyText: text },
      note: "checked (GetLifecyclePolicy) when an image is uploaded; put if it differs",
    }],
    async isDone(ctx) {
      if (upload && !(await upload.needsUpload(ctx).catch(() => true))) {
        return "not checked: no image is uploaded this run (it is checked whenever one is)";
      }
      const have = await getLifecyclePolicyText(ctx.aws, want.repository);
      return have && JSON.stringify(JSON.parse(have)) === text ? "already set" : false;
    },
    async run(ctx) {
      await putLifecyclePolicy(ctx.aws, want.repository, text);
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
    run: async (ctx) => ((await deleteRepository(ctx.aws, repository)) ? "deleted" : "already gone"),
  };
}
