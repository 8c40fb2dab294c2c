import { describe, expect, it, beforeEach, afterEach, vi } from "vitest";
import { cp, mkdtemp, mkdir, readFile, rm, writeFile, access } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { parse as parseYaml } from "yaml";
import { init, parseTargets } from "../../src/commands/init.js";
import { writeResult } from "../../src/ui/result.js";
import { validateConfig } from "../../src/config/load.js";
import { UserError } from "../../src/errors.js";
import { apprunnerServiceName, sanitiseAppName } from "../../src/init/config.js";
import { detect } from "../../src/init/detect.js";
import { entryFromStart } from "../../src/init/node.js";
import { findAppObject, pyprojectInfo, requirementNames } from "../../src/init/python.js";
import { render } from "../../src/init/render.js";
import { lintDockerfile } from "../../src/lint/dockerfile.js";
import type { Io } from "../../src/commands/globals.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/init");
let tmp: string;

beforeEach(async () => { tmp = await mkdtemp(path.join(tmpdir(), "logship-init-")); });
afterEach(async () => { await rm(tmp, { recursive: true, force: true }); });

function makeIo(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const io: Io = { stdout, stderr, env: {}, cwd, isTTY: false, signal: new AbortController().signal, interactive: false };
  return { io, out: () => out, err: () => err };
}

/** Copies test/fixtures/init/<name>/app to <tmp>/<name> (the directory name is the fallback app name). */
async function project(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await cp(path.join(FIXTURES, name, "app"), dir, { recursive: true });
  return dir;
}

const read = (dir: string, rel: string) => readFile(path.join(dir, rel), "utf8");
const exists = (p: string) => access(p).then(() => true, () => false);

describe("logship init on fixture projects", () => {
  it.each([
    ["fastapi", ["logship.yaml", "Dockerfile", ".dockerignore"]],
    ["express", ["logship.yaml", "Dockerfile", ".dockerignore"]],
    ["empty", ["logship.yaml", ".dockerignore"]],
  ])("%s: writes the expected files", async (name, files) => {
    const dir = await project(name);
    const { io, err } = makeIo(dir);
    await init({}, io);
    for (const f of files) {
      expect(await read(dir, f), f).toBe(await read(path.join(FIXTURES, name, "expected"), f));
      expect(err()).toContain(`wrote ${f}\n`);
    }
    validateConfig(parseYaml(await read(dir, "logship.yaml")));
  });

  it("the generated Dockerfiles pass the linter with no findings", async () => {
    for (const name of ["fastapi", "express"]) {
      const dir = await project(name);
      await init({}, makeIo(dir).io);
      expect(lintDockerfile(await read(dir, "Dockerfile"), { hasDockerignore: true }), name).toEqual([]);
    }
  });

  it("defaults to local + ecs and explains App Runner's availability in a comment", async () => {
    const dir = await project("fastapi");
    await init({}, makeIo(dir).io);
    const text = await read(dir, "logship.yaml");
    const config = validateConfig(parseYaml(text));
    expect(Object.keys(config.targets)).toEqual(["local", "ecs"]);
    expect(config).toMatchObject({
      app: "log-analyzer",
      registry: { type: "ecr", repository: "log-analyzer" },
      targets: { local: { port: 8000, containerPort: 8000 }, ecs: { service: "log-analyzer", port: 8000, healthCheckPath: "/healthz" } },
      smoke: { path: "/healthz" },
    });
    expect(text).toMatch(/App Runner stopped\s+#\s+taking new customers on 30 April 2026/);
  });

  it("empty project: a generic config that still validates, with TODOs, and no Dockerfile", async () => {
    const dir = await project("empty");
    const { io, err } = makeIo(dir);
    await init({}, io);
    const text = await read(dir, "logship.yaml");
    expect(text).toContain("# TODO: logship could not tell what this app is");
    expect(validateConfig(parseYaml(text)).app).toBe("empty");
    expect(await exists(path.join(dir, "Dockerfile"))).toBe(false);
    expect(err()).toContain("skipped Dockerfile (no app detected: write one for your stack)");
  });

  it("never overwrites an existing file without --force", async () => {
    const dir = await project("express");
    await writeFile(path.join(dir, "Dockerfile"), "FROM node:20-slim\nCOPY . .\n");
    const { io, err } = makeIo(dir);
    await init({}, io);
    expect(await read(dir, "Dockerfile")).toBe("FROM node:20-slim\nCOPY . .\n");
    expect(err()).toContain("kept Dockerfile (exists; --force to overwrite)\n");
    expect(err()).toContain("wrote logship.yaml\n");
    // The user's Dockerfile, kept, is linted so its problems are visible.
    expect(err()).toContain("warning: Dockerfile: the image runs as root (no USER in the final stage)\n");
    const second = makeIo(dir);
    await init({}, second.io);
    expect(second.err()).toMatch(/^kept logship\.yaml \(exists; --force to overwrite\)$/m);
    expect(second.err()).not.toMatch(/^wrote /m);
  });

  it("a SQLite file in the project: kept in the context (the app reads it) and the stateful warning shown", async () => {
    const dir = await project("fastapi");
    await mkdir(path.join(dir, "data"));
    await writeFile(path.join(dir, "data/logs.db"), "SQLite format 3\0");
    const { io, err } = makeIo(dir);
    await init({}, io);
    const ignore = await read(dir, ".dockerignore");
    expect(ignore).toContain("# data/logs.db found: kept in the image, as the app may read it.\n");
    expect(ignore).toMatch(/^# \*\.db$/m);
    expect(ignore).not.toMatch(/^\*\.db$/m);
    expect(err()).toContain("warning: Dockerfile: database file data/logs.db in the build context will be copied into the image\n");
  });

  it("uses the project's own docker/Dockerfile and the port it exposes", async () => {
    const dir = await project("fastapi");
    await mkdir(path.join(dir, "docker"));
    await writeFile(path.join(dir, "docker/Dockerfile"),
      "FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"uvicorn\", \"app.main:api\", \"--host\", \"0.0.0.0\", \"--port\", \"80\"]\n");
    const { io, err } = makeIo(dir);
    await init({ force: true }, io);
    expect(await exists(path.join(dir, "Dockerfile"))).toBe(false);
    const config = validateConfig(parseYaml(await read(dir, "logship.yaml")));
    expect(config.image.dockerfile).toBe("docker/Dockerfile");
    expect(config.targets).toMatchObject({ local: { port: 8000, containerPort: 80 }, ecs: { port: 80 } });
    expect(err()).toContain("kept docker/Dockerfile (exists; logship.yaml uses it)\n");
    expect(err()).toContain("port 80 (docker/Dockerfile:4 CMD)");
    expect(err()).toContain("warning: docker/Dockerfile:2: the whole source is copied (line 2) before dependencies are installed (line 3)\n");
  });

  it("--force overwrites", async () => {
    const dir = await project("express");
    await writeFile(path.join(dir, "Dockerfile"), "FROM node:20-slim\n");
    await writeFile(path.join(dir, "logship.yaml"), "app: old\n");
    const { io, err } = makeIo(dir);
    await init({ force: true }, io);
    expect(await read(dir, "Dockerfile")).toBe(await read(path.join(FIXTURES, "express/expected"), "Dockerfile"));
    expect(await read(dir, "logship.yaml")).toContain("app: orders-api");
    expect(err()).not.toContain("kept");
  });

  it("--dry-run writes nothing", async () => {
    const dir = await project("express");
    const { io, err } = makeIo(dir);
    await init({ dryRun: true }, io);
    expect(await exists(path.join(dir, "logship.yaml"))).toBe(false);
    expect(err()).toContain("would write logship.yaml\n");
  });

  it("--json prints one document with the files and the detection", async () => {
    const dir = await project("express");
    const { io, out } = makeIo(dir);
    await writeResult(await init({ json: true }, io), true, io);
    const doc = JSON.parse(out());
    expect(doc).toMatchObject({
      command: "init", ok: true, app: "orders-api", targets: ["local", "ecs"],
      detection: { language: "node", framework: "express", entry: "src/server.js", port: 3000, healthPath: "/health" },
      lint: [],
    });
    expect(doc.files).toEqual([
      { path: "logship.yaml", action: "wrote" },
      { path: "Dockerfile", action: "wrote" },
      { path: ".dockerignore", action: "wrote" },
    ]);
  });

  it("--ci github writes an OIDC workflow that ships the AWS targets", async () => {
    const dir = await project("express");
    await init({ ci: "github" }, makeIo(dir).io);
    const text = await read(dir, ".github/workflows/logship.yml");
    expect(text).toBe(await read(path.join(FIXTURES, "express/expected"), ".github/workflows/logship.yml"));
    const wf = parseYaml(text);
    expect(wf.permissions).toEqual({ "id-token": "write", contents: "read" });
    const steps = wf.jobs.ship.steps;
    const creds = steps.find((s: { uses?: string }) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(creds.with["role-to-assume"]).toBe("${{ vars.AWS_ROLE_ARN }}");
    expect(JSON.stringify(steps)).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
    expect(steps.at(-1).run).toBe("npx --yes logship ship ecs --no-progress");
  });

  it("--targets local,lambda writes Dockerfile.lambda from the adapter template", async () => {
    const dir = await project("fastapi");
    const { io, err } = makeIo(dir);
    await init({ targets: ["local,lambda"] }, io);
    const config = validateConfig(parseYaml(await read(dir, "logship.yaml")));
    expect(Object.keys(config.targets)).toEqual(["local", "lambda"]);
    expect(config.targets.lambda).toMatchObject({
      function: "log-analyzer", image: { dockerfile: "Dockerfile.lambda" }, repository: "log-analyzer-lambda", url: { public: false },
    });
    const lambda = await read(dir, "Dockerfile.lambda");
    expect(lambda).toContain("/lambda-adapter /opt/extensions/lambda-adapter");
    expect(lambda).toContain("CMD exec uvicorn app.main:api --host 0.0.0.0 --port ${PORT}");
    expect(err()).toContain("wrote Dockerfile.lambda\n");
  });

  it("--targets lambda for a Node app: its own Dockerfile plus the adapter line, off Lambda's reserved port 3000", async () => {
    const dir = await project("express");
    const { io, err } = makeIo(dir);
    await init({ targets: "lambda" }, io);
    const lambda = await read(dir, "Dockerfile.lambda");
    const adapterLine = /^COPY --from=\S*aws-lambda-adapter\S* \/lambda-adapter \/opt\/extensions\/lambda-adapter$/m;
    expect(lambda).toMatch(adapterLine);
    expect(await read(dir, "Dockerfile")).not.toMatch(adapterLine);
    expect(lambda).toContain("ENV NODE_ENV=production PORT=8080\n");
    expect(lambda).toContain("ENV AWS_LWA_READINESS_CHECK_PATH=/health\n");
    expect(lambda).toContain('CMD ["node", "src/server.js"]');
    expect(lintDockerfile(lambda, { hasDockerignore: true })).toEqual([]);
    expect(err()).toContain("port 3000 is taken inside Lambda (Lambda Insights)");
  });

  it("--targets lambda without the adapter template: skips Dockerfile.lambda with a note, config still valid", async () => {
    vi.resetModules();
    vi.doMock("../../src/init/render.js", async (importOriginal) => {
      const real = await importOriginal<typeof import("../../src/init/render.js")>();
      return { ...real, readTemplate: async (name: string) => (name === "Dockerfile.lambda-web-adapter" ? undefined : real.readTemplate(name)) };
    });
    try {
      const { init: initNoTemplate } = await import("../../src/commands/init.js");
      const dir = await project("express");
      const { io, err } = makeIo(dir);
      await initNoTemplate({ targets: "local,lambda" }, io);
      expect(await exists(path.join(dir, "Dockerfile.lambda"))).toBe(false);
      expect(err()).toContain("skipped Dockerfile.lambda (templates/Dockerfile.lambda-web-adapter is not in this logship version;");
      const text = await read(dir, "logship.yaml");
      expect(text).toContain("# image: { dockerfile: Dockerfile.lambda }  # TODO: a Dockerfile with the Lambda Web Adapter");
      expect(validateConfig(parseYaml(text)).targets.lambda).toMatchObject({ function: "orders-api" });
    } finally {
      vi.doUnmock("../../src/init/render.js");
      vi.resetModules();
    }
  });

  it("--targets with apprunner keeps it, with a 4–40 character service name", async () => {
    const dir = await project("express");
    await init({ targets: ["apprunner", "local"] }, makeIo(dir).io);
    const config = validateConfig(parseYaml(await read(dir, "logship.yaml")));
    expect(Object.keys(config.targets)).toEqual(["local", "apprunner"]);
    expect(config.targets.apprunner).toMatchObject({ service: "orders-api", port: 3000 });
  });

  it("rejects an unknown target or CI provider (exit 2)", async () => {
    const dir = await project("empty");
    await expect(init({ targets: ["local,heroku"] }, makeIo(dir).io)).rejects.toThrow(/--targets: "heroku" is not a target/);
    await expect(init({ ci: "gitlab" }, makeIo(dir).io)).rejects.toBeInstanceOf(UserError);
    expect(await exists(path.join(dir, "logship.yaml"))).toBe(false);
  });
});

describe("detection", () => {
  async function write(files: Record<string, string>): Promise<string> {
    const dir = path.join(tmp, "proj");
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    return dir;
  }

  it("Flask with gunicorn, port from app.run", async () => {
    const dir = await write({
      "requirements.txt": "Flask==3.0\ngunicorn\n",
      "wsgi.py": "from flask import Flask\nserver = Flask(__name__)\n@server.route('/ping')\ndef ping(): return 'ok'\nserver.run(port=5000)\n",
    });
    expect(await detect(dir)).toMatchObject({
      language: "python", framework: "flask", entry: "wsgi:server", port: 5000, healthPath: "/ping",
      cmd: "exec gunicorn --bind 0.0.0.0:${PORT} wsgi:server",
    });
  });

  it("pyproject.toml only: installs [project] dependencies before the source; adds uvicorn if missing", async () => {
    const dir = await write({ "pyproject.toml": '[project]\nname = "svc"\ndependencies = [\n  "fastapi>=0.110",\n]\n', "main.py": "from fastapi import FastAPI\napp = FastAPI()\n" });
    const d = await detect(dir);
    expect(d).toMatchObject({ framework: "fastapi", entry: "main:app", port: 8080, healthPath: "/docs", manifests: ["pyproject.toml"] });
    expect(d.install).toMatch(/tomllib.*pip install -r \/tmp\/requirements\.txt && pip install uvicorn$/);
  });

  it("Fastify with listen({ port }) and a yarn lock", async () => {
    const dir = await write({
      "package.json": JSON.stringify({ name: "api", main: "app.mjs", dependencies: { fastify: "^5" } }),
      "yarn.lock": "",
      "app.mjs": "import Fastify from 'fastify';\nconst f = Fastify();\nf.get('/healthz', async () => 'ok');\nawait f.listen({ host: '0.0.0.0', port: 8081 });\n",
    });
    expect(await detect(dir)).toMatchObject({
      language: "node", framework: "fastify", entry: "app.mjs", port: 8081, healthPath: "/healthz",
      manifests: ["package.json", "yarn.lock"], cmd: '["node", "app.mjs"]',
    });
  });

  it("parses requirement names, pyproject dependencies and start scripts", () => {
    expect(requirementNames("FastAPI[all]>=0.1 ; python_version>'3'\n-r base.txt\nzope.interface\n# x\nuvicorn @ https://x\n"))
      .toEqual(["fastapi", "zope-interface", "uvicorn"]);
    expect(pyprojectInfo('[tool.poetry]\nname = "p"\n[tool.poetry.dependencies]\npython = "^3.12"\nFlask = "*"\n'))
      .toEqual({ name: "p", deps: ["flask"] });
    expect(entryFromStart("node --enable-source-maps dist/index.js")).toBe("dist/index.js");
    expect(entryFromStart("tsc && node server.mjs")).toBe("server.mjs");
    expect(entryFromStart("next start")).toBeUndefined();
    expect(findAppObject([{ rel: "pkg/api.py", text: "app: FastAPI = fastapi.FastAPI()\n" }], "FastAPI")).toBe("pkg.api:app");
  });
});

describe("names and templates", () => {
  it.each([
    ["@acme/Orders_API", "orders-api"],
    ["My App!!", "my-app"],
    ["--x--", "x"],
    ["日本", "app"],
    ["a".repeat(70), "a".repeat(63)],
  ])("sanitiseAppName(%j) = %j", (raw, name) => {
    expect(sanitiseAppName(raw)).toBe(name);
    expect(validateConfig({ app: sanitiseAppName(raw) }).app).toBe(name);
  });

  it("pads short App Runner service names to 4 characters", () => {
    expect(apprunnerServiceName("api")).toBe("api-web");
  });

  it("render fills {{name}} and leaves GitHub's ${{ }} alone", () => {
    expect(render("a {{x}} ${{ github.ref }} ${{x}}", { x: "1" })).toBe("a 1 ${{ github.ref }} ${{x}}");
    expect(() => render("{{missing}}", {})).toThrow(/has no value/);
    expect(render("{{missing}}", {}, false)).toBe("{{missing}}");
  });
});
