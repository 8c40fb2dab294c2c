// Which tags an ECR repository lets a push overwrite. Since 2025 a repository is MUTABLE, IMMUTABLE,
// or either "_WITH_EXCLUSION": up to 5 WILDCARD filters whose tags take the opposite setting
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html,
// API_ImageTagMutabilityExclusionFilter.html: [0-9a-zA-Z._*-]{1,128}; 5 filters, 2 wildcards:
// terraform-provider-aws#43642). logship reads them (DescribeRepositories answers
// imageTagMutabilityExclusionFilters) so that a re-push to a protected tag is refused before docker
// uploads anything, as for IMMUTABLE.
import type { Repository } from "../aws/ecr.js";
import type { ImageRegistry } from "../images.js";

type EcrRegistry = Extract<ImageRegistry, { type: "ecr" }>;

export interface TagRules {
  /** MUTABLE, IMMUTABLE, MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION. */
  mutability: string;
  /** The WILDCARD filters' values, e.g. "dev-*". */
  exclusions: string[];
}

/** What logship.yaml asks for: registry.tagMutability, plus _WITH_EXCLUSION when tagMutabilityExclusions lists filters. */
export function wantedRules(r: EcrRegistry): TagRules {
  const exclusions = r.tagMutabilityExclusions ?? [];
  return { mutability: exclusions.length ? `${r.tagMutability}_WITH_EXCLUSION` : r.tagMutability, exclusions };
}

export const repositoryRules = (repo: Repository): TagRules => ({
  // An omitted setting is MUTABLE (API_CreateRepository.html).
  mutability: repo.imageTagMutability ?? "MUTABLE",
  exclusions: (repo.imageTagMutabilityExclusionFilters ?? []).map((f) => f.filter!).filter(Boolean),
});

export const exclusionFilters = (rules: TagRules) => rules.exclusions.map((filter) => ({ filterType: "WILDCARD" as const, filter }));

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * Does the repository already have what the config asks? Without filters in the config, a repository
 * whose exclusions were set elsewhere counts as its base setting: logship never undoes them.
 */
export function rulesMatch(have: TagRules, want: TagRules): boolean {
  if (!want.exclusions.length) return have.mutability === want.mutability || have.mutability === `${want.mutability}_WITH_EXCLUSION`;
  return have.mutability === want.mutability && sameSet(have.exclusions, want.exclusions);
}

/** A WILDCARD filter matches the whole tag; * stands for any run of characters. */
export const filterMatches = (filter: string, tag: string) =>
  new RegExp(`^${filter.split("*").map((s) => s.replace(/[.\-\\^$+?()[\]{}|]/g, "\\$&")).join(".*")}$`).test(tag);

/** Why the repository refuses to overwrite `tag`, or undefined when it may be overwritten. */
export function protection(rules: TagRules, tag: string): string | undefined {
  const hit = rules.exclusions.find((f) => filterMatches(f, tag));
  switch (rules.mutability) {
    case "IMMUTABLE":
      return "the repository is immutable";
    case "IMMUTABLE_WITH_EXCLUSION":
      return hit ? undefined : `the repository is immutable and the tag matches none of its exclusion filters (${rules.exclusions.join(", ")})`;
    case "MUTABLE_WITH_EXCLUSION":
      return hit ? `the tag matches the repository's exclusion filter ${hit}, which makes it immutable` : undefined;
    default:
      return undefined;
  }
}
