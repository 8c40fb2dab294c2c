// Hostile or broken config files: each is exit 2 with one line naming the file, never exit 70 and
// never silently changed. Through the CLI, in-process, in a temp folder removed after each test.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { loadConfig } from "../../src/config/load.js";
import { unreadable } from "../../src/config/read.js";

const made: string[] = [];
afterEach(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), "logship-config-input-"));
  made.push(d);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(d, name), text);
  return d;
}

const build = (cwd: string, ...argv: string[]) =>
  runCli(["build", "--dry-run", ...argv], { cwd, env: { CI: "1", LOGSHIP_DOCKER: "/nonexistent/docker" } });

/** Nine levels of nine aliases: 9^9 = 387 million strings once expanded. */
const BILLION_LAUGHS = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
  ..."bcdefghi".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`)].join("\n") + "\n";

describe("config files logship cannot use: exit 2, one line naming the file", () => {
  it("a directory, given with --config or found as logship.yaml", async () => {
    const cwd = await project({ Dockerfile: "FROM scratch\n" });
    await mkdir(path.join(cwd, "conf.yaml"));
    let r = await build(cwd, "-c", "conf.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: conf.yaml: is a directory, not a config file\n  hint: pass the path of a logship.yaml or logship.json\n");
    await mkdir(path.join(cwd, "logship.yaml"));
    r = await build(cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: logship.yaml: is a directory, not a config file\n");
  });

  it("a file it may not read (EACCES) is named, with what to check", () => {
    // Root reads every file, so the real EACCES is in config-eacces.test.ts; this is the wording.
    const err = Object.assign(new Error("EACCES: permission denied, open '/p/logship.yaml'"), { code: "EACCES", errno: -13, syscall: "open" });
    const e = unreadable(err, "logship.yaml");
    expect(e.message).toBe("logship.yaml: cannot read it: permission denied");
    expect(e.hint).toBe("check its permissions (ls -l), or run logship as a user who may read it");
  });

  it("a symlink loop is named too", async () => {
    const cwd = await project({});
    await symlink(path.join(cwd, "logship.yaml"), path.join(cwd, "logship.yaml"));
    const r = await build(cwd, "-c", "logship.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: logship.yaml: cannot read it: it is a loop of symbolic links\n");
  });

  it.each([["logship.yaml", "app: a\n"], ["logship.staging.yaml", ""]])("a YAML alias bomb in %s", async (bombFile) => {
    const files: Record<string, string> = { "logship.yaml": "app: a\nversion: '1'\n", Dockerfile: "FROM scratch\n" };
    files[bombFile] = `${files[bombFile] ?? ""}${BILLION_LAUGHS}`;
    const cwd = await project(files);
    const r = await build(cwd, ...(bombFile === "logship.yaml" ? [] : ["--env", "staging"]));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${bombFile}: not valid YAML: its aliases (*name) expand to too much data (a "billion laughs" file)\n` +
      "  hint: a logship config needs no aliases: write the values out\n");
  });

  it("-c /dev/zero: read up to the cap, then refused", async () => {
    const r = await build(await project({}), "-c", "/dev/zero");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: /dev/zero: is longer than the 1 MB a config file may have\n");
  });

  it("a file over 1 MB is refused before it is read", async () => {
    const cwd = await project({ "logship.yaml": `app: a\n${"# padding\n".repeat(110_000)}` });
    const r = await build(cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: logship.yaml: is 1.0 MB, over the 1 MB a config file may have\n");
  });

  it("a nesting 400,000 lists deep (JSON.parse takes it; the rest would overflow the stack)", async () => {
    const cwd = await project({ "logship.json": `{"app":"a","v":${"[".repeat(400_000)}${"]".repeat(400_000)}}` });
    const r = await build(cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: logship.json: nested more than 64 levels deep; a logship config needs fewer than 10\n");
  });

  it.each([
    ["YAML", "logship.yaml", 'app: a\nversion: "1"\nenv:\n  TOKEN: "ab\\0cd"\n'],
    ["JSON", "logship.json", '{"app": "a", "version": "1", "targets": {"local": {"env": {"TOKEN": "ab\\u0000cd"}}}}'],
  ])("a NUL byte in an env value (%s): names the field", async (_kind, name, text) => {
    const cwd = await project({ [name]: text, Dockerfile: "FROM scratch\n" });
    const r = await build(cwd);
    expect(r.code).toBe(2);
    const field = name.endsWith(".json") ? "targets.local.env.TOKEN" : "env.TOKEN";
    expect(r.stderr).toBe(`error: ${name}: 1 problem in the config:\n  ${field}: contains a NUL byte (\\0), which no environment variable or argument can hold: remove it\n`);
  });
});

describe("large mappings", () => {
  const envBlock = (n: number, extra = "") => `app: a\nenv:\n${Array.from({ length: n }, (_, i) => `  K${i}: v${i}\n`).join("")}${extra}`;

  it("an env block of 200,000 keys (3.4 MB) is refused at once by the size cap", async () => {
    const cwd = await project({ "logship.yaml": envBlock(200_000) });
    const r = await build(cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: logship.yaml: is 3.4 MB, over the 1 MB a config file may have\n");
  });

  it("60,000 keys under the cap load, and a duplicate among them is found, at its line", async () => {
    const cwd = await project({ "logship.yaml": envBlock(60_000) });
    expect(Object.keys((await loadConfig({ cwd, env: {} })).config.env)).toHaveLength(60_000);
    await writeFile(path.join(cwd, "logship.yaml"), envBlock(60_000, "  K17: again\n"));
    await expect(loadConfig({ cwd, env: {} })).rejects.toThrow('logship.yaml:60003:3: not valid YAML: duplicate key "K17" (first set at line 20)');
  }, 30_000);
});
