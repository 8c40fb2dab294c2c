// The placeholders an image.tag template may hold. A leaf module, so the config schema can check a
// template without depending on the tag policy (which needs the run's context).
export const PLACEHOLDERS = ["version", "git.sha", "git.short", "timestamp"] as const;
export const PLACEHOLDER = /\{([^{}]*)\}/g;
export const HAS_PLACEHOLDER = /\{[^{}]*\}/;

export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
}
