// Which database-like files would land in the build context: the files `docker build` sends
// (Docker's .dockerignore rules, src/build-context.ts) that are named *.db / *.sqlite / *.sqlite3.
import { contextEntries, readDockerignore } from "../build-context.js";

// Dependency and cache trees: a test.db inside a package is that package's fixture, not the app's
// data, and these trees hold most of a context's files. (.git holds no app data either.)
const SKIP = new Set([".git", "node_modules", ".venv", "venv", "__pycache__", ".mypy_cache", ".pytest_cache"]);
const DATA_FILE = /\.(?:db|sqlite3?)$/i;
const MAX_ENTRIES = 50_000;

export async function dataFilesInContext(context: string, dockerfile?: string): Promise<string[]> {
  const { rules } = await readDockerignore(context, dockerfile);
  // Looked at, not sent: a bounded walk (the sizes docker would send are the build's own check).
  const entries = await contextEntries(context, rules, SKIP, "", MAX_ENTRIES).catch(() => []);
  return entries.map((e) => e.path).filter((p) => DATA_FILE.test(p));
}
