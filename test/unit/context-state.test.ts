// Whether the files that reach the image are the commit, on real git repositories.
import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contextEntries, readDockerignore } from "../../src/build-context.js";
import { listContext, readGitView } from "../../src/context-listing.js";
import { contextState } from "../../src/context-state.js";

let repo: string;
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=logship test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo, stdio: "pipe", env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined },
  }).toString().trim();
async function write(rel: string, text: string) {
  await mkdir(path.dirname(path.join(repo, rel)), { recursive: true });
  await writeFile(path.join(repo, rel), text);
}
const state = async (context = "app", dockerfile = "app/Dockerfile") => (await contextState(path.join(repo, context), path.join(repo, dockerfile)))!;

beforeEach(async () => {
  repo = await mkdtemp(path.join(os.tmpdir(), "logship-ctxstate-"));
  await write("app/Dockerfile", "FROM x:1\nCOPY . /app\n");
  await write("app/.dockerignore", "*.log\ncache/\n!cache/keep.txt\n");
  await write("app/main.py", "print(1)\n");
  await write("app/lib/util.py", "x = 1\n");
  await write("docs/readme.md", "docs\n");
  await write(".gitignore", "app/secret.env\n");
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "first");
});
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

describe("contextState", () => {
  it("a clean context is not dirty and has a stable hash", async () => {
    const a = await state();
    expect(a).toMatchObject({ dirty: false, changed: [], files: 4 });
    expect(a.hash).toMatch(/^[0-9a-f]{8}$/);
    expect((await state()).hash).toBe(a.hash);
  });

  it("files outside the context or excluded by .dockerignore change nothing", async () => {
    const before = await state();
    await write("app/build.log", "log\n");
    await write("app/cache/blob.bin", "x\n");
    await write("docs/readme.md", "changed\n");
    await write("report.xml", "<x/>\n");
    expect(await state()).toEqual(before);
  });

  it("a modified, a new, a deleted file: dirty, each named, and each its own hash", async () => {
    const clean = await state();
    await write("app/main.py", "print(2)\n");
    const modified = await state();
    expect(modified).toMatchObject({ dirty: true, changed: ["main.py"] });
    expect(modified.hash).not.toBe(clean.hash);

    await write("app/new.py", "y = 2\n");
    const added = await state();
    expect(added.changed).toEqual(["main.py", "new.py"]);
    expect(added.hash).not.toBe(modified.hash);

    await rm(path.join(repo, "app/lib/util.py"));
    expect((await state()).changed).toEqual(["lib/util.py", "main.py", "new.py"]);
  });

  it("a file git ignores but docker sends makes it dirty (the image would differ from the commit)", async () => {
    await write("app/secret.env", "TOKEN=1\n");
    expect(await state()).toMatchObject({ dirty: true, changed: ["secret.env"] });
  });

  it("an exception under an excluded folder is sent, so it counts", async () => {
    await write("app/cache/keep.txt", "kept\n");
    expect((await state()).changed).toEqual(["cache/keep.txt"]);
  });

  it("the executable bit counts; a touched but unchanged file does not", async () => {
    await utimes(path.join(repo, "app/main.py"), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect((await state()).dirty).toBe(false);
    await chmod(path.join(repo, "app/main.py"), 0o755);
    expect((await state()).changed).toEqual(["main.py"]);
  });

  it("a symlink is hashed as a link, by its target", async () => {
    await symlink("main.py", path.join(repo, "app/link.py"));
    const a = await state();
    expect(a.changed).toEqual(["link.py"]);
    git("add", "-A");
    git("commit", "-q", "-m", "link");
    expect((await state()).dirty).toBe(false);
  });

  it("reverting a change makes it clean again, with the clean hash", async () => {
    const clean = await state();
    await write("app/main.py", "print(2)\n");
    git("add", "app/main.py"); // staged but not committed is still not the commit
    expect((await state()).dirty).toBe(true);
    await write("app/main.py", "print(1)\n");
    git("add", "app/main.py");
    expect(await state()).toEqual(clean);
  });

  it("a Dockerfile outside the context counts, by its content", async () => {
    await write("docker/Dockerfile", "FROM x:1\n");
    git("add", "-A");
    git("commit", "-q", "-m", "df");
    const clean = await state("app", "docker/Dockerfile");
    expect(clean.dirty).toBe(false);
    await write("docker/Dockerfile", "FROM x:2\n");
    const changed = await state("app", "docker/Dockerfile");
    expect(changed).toMatchObject({ dirty: true, changed: ["../docker/Dockerfile"] });
    expect(changed.hash).not.toBe(clean.hash);
  });

  it(".git is not hashed: git rewriting its own files changes nothing", async () => {
    const before = await state(".", "app/Dockerfile");
    git("gc", "-q");
    git("tag", "v1");
    expect(await state(".", "app/Dockerfile")).toEqual(before);
  });

  it("a context in no repository is not read at all (it could be a whole disk)", async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), "logship-ctxstate-nogit-"));
    try {
      await writeFile(path.join(outside, "Dockerfile"), "FROM x:1\n");
      expect(await contextState(outside, path.join(outside, "Dockerfile"))).toBeUndefined();
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("git's lists give the same files as walking the context", async () => {
    await write(".gitignore", "app/secret.env\nnode_modules/\n*.pyc\n");
    await write("app/node_modules/pkg/index.js", "1\n"); // git-ignored folder docker sends: walked
    await write("app/lib/util.pyc", "x"); // git-ignored file docker sends
    await write("app/cache/keep.txt", "k\n"); // dockerignored folder with an exception under it
    await write("app/cache/drop.txt", "d\n");
    await write("app/untracked/a.txt", "a\n");
    await write("app/nested/.git/HEAD", "ref: refs/heads/main\n"); // a nested repository: git lists it as a folder
    await write("app/nested/n.txt", "n\n");
    await rm(path.join(repo, "app/lib/util.py"));
    await mkdir(path.join(repo, "app/lib/util.py")); // a tracked file replaced by a folder
    await write("app/lib/util.py/inner.py", "i\n");
    await symlink("../main.py", path.join(repo, "app/lib/link.py"));
    const context = path.join(repo, "app");
    const { rules } = await readDockerignore(context);
    const skip = new Set([".git"]);
    const walked = await contextEntries(context, rules, skip);
    expect(await listContext(context, rules, skip, (await readGitView(context))!)).toEqual(walked);
    expect(walked.map((e) => e.path)).toEqual([
      ".dockerignore", "Dockerfile", "cache/keep.txt", "lib/link.py", "lib/util.py/inner.py", "lib/util.pyc", "main.py",
      "nested/n.txt", "node_modules/pkg/index.js", "untracked/a.txt",
    ]);
  });

  it("a context git ignores as a whole is listed by walking it, and is never the commit", async () => {
    await write(".gitignore", "generated/\n");
    await write("generated/Dockerfile", "FROM x:1\n");
    await write("generated/app.js", "1\n");
    const s = await state("generated", "generated/Dockerfile");
    expect(s).toMatchObject({ dirty: true, files: 2, changed: ["Dockerfile", "app.js"] });
    await write("generated/app.js", "2\n");
    expect((await state("generated", "generated/Dockerfile")).hash).not.toBe(s.hash);
  });
});

describe("a context folder that cannot be read", () => {
  it("is a runtime error naming the folder (exit 1), never an internal error", async () => {
    const { contextEntries, parseDockerignore } = await import("../../src/build-context.js");
    const { DeployError } = await import("../../src/errors.js");
    const gone = path.join(os.tmpdir(), `logship-no-such-context-${process.pid}`);
    const e = await contextEntries(gone, parseDockerignore("")).then(() => undefined, (err) => err);
    expect(e).toBeInstanceOf(DeployError);
    expect(e.message).toBe(`${gone}: cannot be read (ENOENT); docker build would fail on it too`);
  });
});

describe("a bounded walk (doctor's)", () => {
  it("stops descending once it has seen maxEntries entries", async () => {
    const { contextEntries, parseDockerignore } = await import("../../src/build-context.js");
    const root = await mkdtemp(path.join(os.tmpdir(), "logship-walk-"));
    try {
      for (const d of ["a", "b", "c"]) {
        await mkdir(path.join(root, d));
        for (let i = 0; i < 5; i++) await writeFile(path.join(root, d, `f${i}`), "x");
      }
      expect(await contextEntries(root, parseDockerignore(""))).toHaveLength(15);
      expect((await contextEntries(root, parseDockerignore(""), new Set(), "", 2)).length).toBeLessThan(15);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
