// Tag-policy benchmark: how long deciding "is the image's input the commit?" takes on a big context.
// Builds a git repository of FILES files (default 20,000) in a temporary folder, then prints the median
// time of contextState (src/context-state.ts, what build, push and deploy run) per scenario, beside
// `git status` over the same tree. Needs `npm run build` first. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { contextState } from "../dist/context-state.js";

const files = Number(process.env.FILES ?? 20_000);
const runs = Number(process.env.RUNS ?? 7);
const dir = mkdtempSync(path.join(os.tmpdir(), "logship-bench-tag-"));
const git = (...args) => execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, stdio: "pipe" });

async function median(fn) {
  const times = [];
  let last;
  for (let i = 0; i < runs + 1; i++) {
    const t = process.hrtime.bigint();
    last = await fn();
    if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6); // the first run warms the disk cache
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], last };
}

/** What logship did before (issue 10 point 4), for comparison: the whole repository's status and diff, and every untracked file read. */
function before() {
  const out = (args) => spawnSync("git", args, { cwd: dir, encoding: "buffer", maxBuffer: 1e9 }).stdout;
  const status = out(["status", "--porcelain=v1", "--untracked-files=all"]);
  if (!status.length) return Promise.resolve({ dirty: false });
  const hash = createHash("sha256").update(status).update(out(["diff", "HEAD", "--binary"]));
  const untracked = out(["ls-files", "--others", "--exclude-standard"]).toString().split("\n").filter(Boolean);
  return untracked.reduce((p, f) => p.then(async () => hash.update(f).update(await readFile(path.join(dir, f)))), Promise.resolve())
    .then(() => ({ dirty: true, hash: hash.digest("hex").slice(0, 8) }));
}

try {
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, "app", "src", `m${i % 200}`, `s${i % 13}`);
    mkdirSync(sub, { recursive: true });
    const text = `x = ${i}\n`.repeat(10 + (i % 390));
    bytes += text.length;
    writeFileSync(path.join(sub, `f${i}.py`), text);
  }
  const app = path.join(dir, "app");
  writeFileSync(path.join(app, "Dockerfile"), "FROM python:3.12-slim\nCOPY . /app\n");
  writeFileSync(path.join(app, ".dockerignore"), "*.log\nreports/\n");
  git("init", "-q");
  git("config", "gc.auto", "0"); // no background gc writing into .git while the folder is removed
  git("config", "maintenance.auto", "false");
  git("add", "-A");
  git("commit", "-q", "-m", "bench");
  const state = () => contextState(app, path.join(app, "Dockerfile"));
  const row = (label, r) => console.log(`${label.padEnd(52)} median ${r.ms.toFixed(0).padStart(5)} ms  ${r.last ? `dirty=${r.last.dirty} hash=${r.last.hash}` : ""}`);

  console.log(`context app/ of a repository: ${files.toLocaleString("en-US")} files, ${(bytes / 1e6).toFixed(0)} MB; ${runs} runs each, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
  row("git status --porcelain --untracked-files=all", await median(() => spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: dir })));
  row("clean tree", await median(state));
  row("  before: whole-repo status", await median(before));
  writeFileSync(path.join(app, "src/m1/s1/f1.py"), "changed\n");
  row("one file changed", await median(state));
  row("  before: whole-repo status", await median(before));
  writeFileSync(path.join(app, "build.log"), "log\n".repeat(10_000));
  mkdirSync(path.join(app, "reports"));
  for (let i = 0; i < 200; i++) writeFileSync(path.join(app, "reports", `r${i}.xml`), "r".repeat(100_000));
  row("+ build.log and 200 × 100 KB reports (.dockerignored)", await median(state));
  row("  before (the tag changed: reports are untracked)", await median(before));
  for (let i = 0; i < 200; i++) writeFileSync(path.join(app, `new${i}.txt`), "u".repeat(100_000));
  row("+ 200 untracked files × 100 KB in the context", await median(state));
  row("  before", await median(before));
  mkdirSync(path.join(dir, "data"));
  for (let i = 0; i < 2000; i++) writeFileSync(path.join(dir, "data", `d${i}.csv`), "d".repeat(100_000));
  row("+ 2,000 untracked files × 100 KB outside the context", await median(state));
  row("  before (reads all 200 MB)", await median(before));
} finally {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
