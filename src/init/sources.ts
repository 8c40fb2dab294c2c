// Reading a project's sources for detection: the files one level down, a port in them, the best
// health route. A leaf module: detect.ts and the per-language detectors (python.ts, node.ts) both use it.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

export interface Detection {
  language: "python" | "node" | "unknown";
  framework: "fastapi" | "flask" | "express" | "fastify" | "plain" | "unknown";
  /** Project name from package.json / pyproject.toml, if any (not yet sanitised). */
  name?: string;
  /** Entry: "main:app" (Python ASGI/WSGI), "server.js", "main.py". */
  entry?: string;
  port: number;
  /** Where the port was read, e.g. "server.js: app.listen(3000)"; undefined = default. */
  portSource?: string;
  /** A route that should answer 2xx, for smoke.path and the ECS health check. */
  healthPath: string;
  healthSource?: string;
  /** Files copied before the dependency install. */
  manifests: string[];
  /** The RUN command that installs dependencies. */
  install: string;
  /** The CMD instruction's argument (shell or JSON form). */
  cmd: string;
  /** .dockerignore lines specific to the language. */
  ignore: string[];
  notes: string[];
  /** SQLite/database files in the project (the app may read them from the image). */
  dataFiles: string[];
  /** A Dockerfile already in the project (Dockerfile, docker/Dockerfile, …). */
  dockerfile?: { path: string; port?: number; portSource?: string };
}

export const DEFAULT_PORT = 8080;
const SKIP_DIRS = new Set(["node_modules", ".git", ".venv", "venv", "env", "__pycache__", "dist", "build", "test", "tests", ".github"]);
const HEALTH_ROUTES = ["/health", "/healthz", "/ping", "/status", "/ready"];

export interface SourceFile { rel: string; text: string }

/** Files at the top level and one directory down (enough for app.py, src/server.js, data/logs.db). */
export async function listFiles(root: string, exts: string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, depth: number) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.relative(root, path.join(dir, e.name)).split(path.sep).join("/");
      if (e.isDirectory() && depth < 1 && !SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) await visit(path.join(dir, e.name), depth + 1);
      else if (e.isFile() && exts.some((x) => e.name.endsWith(x)) && out.length < 200) out.push(rel);
    }
  };
  await visit(root, 0);
  return out;
}

export async function readSources(root: string, exts: string[]): Promise<SourceFile[]> {
  const files = await listFiles(root, exts);
  return Promise.all(files.map(async (rel) => ({ rel, text: (await readText(root, rel)) ?? "" })));
}

export async function readText(root: string, rel: string): Promise<string | undefined> {
  return readFile(path.join(root, rel), "utf8").catch(() => undefined);
}

/** First match of any pattern (capture group 1 = port) across files, in order. */
export function findPort(files: SourceFile[], patterns: RegExp[]): { port: number; source: string } | undefined {
  for (const f of files) {
    for (const re of patterns) {
      const m = re.exec(f.text);
      const port = m ? Number(m[1]) : NaN;
      if (port >= 1 && port <= 65535) return { port, source: `${f.rel}:${f.text.slice(0, m!.index).split("\n").length}` };
    }
  }
  return undefined;
}

/** Routes declared with a string path (decorators, app.get('/x')) → the best one to smoke-test. */
export function pickHealthPath(files: SourceFile[], routeRe: RegExp, fallback: string): { path: string; source?: string } {
  const routes = new Map<string, string>();
  for (const f of files) {
    for (const m of f.text.matchAll(routeRe)) if (!routes.has(m[1])) routes.set(m[1], f.rel);
  }
  const best = HEALTH_ROUTES.find((r) => routes.has(r)) ?? (routes.has("/") ? "/" : undefined);
  return best ? { path: best, source: `${routes.get(best)} declares ${best}` } : { path: fallback };
}
