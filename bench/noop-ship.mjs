// No-op `ship lambda` on moto: the AWS calls a re-run makes when nothing changed, and its wall time
// beside a plain `node -e 0`. Target (issue #8): 0 writes and at most 8 calls. Prints figures;
// asserts nothing. Needs `scripts/dev-setup.sh` and `scripts/moto-setup.sh` (else it says so).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const runs = Number(process.env.RUNS ?? 5);
const root = fileURLToPath(new URL("..", import.meta.url));
const bin = path.join(root, "bin", "logship.js");
const state = process.env.LOGSHIP_MOTO_STATE ?? "/var/tmp/logship-moto";

let moto;
try {
  moto = JSON.parse(readFileSync(path.join(state, "ready"), "utf8"));
} catch {
  console.log(`no-op ship lambda  skipped: moto is not set up (run \`sudo bash scripts/moto-setup.sh\`)`);
  process.exit(0);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "logship-bench-"));
const tmp = mkdtempSync(path.join(os.tmpdir(), "logship-bench-tmp-"));
const app = `bench-${process.pid}`;
cpSync(path.join(root, "test", "fixtures", "webapp"), dir, { recursive: true });
writeFileSync(path.join(dir, "logship.yaml"), [
  `app: ${app}`, "version: 1.0.0", "image: { dockerfile: Dockerfile }", `registry: { type: ecr, repository: ${app} }`,
  `targets: { lambda: { function: ${app}-fn, url: { public: true } } }`, "",
].join("\n"));
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
  CI: "1", TMPDIR: tmp, AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: moto.region,
  AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};

function logship(...args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args, "--debug"], { cwd: dir, env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`logship ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  const calls = [...r.stderr.matchAll(/^aws (\w+\.\w+) \S+ \d+ms$/gm)].map((m) => m[1]);
  return { ms, calls };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const isWrite = (op) => !/^\w+\.(Get|Describe|List|BatchGet|BatchCheck|Filter)/.test(op);

try {
  logship("ship", "lambda", "--no-smoke"); // the first run creates everything
  const times = [];
  let calls = [];
  for (let i = 0; i < runs; i++) {
    const r = logship("ship", "lambda", "--no-smoke");
    times.push(r.ms);
    calls = r.calls;
  }
  const node = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"]);
    node.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const writes = calls.filter(isWrite);
  const ok = writes.length === 0 && calls.length <= 8;
  console.log(`no-op ship lambda  AWS calls ${calls.length} (target ≤ 8), writes ${writes.length} (target 0) ${ok ? "OK" : "OVER TARGET"}`);
  console.log(`                   ${calls.join(", ")}`);
  console.log(`                   median ${median(times).toFixed(0)} ms (${runs} runs; docker build cache hit, moto on loopback)`);
  console.log(`node -e 0          median ${median(node).toFixed(1)} ms`);
} finally {
  spawnSync(process.execPath, [bin, "destroy", "lambda", "--yes", "--with-roles", "--with-repository"], { cwd: dir, env });
  spawnSync("docker", ["rmi", "--force", `${app}:1.0.0`, `${moto.registryHost}/${app}:1.0.0`]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
}
