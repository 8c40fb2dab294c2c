// Private temporary folders (mode 0700) for what must not outlive a run: the temporary DOCKER_CONFIG
// that holds a 12-hour ECR token, docker build's --iidfile. Each name carries the pid of the process
// that made it: removed at the end of the run, on a hard exit, and, when the process was killed
// (SIGKILL, a crash, a power cut), by the next logship run, which sees that pid is gone.
import { rmSync } from "node:fs";
import { chmod, lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export type TempKind = "docker" | "build";

/** logship-<kind>-<pid>-<random>; mkdtemp adds the random part. */
const NAME = /^logship-(?:docker|build)-(\d+)-[A-Za-z0-9]{6}$/;

const live = new Set<string>();
let exitHookInstalled = false;

/** Node runs no cleanup of its own on process.exit (a second Ctrl-C): remove what is left, synchronously. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const dir of live) rmSync(dir, { recursive: true, force: true });
  });
}

export interface PrivateTempDir {
  path: string;
  remove(): Promise<void>;
}

export async function makePrivateTempDir(kind: TempKind, parent = os.tmpdir()): Promise<PrivateTempDir> {
  const dir = await mkdtemp(path.join(parent, `logship-${kind}-${process.pid}-`));
  // mkdtemp asks for 0700 already; say it again so no umask or platform can loosen it.
  await chmod(dir, 0o700);
  live.add(dir);
  installExitHook();
  return {
    path: dir,
    async remove() {
      live.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Is a process with this pid running? EPERM means it runs as another user: alive, not ours to judge. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes logship temporary folders whose owner process is gone; returns what it removed. Only folders
 * of this user with a pid in their name: a live run's folder (its pid answers) is never touched. A pid
 * reused by an unrelated process keeps its folder until that process ends: safe, only late.
 */
export async function sweepStaleTempDirs(parent = os.tmpdir()): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    const dir = path.join(parent, name);
    const st = await lstat(dir).catch(() => undefined);
    if (!st?.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
    await rm(dir, { recursive: true, force: true }).then(() => removed.push(dir), () => {});
  }
  return removed;
}
