import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { readVersion, renderTag, tagSource, type TagInputs } from "../../src/tag-policy.js";
import { unknownPlaceholders } from "../../src/tag-template.js";
import { readGit, type GitInfo } from "../../src/util/git.js";

const now = new Date("2026-04-23T10:05:09.123Z");
const SHA = "0123456789abcdef0123456789abcdef01234567";
const clean: GitInfo = { sha: SHA, short: "0123456" };
const ALLOWED = 'use letters, digits, "_", "." and "-" (not "." or "-" first), at most 128 characters';

describe("renderTag", () => {
  it.each<[string, string, Partial<TagInputs>, string]>([
    ["version", "{version}", { version: "0.0.1" }, "0.0.1"],
    ["git.sha", "{git.sha}", { git: clean }, SHA],
    ["git.short", "{git.short}", { git: clean }, "0123456"],
    ["timestamp (UTC, to the second)", "{timestamp}", {}, "20260423100509"],
    ["literal text around placeholders", "v{version}-{git.short}", { version: "1.2.3", git: clean }, "v1.2.3-0123456"],
    ["all four", "{version}-{git.short}-{timestamp}-{git.sha}", { version: "2.0.0", git: clean }, `2.0.0-0123456-20260423100509-${SHA}`],
    ["a fixed tag", "latest", {}, "latest"],
    ["a dirty context adds -dirty.<hash>", "{version}", { version: "0.0.1", git: clean, dirtyHash: "a1b2c3d4" }, "0.0.1-dirty.a1b2c3d4"],
    ["dirty even when the template has no git placeholder", "{timestamp}", { git: clean, dirtyHash: "ffff0000" }, "20260423100509-dirty.ffff0000"],
    ["a literal tag is used as written, dirty or not", "0.0.1", { git: clean, dirtyHash: "a1b2c3d4" }, "0.0.1"],
    ["the platform suffix comes after the marker", "{version}", { version: "1", dirtyHash: "a1b2c3d4", suffix: "-arm64" }, "1-dirty.a1b2c3d4-arm64"],
  ])("%s", (_name, template, inputs, expected) => {
    expect(renderTag(template, { ...inputs, now })).toBe(expected);
  });

  it("two different dirty contexts never share a tag, nor with the clean one", () => {
    const a = renderTag("{git.short}", { git: clean, dirtyHash: "aaaa1111", now });
    const b = renderTag("{git.short}", { git: clean, dirtyHash: "bbbb2222", now });
    expect(a).not.toBe(b);
    expect(renderTag("{git.short}", { git: clean, now })).not.toBe(a);
  });

  function failure(template: string, inputs: Partial<TagInputs>): UserError {
    try {
      renderTag(template, { ...inputs, now });
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return e as UserError;
    }
    throw new Error(`renderTag(${JSON.stringify(template)}) did not throw`);
  }

  it.each<[string, string, Partial<TagInputs>, string, string | undefined]>([
    ["{version} without a version", "{version}", { git: clean }, "image.tag: {version} has no value",
      'add `version:` to logship.yaml, a version to package.json or pyproject.toml, or use a tag like "{git.short}"'],
    ["{git.sha} without git", "{git.sha}", { version: "1" }, "image.tag: {git.sha} needs a git repository with at least one commit",
      'commit first, or use a tag like "{version}"'],
    ["{git.short} without git", "v-{git.short}", {}, "image.tag: {git.short} needs a git repository with at least one commit",
      'commit first, or use a tag like "{version}"'],
    ["an unknown placeholder", "{version}-{branch}", { version: "1" }, "image.tag: unknown placeholder {branch}: use {version}, {git.sha}, {git.short}, {timestamp}", undefined],
    ["dots only", "...", {}, `image.tag: "..." is not a valid image tag: ${ALLOWED}`, undefined],
    ["a space, from --tag", "has space", { source: "--tag" }, `--tag: "has space" is not a valid image tag: ${ALLOWED}`, undefined],
    ["a colon", "a:b", { source: "--tag" }, `--tag: "a:b" is not a valid image tag: ${ALLOWED}`, undefined],
    ["a slash", "feature/login", {}, `image.tag: "feature/login" is not a valid image tag: ${ALLOWED}`, undefined],
    ["a leading dash", "-x", {}, `image.tag: "-x" is not a valid image tag: ${ALLOWED}`, undefined],
    ["non-ASCII", "v-é", {}, `image.tag: "v-é" is not a valid image tag: ${ALLOWED}`, undefined],
    ["an empty --tag", "", { source: "--tag" }, "--tag: the tag is empty",
      'give a tag or a template such as "{git.short}", or leave the flag out to use image.tag'],
    ["semver build metadata", "{version}", { version: "1.0.0+build.5" }, `image.tag: "{version}" gives "1.0.0+build.5", which is not a valid image tag: ${ALLOWED}`,
      '{version} is "1.0.0+build.5": set a version without those characters (semver\'s "+build" part cannot be in a tag), or use another placeholder'],
    ["bad literal text around a placeholder", "v {git.short}", { git: clean }, `image.tag: "v {git.short}" gives "v 0123456", which is not a valid image tag: ${ALLOWED}`,
      "change the literal text in the template"],
    ["129 characters", "x".repeat(129), {}, `image.tag: "${"x".repeat(129)}" is 129 characters long; Docker allows 128`, undefined],
    ["over 128 with the marker", "{git.sha}-{git.sha}-{git.sha}", { git: clean, dirtyHash: "a1b2c3d4" },
      `image.tag: "{git.sha}-{git.sha}-{git.sha}" gives "${SHA}-${SHA}-${SHA}", which is 137 characters long with "-dirty.a1b2c3d4" for the uncommitted changes; Docker allows 128`,
      "change the literal text in the template"],
  ])("%s → UserError", (_name, template, inputs, message, hint) => {
    const e = failure(template, inputs);
    expect(e.message).toBe(message);
    expect(e.hint).toBe(hint);
  });

  it("128 characters is the limit, not an error", () => {
    expect(renderTag("x".repeat(128), { now })).toHaveLength(128);
  });

  it("unknownPlaceholders lists only the ones it does not know", () => {
    expect(unknownPlaceholders("{version}-{git.sha}-{git.short}-{timestamp}")).toEqual([]);
    expect(unknownPlaceholders("{git}-{Version}-{}")).toEqual(["git", "Version", ""]);
  });

  it("tagSource: --tag, then LOGSHIP_TAG, then the config", () => {
    expect(tagSource({ tag: "" }, { LOGSHIP_TAG: "x" })).toBe("--tag");
    expect(tagSource({}, { LOGSHIP_TAG: "x" })).toBe("LOGSHIP_TAG");
    expect(tagSource({}, {})).toBe("image.tag");
  });
});

async function dirWith(files: Record<string, string>): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), "logship-tag-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(d, name), text);
  return d;
}

describe("readVersion", () => {
  const pkg = JSON.stringify({ name: "x", version: "1.2.3" });
  const pep621 = '[build-system]\nversion = "9.9.9"\n\n[project]\nname = "x"\nversion = "2.0.0"\n';
  const poetry = '[tool.black]\nversion = "0.0.0"\n[tool.poetry]\nname = "x"\nversion = \'3.1.4\'\n';

  it.each<[string, Record<string, string>, string | undefined, string | undefined]>([
    ["config wins over package.json", { "package.json": pkg }, "7.0.0", "7.0.0"],
    ["package.json", { "package.json": pkg, "pyproject.toml": pep621 }, undefined, "1.2.3"],
    ["package.json without a version falls through to pyproject", { "package.json": "{}", "pyproject.toml": pep621 }, undefined, "2.0.0"],
    ["broken package.json falls through", { "package.json": "{ nope", "pyproject.toml": pep621 }, undefined, "2.0.0"],
    ["pyproject [project]", { "pyproject.toml": pep621 }, undefined, "2.0.0"],
    ["pyproject [tool.poetry]", { "pyproject.toml": poetry }, undefined, "3.1.4"],
    ["pyproject with a version only in other sections", { "pyproject.toml": '[tool.black]\nversion = "1"\n' }, undefined, undefined],
    ["nothing", {}, undefined, undefined],
  ])("%s", async (_name, files, configured, expected) => {
    const d = await dirWith(files);
    try {
      expect(await readVersion(d, configured)).toBe(expected);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});

describe("readGit on a real repository", () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=logship test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], {
      cwd: repo, stdio: "pipe", env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined },
    }).toString().trim();

  beforeAll(async () => {
    repo = await dirWith({ "app.py": "print('hello')\n" });
    git("init", "-q");
    git("add", "app.py");
    git("commit", "-q", "-m", "first");
  });

  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it("a directory outside git gives undefined", async () => {
    const d = await dirWith({});
    try {
      expect(await readGit(d)).toBeUndefined();
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });

  it("reads sha and short sha of HEAD; no remote", async () => {
    const info = await readGit(repo);
    expect(info).toEqual({ sha: git("rev-parse", "HEAD"), short: git("rev-parse", "HEAD").slice(0, 7), remote: undefined });
    expect(info!.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("a repository with no commit gives undefined", async () => {
    const d = await dirWith({});
    try {
      execFileSync("git", ["init", "-q"], { cwd: d });
      expect(await readGit(d)).toBeUndefined();
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });

  it("reads the origin remote when there is one", async () => {
    git("remote", "add", "origin", "https://example.com/team/app.git");
    try {
      expect((await readGit(repo))?.remote).toBe("https://example.com/team/app.git");
    } finally {
      git("remote", "remove", "origin");
    }
  });
});
