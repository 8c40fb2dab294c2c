// A config file logship may not read (EACCES) is exit 2 naming the file, not exit 70. A real EACCES:
// root reads every file, so as root the CLI runs as the user "nobody" (uid 65534); as anyone else,
// the file is simply made unreadable. Runs node bin/logship.js (needs `npm run build`).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const NOBODY = 65534;

describe("an unreadable config file", () => {
  let dir = "";
  beforeAll(async () => {
    if (!existsSync(path.join(repo, "dist/cli.js"))) throw new Error("dist/cli.js is missing: run `npm run build` first");
    dir = await mkdtemp(path.join(os.tmpdir(), "logship-eacces-"));
    await chmod(dir, 0o755); // nobody may enter the folder, not read the file
    await writeFile(path.join(dir, "logship.yaml"), "app: shop\n", { mode: 0o600 });
    await writeFile(path.join(dir, "Dockerfile"), "FROM scratch\n");
    if (process.getuid?.() !== 0) await chmod(path.join(dir, "logship.yaml"), 0o000);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("exit 2: the file, permission denied, and what to check", () => {
    const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
    const r = spawnSync(process.execPath, [path.join(repo, "bin/logship.js"), "build", "--dry-run"], {
      cwd: dir, env: { PATH: process.env.PATH, CI: "1", HOME: dir, TMPDIR: dir, LOGSHIP_DOCKER: "/nonexistent/docker" }, encoding: "utf8", ...asNobody,
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe("error: logship.yaml: cannot read it: permission denied\n" +
      "  hint: check its permissions (ls -l), or run logship as a user who may read it\n");
  });
});
