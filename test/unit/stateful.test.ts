import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDockerignore } from "../../src/build-context.js";
import { dataFilesInContext } from "../../src/doctor/context-files.js";
import { dockerfileChecks, warnIfStateful } from "../../src/doctor/dockerfile-checks.js";
import { imagesFor } from "../../src/images.js";
import { testContext } from "../helpers/context.js";

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function project(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "logship-stateful-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

function contextFor(dir: string, targets: Record<string, unknown>) {
  const t = testContext({ app: "logs", version: "1.0.0", targets });
  t.ctx.loaded = { ...t.ctx.loaded, root: dir, file: path.join(dir, "logship.yaml") };
  t.ctx.cwd = dir;
  for (const spec of imagesFor(t.ctx.config, dir, Object.keys(targets) as never)) {
    t.ctx.images.set(spec.key, { spec, tag: "1.0.0", localRefs: [`logs:1.0.0`] });
  }
  return t;
}

describe(".dockerignore matching", () => {
  it.each([
    [["*.db"], "logs.db", true],
    [["*.db"], "data/logs.db", false], // docker's * does not cross directories
    [["**/*.db"], "data/logs.db", true],
    [["data"], "data/logs.db", true],
    [["data", "!data/keep.db"], "data/keep.db", false],
    [["# comment", ""], "logs.db", false],
    [["*.DB"], "logs.db", false], // case-sensitive, as docker is on Linux
    [["**/*.db", "!**/keep.db"], "a/b/keep.db", false],
    [["data/**"], "data/x/y.db", true],
    [["/data/"], "data/logs.db", true],
  ])("%j on %s → ignored %s", (patterns, file, ignored) => {
    expect(parseDockerignore(patterns.join("\n")).ignores(file)).toBe(ignored);
  });

  it("finds database files the build context would carry, skipping ignored ones and node_modules", async () => {
    const dir = await project({
      "logs.db": "x", "data/app.sqlite": "x", "data/cache.sqlite3": "x", "node_modules/pkg/test.db": "x",
      "tmp/scratch.db": "x", ".dockerignore": "tmp\n", "main.py": "",
    });
    expect(await dataFilesInContext(dir)).toEqual(["data/app.sqlite", "data/cache.sqlite3", "logs.db"]);
  });

  it("Docker's quirks, as the real engine shows them (test/integration/build-context.test.ts)", async () => {
    const dir = await project({
      // An exception that does not start with the excluded folder does not reopen it; "#" is a comment only in column 1.
      ".dockerignore": "secret\n!**/secret/keep.db\n #x.db\n", "secret/keep.db": "x", "#x.db": "x", "y.db": "x",
    });
    expect(await dataFilesInContext(dir)).toEqual(["y.db"]);
  });

  it("a negated pattern brings a database file back; <Dockerfile>.dockerignore wins over the context's", async () => {
    const dir = await project({
      "data/keep.db": "x", "data/drop.db": "x", ".dockerignore": "data\n!data/keep.db\n", "Dockerfile": "",
      "docker/Dockerfile": "", "docker/Dockerfile.dockerignore": "**/*.db\n",
    });
    expect(await dataFilesInContext(dir, path.join(dir, "Dockerfile"))).toEqual(["data/keep.db"]);
    expect(await dataFilesInContext(dir, path.join(dir, "docker/Dockerfile"))).toEqual([]);
  });
});

describe("stateful-app warning", () => {
  const dockerfile = "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nUSER app\n";

  it("warns before an AWS deploy when a database file rides along in COPY . .", async () => {
    const dir = await project({ Dockerfile: dockerfile, "logs.db": "x", ".dockerignore": ".git\n" });
    const { ctx, stderr } = contextFor(dir, { ecs: { service: "logs" } });
    await warnIfStateful(ctx, ["ecs"]);
    expect(stderr.text()).toMatch(/^warning: .*logs\.db.*: containers are disposable: .* To keep it: keep the data in an external store/m);
  });

  it("says nothing for local-only deploys or when .dockerignore keeps the file out", async () => {
    const dir = await project({ Dockerfile: dockerfile, "logs.db": "x", ".dockerignore": "*.db\n" });
    const ecs = contextFor(dir, { ecs: { service: "logs" } });
    await warnIfStateful(ecs.ctx, ["ecs"]);
    expect(ecs.stderr.text()).toBe("");
    const dir2 = await project({ Dockerfile: dockerfile, "logs.db": "x", ".dockerignore": ".git\n" });
    const local = contextFor(dir2, { local: {} });
    await warnIfStateful(local.ctx, ["local"]);
    expect(local.stderr.text()).toBe("");
  });

  it("doctor lists each Dockerfile finding with its file and line", async () => {
    const dir = await project({ Dockerfile: "FROM node\nCOPY . .\nRUN npm ci\nVOLUME /data\n" });
    const { ctx } = contextFor(dir, { local: {} });
    const findings = await dockerfileChecks(ctx);
    const ids = findings.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining([
      "dockerfile.base-image-tag", "dockerfile.copy-before-install", "dockerfile.root-user", "dockerfile.no-dockerignore", "dockerfile.volume",
    ]));
    expect(findings.find((f) => f.id === "dockerfile.volume")?.what).toMatch(/^Dockerfile:4: /);
  });
});
