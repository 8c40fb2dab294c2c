import { describe, expect, it } from "vitest";
import { lintDockerfile, type Finding } from "../../src/lint/dockerfile.js";
import { copySources, parseInstructions, parseStages } from "../../src/lint/parse.js";

const CLEAN = `# syntax=docker/dockerfile:1
FROM public.ecr.aws/docker/library/python:3.12-slim
RUN useradd --create-home app
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
USER app
EXPOSE 8080
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8080"]
`;

const lint = (text: string, opts: Partial<Parameters<typeof lintDockerfile>[1]> = {}) =>
  lintDockerfile(text, { hasDockerignore: true, ...opts });
const only = (findings: Finding[]) => {
  expect(findings).toHaveLength(1);
  return findings[0];
};

describe("lintDockerfile", () => {
  it("a clean Dockerfile has no findings", () => {
    expect(lint(CLEAN)).toEqual([]);
  });

  it("source copied before the dependency install", () => {
    const f = only(lint("FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nUSER node\n"));
    expect(f).toMatchObject({
      id: "copy-before-install", severity: "warning", line: 3,
      what: "the whole source is copied (line 3) before dependencies are installed (line 4)",
    });
    expect(f.fix).toContain("copy only the dependency manifest first");
  });

  it.each([
    ["pip3 install -r requirements.txt"], ["python -m pip install ."], ["npm install"], ["yarn"], ["yarn install --frozen-lockfile"],
    ["pnpm i"], ["poetry install --no-root"], ["uv sync --frozen"],
  ])("recognises %j as a dependency install", (run) => {
    expect(lint(`FROM x:1\nCOPY ./ /app\nRUN ${run}\nUSER app\n`).map((f) => f.id)).toEqual(["copy-before-install"]);
  });

  it("COPY flags and ADD count as copying the source", () => {
    expect(lint("FROM x:1\nCOPY --chown=app:app --link . .\nRUN npm ci\nUSER a\n").map((f) => f.id)).toEqual(["copy-before-install"]);
    expect(lint('FROM x:1\nADD [".", "/app"]\nRUN pip install -e .\nUSER a\n').map((f) => f.id)).toEqual(["copy-before-install"]);
  });

  it("a manifest copied first, then the source, is fine; so is COPY --from", () => {
    expect(lint("FROM x:1\nCOPY --from=build /app .\nRUN npm ci\nUSER a\n")).toEqual([]);
    expect(lint("FROM x:1\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nUSER a\n")).toEqual([]);
  });

  it.each([
    ["FROM python:latest", "base image python:latest uses the tag latest"],
    ["FROM python", "base image python has no tag (docker reads it as :latest)"],
    ["FROM localhost:5000/team/python", "base image localhost:5000/team/python has no tag (docker reads it as :latest)"],
  ])("%s: unpinned base image", (from, what) => {
    expect(only(lint(`${from}\nUSER app\n`))).toMatchObject({ id: "base-image-tag", severity: "warning", line: 1, what });
  });

  it("pinned tags, digests, scratch and earlier stages are fine", () => {
    expect(lint("FROM localhost:5000/python:3.12\nUSER a\n")).toEqual([]);
    expect(lint("FROM python@sha256:abc\nUSER a\n")).toEqual([]);
    expect(lint("FROM golang:1.23 AS build\nFROM build AS final\nUSER a\n")).toEqual([]);
    expect(lint("FROM scratch\nUSER 1000\n")).toEqual([]);
  });

  it("ARG-based FROM: resolved from the ARG default, info when it has none", () => {
    expect(lint("ARG PY=3.12\nFROM python:${PY}-slim\nUSER a\n")).toEqual([]);
    expect(only(lint("ARG BASE=python\nFROM $BASE\nUSER a\n"))).toMatchObject({ id: "base-image-tag", what: expect.stringContaining("base image python has no tag") });
    expect(only(lint("ARG PY\nFROM python:${PY}\nUSER a\n"))).toMatchObject({
      id: "base-image-arg", severity: "info", line: 2,
      what: "base image python:${PY} comes from a build argument without a default; its tag cannot be checked",
    });
  });

  it("running as root: no USER, or USER root last", () => {
    expect(only(lint("FROM x:1\nCMD [\"x\"]\n"))).toMatchObject({
      id: "root-user", severity: "warning", what: "the image runs as root (no USER in the final stage)",
    });
    expect(only(lint("FROM x:1\nUSER app\nRUN id\nuser root\n"))).toMatchObject({
      id: "root-user", line: 4, what: "the image runs as root (USER root on line 4)",
    });
    expect(only(lint("FROM x:1\nUSER 0:0\n"))).toMatchObject({ id: "root-user" });
  });

  it("multi-stage: only the final stage's USER counts, inherited through FROM <stage>", () => {
    expect(only(lint("FROM x:1 AS build\nUSER app\nFROM y:2\nCOPY --from=build /o /o\n"))).toMatchObject({ id: "root-user" });
    expect(lint("FROM x:1 AS build\nRUN make\nFROM y:2\nUSER app\n")).toEqual([]);
    expect(lint("FROM x:1 AS base\nUSER app\nFROM base\nCMD [\"run\"]\n")).toEqual([]);
  });

  it("no .dockerignore", () => {
    expect(only(lintDockerfile(CLEAN, { hasDockerignore: false }))).toMatchObject({
      id: "no-dockerignore", severity: "warning", what: "there is no .dockerignore next to the build context",
    });
  });

  it("a database file copied into the image", () => {
    const f = only(lint("FROM x:1\nCOPY data/logs.sqlite3 /app/data/\nUSER app\n"));
    expect(f).toMatchObject({ id: "stateful-data", severity: "warning", line: 2, what: "database file data/logs.sqlite3 is baked into the image" });
    expect(f.why).toContain("lost on every Lambda cold start, every App Runner or ECS redeploy and every scale-out");
    expect(f.fix).toContain("RDS, DynamoDB, S3");
    expect(f.fix).toContain("EFS on ECS");
  });

  it("database files in the build context that COPY . . takes along", () => {
    const f = only(lint(CLEAN, { contextFiles: ["main.py", "logs.db", "data/x.sqlite"] }));
    expect(f).toMatchObject({ id: "stateful-data", what: "database files logs.db, data/x.sqlite in the build context will be copied into the image" });
    expect(f.fix).toContain("add *.db / *.sqlite to .dockerignore");
    // Not copied → not baked in.
    expect(lint("FROM x:1\nCOPY main.py ./\nUSER a\n", { contextFiles: ["logs.db"] })).toEqual([]);
  });

  it("a VOLUME instruction", () => {
    expect(only(lint("FROM x:1\nVOLUME /data\nUSER a\n"))).toMatchObject({
      id: "volume", severity: "warning", line: 2, what: "VOLUME /data: the app expects to keep data on local disk",
    });
  });

  it("no FROM is an error", () => {
    expect(only(lint("# nothing\n"))).toMatchObject({ id: "no-from", severity: "error" });
  });

  it("line continuations, comments inside them and lower-case instructions", () => {
    const text = "from node:20\nworkdir /app\ncopy . \\\n  # a comment\n  .\nrun apt-get update && \\\n    npm ci\n";
    expect(parseInstructions(text).map((i) => [i.keyword, i.args, i.line])).toEqual([
      ["FROM", "node:20", 1], ["WORKDIR", "/app", 2], ["COPY", ". .", 3], ["RUN", "apt-get update && npm ci", 6],
    ]);
    expect(lint(text).map((f) => [f.id, f.line])).toEqual([["copy-before-install", 3], ["root-user", undefined]]);
  });

  it("a heredoc's script is not read as instructions", () => {
    // Before dockerfile-ast, each line of the script became an "instruction": VOLUME /data and
    // COPY logs.db gave false warnings, and the pip install inside the heredoc was missed.
    const text = [
      "# syntax=docker/dockerfile:1", "FROM python:3.12-slim", "COPY . /app",
      "RUN <<EOF", "pip install -r /app/requirements.txt", "cat > /app/NOTES <<'NOTE'", "VOLUME /data", "COPY logs.db /app/", "NOTE", "EOF",
      "USER app", "",
    ].join("\n");
    expect(lint(text).map((f) => [f.id, f.line])).toEqual([["copy-before-install", 3]]);
    expect(parseInstructions(text).map((i) => i.keyword)).toEqual(["FROM", "COPY", "RUN", "USER"]);
  });

  it("COPY <<EOF writes an inline file: it takes nothing from the context", () => {
    const text = "FROM x:1\nCOPY <<EOF /app/config.ini\n[db]\npath = logs.db\nEOF\nUSER app\n";
    const [, copy] = parseInstructions(text);
    expect(copySources(copy)).toEqual({ sources: [], from: undefined });
    expect(lint(text, { contextFiles: ["logs.db"] })).toEqual([]);
  });

  it("the escape directive: a backtick continues the line", () => {
    const text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY . C:\\app\nRUN pip `\n    install -r requirements.txt\nUSER app\n";
    expect(parseInstructions(text).map((i) => [i.keyword, i.args, i.line])).toEqual([
      ["FROM", "mcr.microsoft.com/windows/servercore:ltsc2022", 2], ["COPY", ". C:\\app", 3], ["RUN", "pip install -r requirements.txt", 4], ["USER", "app", 6],
    ]);
    expect(lint(text).map((f) => f.id)).toEqual(["copy-before-install"]);
  });

  it("COPY --from with other flags, and a JSON COPY of a database file", () => {
    const [, copy, json] = parseInstructions('FROM x:1\nCOPY --chown=app:app --from=build /out /app\nCOPY ["data/logs.db", "/app/"]\n');
    expect(copySources(copy)).toEqual({ sources: ["/out"], from: "build" });
    expect(copySources(json)).toEqual({ sources: ["data/logs.db"], from: undefined });
  });

  it("parses stages with --platform and AS", () => {
    const stages = parseStages("FROM --platform=$BUILDPLATFORM golang:1.23 AS Build\nRUN go build\nFROM gcr.io/distroless/static:nonroot\n");
    expect(stages.map((s) => [s.image, s.name, s.instructions.length])).toEqual([["golang:1.23", "build", 1], ["gcr.io/distroless/static:nonroot", undefined, 0]]);
  });
});
