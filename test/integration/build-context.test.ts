// What `docker build` really sends, beside what logship computes (src/build-context.ts): a context
// full of .dockerignore edge cases is built by the real engine with `COPY . /ctx`, and the files
// found in the image are compared with logship's list, which the tag policy hashes and doctor reads.
// (Heredocs need BuildKit, which this engine lacks: the parser side is in test/unit/dockerfile-lint.test.ts.)
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { contextEntries, readDockerignore } from "../../src/build-context.js";
import { listContext, readGitView } from "../../src/context-listing.js";
import { dataFilesInContext } from "../../src/doctor/context-files.js";
import { docker, realParts, runCli, uniqueName } from "./helpers.js";

const parts = await realParts(false);

const DOCKERIGNORE = [
  "# a comment; the next line is a pattern, because # starts a comment only in column 1",
  " #literal", // so the file "#literal" is left out
  "*.log", // the top level only: docker's * does not cross "/"
  "**/*.tmp", // any depth, the top level too
  "data", // a folder …
  "!data/keep.db", // … with one file brought back: docker walks in for it
  "cache/**", // matches cache/a, not cache itself …
  "!cache/**/important.txt", // … so cache/important.txt is sent, but cache/a is never walked into
  "secret",
  "!**/secret/allowed.txt", // does NOT reopen secret/: the exception does not start with "secret/"
  "docs/*.md",
  "!docs/README.md",
  "Dockerfile", // sent for the build, then removed by the engine: not in /ctx
  "/abs/",
  "",
].join("\n");

const FILES = [
  "main.py", "app.log", "Upper.LOG", "sub/x.log", "sub/deep/a.tmp", "b.tmp", "keep.txt.tmp.not",
  "data/keep.db", "data/drop.db", "data/nested/n.db", "logs.db",
  "cache/a/important.txt", "cache/a/other.txt", "cache/important.txt",
  "secret/allowed.txt", "secret/x", "docs/README.md", "docs/guide.md", "docs/sub/deep.md",
  "abs/f", "with space.txt", "#literal", "exec.sh",
];

describe.skipIf(parts.skip)("the build context: logship's list is what docker build sends (real Docker)", () => {
  let dir: string;
  const app = uniqueName("ctx");
  let image: string | undefined;
  beforeAll(async () => {
    parts.assert();
    dir = await mkdtemp(path.join(os.tmpdir(), "logship-buildctx-"));
    for (const f of FILES) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), `${f}\n`);
    }
    await chmod(path.join(dir, "exec.sh"), 0o755);
    await symlink("main.py", path.join(dir, "link.py"));
    await writeFile(path.join(dir, ".dockerignore"), DOCKERIGNORE);
    await writeFile(path.join(dir, "Dockerfile"), "FROM logship-busybox:local\nCOPY . /ctx\n");
    await writeFile(path.join(dir, "logship.yaml"), `app: ${app}\nversion: "1.0.0"\nimage: { tag: "{version}" }\ntargets: { local: {} }\n`);
    // A repository where some files are committed, some untracked, some ignored by git: the tag
    // policy lists the context from git's lists, and those must give docker's list too.
    await writeFile(path.join(dir, ".gitignore"), "cache/\n*.db\n");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, stdio: "pipe" });
    git("init", "-q");
    git("add", "main.py", "docs", "secret", "exec.sh", "link.py", "Dockerfile", ".dockerignore", ".gitignore");
    git("commit", "-q", "-m", "some files");
  });
  afterAll(async () => {
    if (image) await docker("rmi", "--force", image);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("same files, negated patterns and ** included; the daemon drops the ignored Dockerfile", async () => {
    const build = await runCli(["--json", "build"], dir);
    expect(build.code, build.stderr).toBe(0);
    const built: string = JSON.parse(build.stdout).images[0].local[0];
    image = built;
    expect(built).toMatch(new RegExp(`^${app}:1\\.0\\.0-dirty\\.[0-9a-f]{8}$`)); // untracked files reach the image
    const found = await docker("run", "--rm", built, "busybox", "find", "/ctx", "(", "-type", "f", "-o", "-type", "l", ")");
    expect(found.exitCode, found.stderr).toBe(0);
    const sent = found.stdout.split("\n").filter(Boolean).map((p) => p.replace(/^\/ctx\//, "")).sort();

    const { rules } = await readDockerignore(dir, path.join(dir, "Dockerfile"));
    const computed = (await contextEntries(dir, rules)).map((e) => e.path);
    expect(computed).toEqual(sent);
    const fromGit = (await listContext(dir, rules, new Set([".git"]), (await readGitView(dir))!)).map((e) => e.path);
    expect(fromGit).toEqual(sent.filter((p) => !p.startsWith(".git/")));
    // The cases this context is made of, spelled out so a wrong list reads plainly.
    expect(sent.filter((p) => !p.startsWith(".git/"))).toEqual([
      ".dockerignore", ".gitignore", "Upper.LOG", "cache/important.txt", "data/keep.db", "docs/README.md", "docs/sub/deep.md",
      "exec.sh", "keep.txt.tmp.not", "link.py", "logs.db", "logship.yaml", "main.py", "sub/x.log", "with space.txt",
    ]);
    expect(await dataFilesInContext(dir, path.join(dir, "Dockerfile"))).toEqual(sent.filter((p) => p.endsWith(".db")));
  }, 120_000);
});
