// The tag policy: image.tag is a template of {version} {git.sha} {git.short} {timestamp}.
// When what reaches the image (the build context after .dockerignore, and the Dockerfile) differs
// from the commit, a template gets "-dirty.<hash of those files>", so it never reuses a clean tree's
// tag and stays the same from build to push to deploy while those files do. A literal tag ("0.0.1")
// is used as written; a dirty tree only adds a warning. Nothing is rewritten: a tag Docker would
// refuse is an error that names where it came from.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { contextState } from "./context-state.js";
import { UserError } from "./errors.js";
import type { ImageSpec } from "./images.js";
import type { Context } from "./steps/types.js";
import type { GitInfo } from "./util/git.js";
import { HAS_PLACEHOLDER, PLACEHOLDER, PLACEHOLDERS, unknownPlaceholders } from "./tag-template.js";

/** Docker's tag grammar (distribution/reference): a word character first, then up to 127 of [\w.-]. */
export const TAG_GRAMMAR = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const ALLOWED = 'use letters, digits, "_", "." and "-" (not "." or "-" first), at most 128 characters';

export interface TagInputs {
  version?: string;
  git?: GitInfo;
  now: Date;
  /** The build context's hash when it differs from HEAD (see context-state.ts). */
  dirtyHash?: string;
  /** Appended after the dirty marker when two images share a repository ("-arm64"). */
  suffix?: string;
  /** Where the template came from, for messages: "--tag", "LOGSHIP_TAG" or "image.tag". */
  source?: string;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14);

/** Pure: the template with its placeholders filled, the dirty marker and suffix added, checked against Docker's grammar. */
export function renderTag(template: string, inputs: TagInputs): string {
  const field = inputs.source ?? "image.tag";
  if (!template) throw new UserError(`${field}: the tag is empty`, 'give a tag or a template such as "{git.short}", or leave the flag out to use image.tag');
  const unknown = unknownPlaceholders(template);
  if (unknown.length) {
    throw new UserError(`${field}: unknown placeholder {${unknown[0]}}: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`);
  }
  const rendered = template.replace(PLACEHOLDER, (_, name: string) => {
    if (name === "timestamp") return stamp(inputs.now);
    if (name === "version") {
      if (!inputs.version) {
        throw new UserError(
          `${field}: {version} has no value`,
          "add `version:` to logship.yaml, a version to package.json or pyproject.toml, or use a tag like \"{git.short}\"",
        );
      }
      return inputs.version;
    }
    if (!inputs.git) {
      throw new UserError(`${field}: {${name}} needs a git repository with at least one commit`, "commit first, or use a tag like \"{version}\"");
    }
    return name === "git.sha" ? inputs.git.sha : inputs.git.short;
  });
  const literal = !HAS_PLACEHOLDER.test(template);
  const shown = literal ? JSON.stringify(template) : `${JSON.stringify(template)} gives ${JSON.stringify(rendered)}, which`;
  const badVersion = template.includes("{version}") && !/^[A-Za-z0-9_.-]*$/.test(inputs.version ?? "");
  const hint = literal ? undefined : badVersion
    ? `{version} is ${JSON.stringify(inputs.version)}: set a version without those characters (semver's "+build" part cannot be in a tag), or use another placeholder`
    : "change the literal text in the template";
  if (!TAG_GRAMMAR.test(rendered.slice(0, 128))) throw new UserError(`${field}: ${shown} is not a valid image tag: ${ALLOWED}`, hint);
  const marker = inputs.dirtyHash && !literal ? `-dirty.${inputs.dirtyHash}` : "";
  const tag = rendered + marker + (inputs.suffix ?? "");
  if (tag.length > 128) {
    const added = [marker && `"${marker}" for the uncommitted changes`, inputs.suffix && `"${inputs.suffix}" for the platform`].filter(Boolean).join(" and ");
    throw new UserError(`${field}: ${shown} is ${tag.length} characters long${added ? ` with ${added}` : ""}; Docker allows 128`, hint);
  }
  return tag;
}

/** Where image.tag came from this run: `--tag` beats LOGSHIP_TAG beats the config files (config/load.ts). */
export function tagSource(options: Record<string, unknown>, env: NodeJS.ProcessEnv): string {
  if (typeof options.tag === "string") return "--tag";
  return env.LOGSHIP_TAG ? "LOGSHIP_TAG" : "image.tag";
}

/** The tag for one image: reads the build context only when git can say whether it is the commit. */
export async function tagForImage(ctx: Context, spec: ImageSpec, inputs: { version?: string; now: Date }): Promise<string> {
  const template = typeof ctx.options.tag === "string" ? ctx.options.tag : ctx.config.image.tag;
  const source = tagSource(ctx.options, ctx.env);
  const base = { ...inputs, git: ctx.git, suffix: spec.tagSuffix, source };
  renderTag(template, base); // a bad tag fails before the context is read
  const state = ctx.git ? await contextState(spec.context, spec.dockerfile) : undefined;
  if (ctx.git && !state) {
    ctx.reporter.warn(`${path.relative(ctx.cwd, spec.context) || "."}: the build context is in no git repository, so the tag cannot say whether the image matches a commit (no -dirty marker)`);
  }
  const tag = renderTag(template, { ...base, dirtyHash: state?.dirty ? state.hash : undefined });
  if (state?.dirty && !HAS_PLACEHOLDER.test(template)) {
    const shown = state.changed.slice(0, 3).map((f) => path.relative(ctx.cwd, path.resolve(spec.context, f)) || f).join(", ");
    ctx.reporter.warn(
      `${source}: ${JSON.stringify(template)} has no placeholder, so it is used as written, but the build context differs from the commit ` +
      `(${shown}${state.changed.length > 3 ? `, and ${state.changed.length - 3} more` : ""}): the image under this tag may not match any commit`,
    );
  }
  return tag;
}

/** config `version` > package.json > pyproject.toml ([project] or [tool.poetry]). */
export async function readVersion(root: string, configured?: string): Promise<string | undefined> {
  if (configured) return configured;
  const pkg = await readFile(path.join(root, "package.json"), "utf8").catch(() => undefined);
  if (pkg) {
    try {
      const v = JSON.parse(pkg).version;
      if (typeof v === "string" && v) return v;
    } catch {
      /* not our file to judge; fall through */
    }
  }
  const py = await readFile(path.join(root, "pyproject.toml"), "utf8").catch(() => undefined);
  if (py) {
    let section = "";
    for (const line of py.split("\n")) {
      const header = /^\s*\[([^\]]+)\]/.exec(line);
      if (header) section = header[1].trim();
      const m = /^\s*version\s*=\s*["']([^"']+)["']/.exec(line);
      if (m && (section === "project" || section === "tool.poetry")) return m[1];
    }
  }
  return undefined;
}
