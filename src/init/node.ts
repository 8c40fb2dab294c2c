// Node apps: package.json → Express, Fastify or plain; entry from scripts.start or main.
import { access } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_PORT, findPort, pickHealthPath, readSources, readText, type Detection } from "./sources.js";

const PORT_PATTERNS = [
  /\.listen\(\s*(\d+)/,
  /\.listen\(\s*\{[^}]*port\s*:\s*(\d+)/,
  /PORT\s*(?:\|\||\?\?)\s*["']?(\d+)/,
  /\b(?:const|let|var)\s+port\s*=\s*(\d+)/i,
];

const exists = (root: string, rel: string) => access(path.join(root, rel)).then(() => true, () => false);

/** `node server.js`, `node --enable-source-maps dist/index.js` → the script. */
export function entryFromStart(start: string | undefined): string | undefined {
  const m = /(?:^|&&\s*)node\s+(?:--?\S+\s+)*([^\s&;|]+\.[cm]?js)\b/.exec(start ?? "");
  return m?.[1];
}

async function installFor(root: string): Promise<{ manifests: string[]; install: string }> {
  if (await exists(root, "package-lock.json")) return { manifests: ["package.json", "package-lock.json"], install: "npm ci --omit=dev" };
  if (await exists(root, "yarn.lock")) {
    return { manifests: ["package.json", "yarn.lock"], install: "corepack enable && yarn install --frozen-lockfile --production" };
  }
  if (await exists(root, "pnpm-lock.yaml")) {
    return { manifests: ["package.json", "pnpm-lock.yaml"], install: "corepack enable && pnpm install --frozen-lockfile --prod" };
  }
  return { manifests: ["package.json"], install: "npm install --omit=dev" };
}

export async function detectNode(root: string): Promise<Omit<Detection, "dataFiles"> | undefined> {
  const text = await readText(root, "package.json");
  if (text === undefined) return undefined;
  let pkg: { name?: string; main?: string; scripts?: Record<string, string>; dependencies?: Record<string, string> };
  try {
    pkg = JSON.parse(text);
  } catch {
    pkg = {};
  }
  const deps = pkg.dependencies ?? {};
  const framework = "express" in deps ? "express" : "fastify" in deps ? "fastify" : "plain";
  const notes: string[] = [];

  let entry = entryFromStart(pkg.scripts?.start) ?? pkg.main;
  if (!entry) {
    for (const candidate of ["server.js", "index.js", "app.js", "src/server.js", "src/index.js"]) {
      if (await exists(root, candidate)) { entry = candidate; break; }
    }
  }
  let cmd: string;
  if (entry) {
    cmd = `["node", ${JSON.stringify(entry)}]`;
  } else {
    cmd = `["npm", "start"]`;
    notes.push("no entry file found (scripts.start, main, server.js, index.js): the Dockerfile runs `npm start`");
  }
  if (pkg.scripts?.build) notes.push("package.json has a build script: add `RUN npm run build` (and dev dependencies) to the Dockerfile if the app needs it");

  const sources = await readSources(root, [".js", ".mjs", ".cjs", ".ts"]);
  const ordered = entry ? [...sources].sort((a, b) => Number(b.rel === entry) - Number(a.rel === entry)) : sources;
  const found = findPort(ordered, PORT_PATTERNS);
  if (!found) notes.push(`the port could not be read: the app must listen on process.env.PORT (${DEFAULT_PORT})`);
  const health = pickHealthPath(sources, /\b\w+\.(?:get|all|route)\(\s*["'`](\/[^"'`?]*)["'`]/g, "/");
  return {
    language: "node", framework, name: pkg.name, entry,
    port: found?.port ?? DEFAULT_PORT, portSource: found?.source,
    healthPath: health.path, healthSource: health.source,
    ...(await installFor(root)),
    cmd,
    ignore: ["node_modules", "npm-debug.log*", "coverage", ".npm"],
    notes,
  };
}
