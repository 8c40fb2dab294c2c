// No-op `ship lambda` on moto: the AWS calls a re-run makes when nothing changed, and its wall time
// beside a plain `node -e 0`. Target (issue #8): 0 writes and at most 8 calls. Prints figures;
// asserts nothing. Needs `scripts/dev-setup.sh` and `scripts/moto-setup.sh` (else it says so).
import { spawnSync } from "node:child_process";
import { benchProject, bin, median, motoOrSkip, timed } from "./moto-project.mjs";

const runs = Number(process.env.RUNS ?? 5);
const moto = motoOrSkip("no-op ship lambda");
if (!moto) process.exit(0);
const app = `bench-${process.pid}`;
const { dir, env, remove } = benchProject(moto, app, [`targets: { lambda: { function: ${app}-fn, url: { public: true } } }`]);

function logship(...args) {
  const { ms, value: r } = timed(() => spawnSync(process.execPath, [bin, ...args, "--debug"], { cwd: dir, env, encoding: "utf8" }));
  if (r.status !== 0) throw new Error(`logship ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  const calls = [...r.stderr.matchAll(/^aws (\w+\.\w+) \S+ \d+ms$/gm)].map((m) => m[1]);
  return { ms, calls };
}

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
  const node = Array.from({ length: runs }, () => timed(() => spawnSync(process.execPath, ["-e", "0"])).ms);
  const writes = calls.filter(isWrite);
  const ok = writes.length === 0 && calls.length <= 8;
  console.log(`no-op ship lambda  AWS calls ${calls.length} (target ≤ 8), writes ${writes.length} (target 0) ${ok ? "OK" : "OVER TARGET"}`);
  console.log(`                   ${calls.join(", ")}`);
  console.log(`                   median ${median(times).toFixed(0)} ms (${runs} runs; docker build cache hit, moto on loopback)`);
  console.log(`node -e 0          median ${median(node).toFixed(1)} ms`);
} finally {
  spawnSync(process.execPath, [bin, "destroy", "lambda", "--yes", "--with-roles", "--with-repository"], { cwd: dir, env });
  spawnSync("docker", ["rmi", "--force", `${app}:1.0.0`, `${moto.registryHost}/${app}:1.0.0`]);
  remove();
}
