// `logship init`: look at the app in the current directory and write logship.yaml, a Dockerfile,
// a .dockerignore (and optionally Dockerfile.lambda and a GitHub workflow). Never overwrites a file
// without --force. Reads files only: no docker, no AWS.
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.js";
import { TARGET_NAMES, type TargetName } from "../config/schema.js";
import { readVersion } from "../tag-policy.js";
import { detect } from "../init/detect.js";
import { label, sanitiseAppName } from "../init/config.js";
import { planFiles, withExistingDockerfile } from "../init/plan.js";
import { lintDockerfile, type Finding } from "../lint/dockerfile.js";
import type { GlobalOptions, Io } from "./globals.js";
import type { CommandResult } from "../ui/result.js";

export interface InitOptions extends GlobalOptions {
  force?: boolean;
  ci?: string;
  targets?: string[] | string;
  yes?: boolean;
}

type Action = "wrote" | "kept" | "skipped" | "would write";
interface FileResult { path: string; action: Action; note?: string }

const DEFAULT_TARGETS: TargetName[] = ["local", "ecs"];

export function parseTargets(raw: string[] | string | undefined): TargetName[] {
  const names = [raw ?? []].flat().flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  if (!names.length) return DEFAULT_TARGETS;
  for (const n of names) {
    if (!(TARGET_NAMES as readonly string[]).includes(n)) {
      throw new UserError(`--targets: ${JSON.stringify(n)} is not a target`, `use a comma-separated list of ${TARGET_NAMES.join(", ")}`);
    }
  }
  // Config order, no duplicates.
  return TARGET_NAMES.filter((t) => names.includes(t));
}

function parseCi(raw: string | undefined): "github" | undefined {
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === "github") return "github";
  throw new UserError(`--ci: ${JSON.stringify(raw)} is not supported`, "use --ci github (GitHub Actions with OIDC role assumption)");
}

const exists = (p: string) => access(p).then(() => true, () => false);

export async function init(opts: InitOptions, io: Io): Promise<CommandResult> {
  const targets = parseTargets(opts.targets);
  const ci = parseCi(opts.ci);
  const root = io.cwd;
  const detection = withExistingDockerfile(await detect(root), !!opts.force);
  const app = sanitiseAppName(detection.name ?? path.basename(root));
  const version = detection.language === "unknown" ? undefined : await readVersion(root);
  const planned = await planFiles({ app, detection, version, targets, ci });

  const results: FileResult[] = [];
  for (const f of planned) {
    const abs = path.join(root, f.path);
    if (f.keep) {
      results.push({ path: f.path, action: "kept", note: f.note });
    } else if (f.content === undefined) {
      results.push({ path: f.path, action: "skipped", note: f.note });
    } else if ((await exists(abs)) && !opts.force) {
      results.push({ path: f.path, action: "kept", note: "exists; --force to overwrite" });
    } else if (opts.dryRun) {
      results.push({ path: f.path, action: "would write", note: f.note });
    } else {
      await mkdir(path.dirname(abs), { recursive: true });
      await writeFile(abs, f.content);
      results.push({ path: f.path, action: "wrote", note: f.note });
    }
  }

  const ours = planned.find((f) => f.path === "Dockerfile")?.content;
  const pending = results.find((r) => r.path === "Dockerfile")?.action === "would write" ? ours : undefined;
  const lint = await lintResult(root, detection.dockerfile?.path ?? "Dockerfile", results, detection.dataFiles, pending);
  for (const r of results) io.stderr.write(`${r.action} ${r.path}${r.note ? ` (${r.note})` : ""}\n`);
  io.stderr.write(`detected: ${label(detection)}, port ${detection.port}${detection.portSource ? ` (${detection.portSource})` : " (default)"}\n`);
  for (const n of detection.notes) io.stderr.write(`note: ${n}\n`);
  const lintedName = detection.dockerfile?.path ?? "Dockerfile";
  for (const f of lint) io.stderr.write(`${f.severity}: ${lintedName}${f.line ? `:${f.line}` : ""}: ${f.what}\n  fix: ${f.fix}\n`);
  if (!opts.json) io.stderr.write(`next: npx logship deploy local --dry-run, then npx logship ship ${targets.join(" ")}\n`);
  return { command: "init", dryRun: !!opts.dryRun, fields: { app, targets, detection, files: results, lint } };
}

/** Lint the Dockerfile that is now in place (ours or the user's, kept). */
async function lintResult(root: string, dockerfile: string, results: FileResult[], contextFiles: string[], pending?: string): Promise<Finding[]> {
  const text = pending ?? (await readFile(path.join(root, dockerfile), "utf8").catch(() => undefined));
  if (text === undefined) return [];
  const written = results.find((r) => r.path === ".dockerignore")?.action;
  const hasDockerignore = written === "wrote" || written === "would write" || (await exists(path.join(root, ".dockerignore")));
  // Data files the .dockerignore excludes are not in the context (ours keeps them only when some exist).
  const ignore = await readFile(path.join(root, ".dockerignore"), "utf8").catch(() => "");
  const excluded = /^\*\.(db|sqlite3?)\s*$/m.test(ignore);
  return lintDockerfile(text, { hasDockerignore, contextFiles: excluded ? [] : contextFiles });
}
