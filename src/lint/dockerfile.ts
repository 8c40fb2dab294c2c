// Lints a Dockerfile for the habits that hurt on AWS: slow rebuilds, unpinned bases, root,
// a context that ships everything, and data files baked into an image that is thrown away.
// Pure: text in, findings out (doctor and init read the files and call this).
import { copySources, parseStages, type Instruction, type Stage } from "./parse.js";

export interface Finding {
  id: string;
  severity: "error" | "warning" | "info";
  what: string;
  why: string;
  fix: string;
  line?: number;
}

export interface LintOptions {
  hasDockerignore: boolean;
  /** Files that end up in the build context (after .dockerignore), relative paths. */
  contextFiles?: string[];
}

const INSTALL =
  /\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b|\b(?:npm|pnpm)\s+(?:ci|install|i)\b|\byarn(?:\s+install)?(?=\s*(?:$|&&|;|\|\||--))|\bpoetry\s+install\b|\buv\s+(?:sync|pip\s+install)\b|\bpipenv\s+install\b|\bbundle\s+install\b|\bgo\s+mod\s+download\b/;
const DATA_FILE = /\.(?:db|sqlite3?)$/i;
const WHOLE_CONTEXT = new Set([".", "./", "*", "./*"]);

const EPHEMERAL_WHY =
  "containers are disposable: whatever the app writes inside one is lost on every Lambda cold start, " +
  "every App Runner or ECS redeploy and every scale-out, and each copy has its own diverging data";
const EPHEMERAL_FIX =
  "keep the data in an external store (RDS, DynamoDB, S3), or mount EFS on ECS; bake in only read-only reference data";

export function lintDockerfile(text: string, opts: LintOptions): Finding[] {
  const stages = parseStages(text);
  if (!stages.length) {
    return [{
      id: "no-from", severity: "error", what: "the Dockerfile has no FROM instruction",
      why: "docker cannot build an image without a base", fix: "start the file with FROM <image>:<tag>",
    }];
  }
  return [
    ...stages.flatMap((s, i) => baseImage(s, stages.slice(0, i))),
    ...stages.flatMap(copyBeforeInstall),
    ...rootUser(stages),
    ...(opts.hasDockerignore ? [] : [noDockerignore()]),
    ...statefulData(stages, opts.contextFiles),
  ];
}

function baseImage(stage: Stage, earlier: Stage[]): Finding[] {
  const image = stage.image;
  const line = stage.from.line;
  if (!image || image.toLowerCase() === "scratch" || image.includes("@sha256:")) return [];
  if (earlier.some((s) => s.name === image.toLowerCase())) return [];
  if (image.includes("$")) {
    return [{
      id: "base-image-arg", severity: "info", line,
      what: `base image ${image} comes from a build argument without a default; its tag cannot be checked`,
      why: "the image that is built depends on what each build passes with --build-arg",
      fix: "give the ARG a default with a pinned tag (ARG BASE=python:3.12-slim)",
    }];
  }
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : undefined;
  if (tag && tag !== "latest") return [];
  return [{
    id: "base-image-tag", severity: "warning", line,
    what: tag ? `base image ${image} uses the tag latest` : `base image ${image} has no tag (docker reads it as :latest)`,
    why: "latest moves: the same Dockerfile builds a different image next week, and a rebuild can break without a code change",
    fix: `pin a version tag, e.g. ${image.replace(/:latest$/, "")}:<version>-slim (or a digest @sha256:…)`,
  }];
}

function copyBeforeInstall(stage: Stage): Finding[] {
  let broadCopy: Instruction | undefined;
  for (const ins of stage.instructions) {
    if ((ins.keyword === "COPY" || ins.keyword === "ADD") && !broadCopy) {
      const { sources, from } = copySources(ins);
      if (!from && sources.some((s) => WHOLE_CONTEXT.has(s))) broadCopy = ins;
    } else if (ins.keyword === "RUN" && broadCopy && ins.args.split("\n").some((line) => INSTALL.test(line))) {
      return [{
        id: "copy-before-install", severity: "warning", line: broadCopy.line,
        what: `the whole source is copied (line ${broadCopy.line}) before dependencies are installed (line ${ins.line})`,
        why: "any code edit invalidates the install layer, so every build reinstalls every dependency",
        fix: "copy only the dependency manifest first (requirements.txt / pyproject.toml, package.json + lock file), install, then COPY . .",
      }];
    }
  }
  return [];
}

/** USER of a stage, following `FROM <earlier stage>` (USER is inherited from the base). */
function effectiveUser(stage: Stage, stages: Stage[], depth = 0): Instruction | undefined {
  const own = stage.instructions.filter((i) => i.keyword === "USER").at(-1);
  if (own || depth > stages.length) return own;
  const base = stages.find((s) => s !== stage && s.name === stage.image.toLowerCase());
  return base ? effectiveUser(base, stages, depth + 1) : undefined;
}

function rootUser(stages: Stage[]): Finding[] {
  const final = stages.at(-1)!;
  const user = effectiveUser(final, stages);
  const name = user?.args.trim().split(":")[0];
  if (user && name !== "root" && name !== "0") return [];
  return [{
    id: "root-user", severity: "warning", line: user?.line,
    what: user ? `the image runs as root (USER ${user.args.trim()} on line ${user.line})` : "the image runs as root (no USER in the final stage)",
    why: "a bug in the app or a dependency then has root inside the container; Lambda runs images as a non-root user anyway, so a root-only image may fail there",
    fix: "create a user and switch to it at the end: RUN useradd --create-home app (Debian) or adduser -D app (Alpine), then USER app",
  }];
}

function noDockerignore(): Finding {
  return {
    id: "no-dockerignore", severity: "warning",
    what: "there is no .dockerignore next to the build context",
    why: "COPY . . then sends everything to the builder: .git, node_modules, .venv, local databases and .env files with secrets end up in the image",
    fix: "add a .dockerignore listing .git, node_modules, .venv, __pycache__, *.db, *.sqlite, .env (`logship init` writes one)",
  };
}

function statefulData(stages: Stage[], contextFiles: string[] | undefined): Finding[] {
  const findings: Finding[] = [];
  let copiesContext = false;
  for (const stage of stages) {
    for (const ins of stage.instructions) {
      if (ins.keyword === "VOLUME") {
        findings.push({
          id: "volume", severity: "warning", line: ins.line,
          what: `VOLUME ${ins.args.trim()}: the app expects to keep data on local disk`,
          why: `${EPHEMERAL_WHY}; Lambda and App Runner mount no volumes at all`, fix: EPHEMERAL_FIX,
        });
      }
      if (ins.keyword !== "COPY" && ins.keyword !== "ADD") continue;
      const { sources, from } = copySources(ins);
      if (from) continue;
      if (sources.some((s) => WHOLE_CONTEXT.has(s) || !s.includes("."))) copiesContext = true;
      const data = sources.filter((s) => DATA_FILE.test(s));
      if (data.length) {
        findings.push({
          id: "stateful-data", severity: "warning", line: ins.line,
          what: `database file ${data.join(", ")} is baked into the image`,
          why: EPHEMERAL_WHY, fix: EPHEMERAL_FIX,
        });
      }
    }
  }
  const inContext = (contextFiles ?? []).filter((f) => DATA_FILE.test(f));
  if (copiesContext && inContext.length && !findings.some((f) => f.id === "stateful-data")) {
    findings.push({
      id: "stateful-data", severity: "warning",
      what: `database file${inContext.length > 1 ? "s" : ""} ${inContext.slice(0, 3).join(", ")}${inContext.length > 3 ? ", …" : ""} in the build context will be copied into the image`,
      why: EPHEMERAL_WHY,
      fix: `${EPHEMERAL_FIX}; if the file must not ship, add *.db / *.sqlite to .dockerignore`,
    });
  }
  return findings;
}
