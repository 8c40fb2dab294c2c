import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { readVersion, renderTag, sanitizeTag, unknownPlaceholders } from "../../src/tag-policy.js";
import { readGit, type GitInfo } from "../../src/util/git.js";

const now = new Date("2026-04-23T10:05:09.123Z");
const SHA = "0123456789abcdef0123456789abcdef01234567";
const clean: GitInfo = { sha: SHA, short: "0123456", dirty: false };
const dirty = (dirtyHash: string): GitInfo => ({ ...clean, dirty: true, dirtyHash });

describe("renderTag", () => {
  it.each<[string, string, { version?: string; git?: GitInfo }, string]>([
    ["version", "{version}", { version: "0.0.1" }, "0.0.1"],
    ["git.sha", "{git.sha}", { git: clean }, SHA],
    ["git.short", "{git.short}", { git: clean }, "0123456"],
    ["timestamp (UTC, to the second)", "{timestamp}", {}, "20260423100509"],
    ["literal text around placeholders", "v{version}-{git.short}", { version: "1.2.3", git: clean }, "v1.2.3-0123456"],
    ["all four", "{version}-{git.short}-{timestamp}-{git.sha}", { version: "2.0.0", git: clean }, `2.0.0-0123456-20260423100509-${SHA}`],
    ["a fixed tag", "latest", {}, "latest"],
    ["a dirty tree adds -dirty.<hash>", "{version}", { version: "0.0.1", git: dirty("a1b2c3d4") }, "0.0.1-dirty.a1b2c3d4"],
    ["dirty even when the template has no git placeholder", "{timestamp}", { git: dirty("ffff0000") }, "20260423100509-dirty.ffff0000"],
    ["semver build metadata is sanitised", "{version}", { version: "1.0.0+build.5" }, "1.0.0-build.5"],
  ])("%s", (_name, template, inputs, expected) => {
    expect(renderTag(template, { ...inputs, now })).toBe(expected);
  });

  it("two different dirty trees never share a tag", () => {
    const a = renderTag("{git.short}", { git: dirty("aaaa1111"), now });
    const b = renderTag("{git.short}", { git: dirty("bbbb2222"), now });
    expect(a).not.toBe(b);
    expect(renderTag("{git.short}", { git: clean, now })).not.toBe(a);
  });

  it("a tag cut to 128 characters keeps its -dirty.<hash>, so it never equals the clean tree's tag", () => {
    const long = "{git.sha}-{git.sha}-{git.sha}-{git.sha}";
    const cleanTag = renderTag(long, { git: clean, now });
    const dirtyTag = renderTag(long, { git: dirty("a1b2c3d4"), now });
    expect(cleanTag).toHaveLength(128);
    expect(dirtyTag).toHaveLength(128);
    expect(dirtyTag.endsWith("-dirty.a1b2c3d4")).toBe(true);
    expect(dirtyTag.slice(0, 113)).toBe(cleanTag.slice(0, 113));
  });

  it.each<[string, string, { version?: string; git?: GitInfo }, string, string | undefined]>([
    ["{version} without a version", "{version}", { git: clean }, "image.tag: {version} has no value",
      'add `version:` to logship.yaml, a version to package.json or pyproject.toml, or use a tag like "{git.short}"'],
    ["{git.sha} without git", "{git.sha}", { version: "1" }, "image.tag: {git.sha} needs a git repository with at least one commit",
      'commit first, or use a tag like "{version}"'],
    ["{git.short} without git", "v-{git.short}", {}, "image.tag: {git.short} needs a git repository with at least one commit",
      'commit first, or use a tag like "{version}"'],
    ["an unknown placeholder", "{version}-{branch}", { version: "1" }, "image.tag: unknown placeholder {branch}: use {version}, {git.sha}, {git.short}, {timestamp}", undefined],
    ["an empty result", "...", {}, 'image.tag: "..." renders to an empty tag', undefined],
  ])("%s → UserError", (_name, template, inputs, message, hint) => {
    let error: unknown;
    try {
      renderTag(template, { ...inputs, now });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(message);
    expect((error as UserError).hint).toBe(hint);
  });

  it("unknownPlaceholders lists only the ones it does not know", () => {
    expect(unknownPlaceholders("{version}-{git.sha}-{git.short}-{timestamp}")).toEqual([]);
    expect(unknownPlaceholders("{git}-{Version}-{}")).toEqual(["git", "Version", ""]);
  });
});

describe("sanitizeTag", () => {
  it.each([
    ["1.0.0+build.5", "1.0.0-build.5"],
    ["feature/login", "feature-login"],
    [".hidden", "hidden"],
    ["-.x", "x"],
    ["ok_TAG-1.2", "ok_TAG-1.2"],
    ["a b:c", "a-b-c"],
    ["x".repeat(200), "x".repeat(128)],
    ["é-ü", ""], // nothing left: renderTag reports "renders to an empty tag"
  ])("%s → %s", (input, expected) => {
    expect(sanitizeTag(input)).toBe(expected);
  });

  it("always yields a valid docker tag", () => {
    for (const t of ["+++abc", "ü1", `.${"y".repeat(300)}`, `v${"é".repeat(200)}`]) expect(sanitizeTag(t)).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
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

  it("a directory outside git gives undefined", async () => {
    const d = await dirWith({});
    expect(await readGit(d)).toBeUndefined();
  });

  it("reads sha and short sha of HEAD; clean → not dirty, no hash, no remote", async () => {
    const info = await readGit(repo);
    expect(info).toEqual({ sha: git("rev-parse", "HEAD"), short: git("rev-parse", "HEAD").slice(0, 7), dirty: false, dirtyHash: undefined, remote: undefined });
    expect(info!.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it("a modified file makes it dirty; a different change gives a different hash; reverting makes it clean", async () => {
    await writeFile(path.join(repo, "app.py"), "print('one')\n");
    const one = await readGit(repo);
    expect(one?.dirty).toBe(true);
    expect(one?.dirtyHash).toMatch(/^[0-9a-f]{8}$/);
    expect((await readGit(repo))?.dirtyHash).toBe(one?.dirtyHash);

    await writeFile(path.join(repo, "app.py"), "print('two')\n");
    const two = await readGit(repo);
    expect(two?.dirty).toBe(true);
    expect(two?.dirtyHash).not.toBe(one?.dirtyHash);

    await writeFile(path.join(repo, "app.py"), "print('hello')\n");
    expect((await readGit(repo))?.dirty).toBe(false);
  });

  it("an untracked file counts, and its content is part of the hash", async () => {
    const file = path.join(repo, "new.txt");
    await writeFile(file, "a\n");
    const a = await readGit(repo);
    expect(a?.dirty).toBe(true);
    await writeFile(file, "b\n");
    const b = await readGit(repo);
    expect(b?.dirtyHash).not.toBe(a?.dirtyHash);
    await rm(file);
    expect((await readGit(repo))?.dirty).toBe(false);
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
