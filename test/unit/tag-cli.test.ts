// The tag policy as a user meets it: through `build --dry-run` (text and --json), `push` and
// `deploy`, in a real git repository. No Docker needed: a dry run builds nothing.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

let root: string;
let app: string;
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=logship test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd: root, stdio: "pipe", env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined },
  }).toString().trim();

async function write(rel: string, text: string) {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), text);
}

/** A monorepo: the app in services/api (context "."), another folder beside it. */
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "logship-tagcli-"));
  app = path.join(root, "services/api");
  await write("services/api/logship.yaml", 'app: api\nversion: "1.4.0"\nimage: { tag: "{version}-{git.short}" }\ntargets: { local: { port: 8000 } }\n');
  await write("services/api/Dockerfile", "FROM busybox:1.36\nCOPY . /app\nUSER app\n");
  await write("services/api/.dockerignore", "*.log\nreports/\n");
  await write("services/api/main.py", "print('hi')\n");
  await write("services/web/index.js", "1\n");
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "first");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCli(argv, { cwd: app, env: { CI: "1", PATH: process.env.PATH } });
async function tagOf(...argv: string[]): Promise<string> {
  const r = await cli("--json", ...argv, "--dry-run");
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return JSON.parse(r.stdout).images[0].tag;
}

describe("the dirty marker covers what reaches the image", () => {
  it("build --dry-run prints the tag and --json gives the same one", async () => {
    const short = git("rev-parse", "--short=7", "HEAD");
    const text = await cli("build", "--dry-run");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout + text.stderr).toContain(`api:1.4.0-${short}`);
    expect(await tagOf("build")).toBe(`1.4.0-${short}`);
  });

  it("a build log, an ignored folder or another folder of the monorepo changes nothing, in build, push or deploy", async () => {
    const short = git("rev-parse", "--short=7", "HEAD");
    await write("services/api/build.log", "step 1/3\n");
    await write("services/api/reports/junit.xml", "<testsuite/>\n");
    await write("services/web/index.js", "2\n");
    await write("notes.txt", "outside the context\n");
    expect(await tagOf("build")).toBe(`1.4.0-${short}`);
    expect(await tagOf("push", "local")).toBe(`1.4.0-${short}`);
    expect(await tagOf("deploy", "local")).toBe(`1.4.0-${short}`);
  });

  it("a change in the context gives -dirty.<hash>, the same in build, push and deploy until those files change", async () => {
    const short = git("rev-parse", "--short=7", "HEAD");
    await write("services/api/main.py", "print('changed')\n");
    const built = await tagOf("build");
    expect(built).toMatch(new RegExp(`^1\\.4\\.0-${short}-dirty\\.[0-9a-f]{8}$`));
    await write("services/api/build.log", "built\n");
    await write("services/web/index.js", "3\n");
    expect(await tagOf("push", "local")).toBe(built);
    expect(await tagOf("deploy", "local")).toBe(built);
    await write("services/api/new.py", "x = 1\n");
    expect(await tagOf("deploy", "local")).not.toBe(built);
  });

  it("a changed Dockerfile outside the context makes the tag dirty", async () => {
    await write("services/api/logship.yaml", 'app: api\nversion: "1.4.0"\nimage: { tag: "{version}", context: src, dockerfile: docker/Dockerfile }\ntargets: { local: {} }\n');
    await write("services/api/src/main.py", "1\n");
    await write("services/api/docker/Dockerfile", "FROM busybox:1.36\nCOPY . /app\n");
    git("add", "-A");
    git("commit", "-q", "-m", "layout");
    expect(await tagOf("build")).toBe("1.4.0");
    await write("services/api/docker/Dockerfile", "FROM busybox:1.37\nCOPY . /app\n");
    expect(await tagOf("build")).toMatch(/^1\.4\.0-dirty\.[0-9a-f]{8}$/);
  });

  it("a context in no git repository is not hashed: a warning, no marker", async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), "logship-tagcli-ctx-"));
    try {
      await writeFile(path.join(outside, "main.py"), "1\n");
      await write("services/api/logship.yaml", `app: api\nversion: "1.4.0"\nimage: { tag: "{version}", context: ${JSON.stringify(outside)} }\ntargets: { local: {} }\n`);
      const r = await cli("--json", "build", "--dry-run");
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).images[0].tag).toBe("1.4.0");
      expect(r.stderr).toContain("the build context is in no git repository, so the tag cannot say whether the image matches a commit (no -dirty marker)");
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("a literal tag is used as written; a dirty context only adds a warning", async () => {
    await write("services/api/main.py", "print('changed')\n");
    const r = await cli("build", "--dry-run", "--tag", "0.0.1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain("api:0.0.1");
    expect(r.stdout + r.stderr).not.toContain("dirty.");
    expect(r.stderr).toMatch(/^warning: --tag: "0\.0\.1" has no placeholder, so it is used as written, but the build context differs from the commit \(main\.py\)/m);
  });
});

describe("an invalid tag is an error naming where it came from", () => {
  const ALLOWED = 'use letters, digits, "_", "." and "-" (not "." or "-" first), at most 128 characters';

  it.each([
    ["has space", `--tag: "has space" is not a valid image tag: ${ALLOWED}`],
    ["a:b", `--tag: "a:b" is not a valid image tag: ${ALLOWED}`],
    ["-lead", `--tag: "-lead" is not a valid image tag: ${ALLOWED}`],
    ["", "--tag: the tag is empty"],
  ])("--tag %j → exit 2", async (tag, message) => {
    const r = await cli("build", "--dry-run", "--tag", tag);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stdout).not.toContain("has-space");
  });

  it("LOGSHIP_TAG is named as the source", async () => {
    const r = await runCli(["build", "--dry-run"], { cwd: app, env: { CI: "1", PATH: process.env.PATH, LOGSHIP_TAG: "x y" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: LOGSHIP_TAG: "x y" is not a valid image tag: ${ALLOWED}`);
  });

  it("a policy whose value does not fit names image.tag and what it gave", async () => {
    await write("services/api/logship.yaml", 'app: api\nversion: "1.0.0+build.5"\nimage: { tag: "{version}" }\ntargets: { local: {} }\n');
    const r = await cli("build", "--dry-run");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: image.tag: "{version}" gives "1.0.0+build.5", which is not a valid image tag: ${ALLOWED}`);
  });
});
