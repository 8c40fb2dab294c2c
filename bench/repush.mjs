// Re-push of an unchanged image: `logship push` beside the tutorial's manual sequence
// (`aws ecr get-login-password | docker login --password-stdin`, `docker tag`, `docker push`), both
// against the same ECR (moto) and registry. Target (issue #10): logship ≤ 0.25× the manual time.
// Prints figures; asserts nothing. Needs scripts/dev-setup.sh, scripts/moto-setup.sh and the `aws` CLI.
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
  console.log("re-push            skipped: moto is not set up (run `sudo bash scripts/moto-setup.sh`)");
  process.exit(0);
}
if (spawnSync("aws", ["--version"]).status !== 0) {
  console.log("re-push            skipped: the manual sequence needs the `aws` CLI");
  process.exit(0);
}

const dir = mkdtempSync(path.join(os.tmpdir(), "logship-bench-"));
const tmp = mkdtempSync(path.join(os.tmpdir(), "logship-bench-tmp-"));
const app = `repush-${process.pid}`;
const remote = `${moto.registryHost}/${app}:1.0.0`;
cpSync(path.join(root, "test", "fixtures", "webapp"), dir, { recursive: true });
writeFileSync(path.join(dir, "logship.yaml"), `app: ${app}\nversion: 1.0.0\nimage: { dockerfile: Dockerfile }\nregistry: { type: ecr, repository: ${app} }\n`);
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
  CI: "1", TMPDIR: tmp, AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: moto.region, AWS_DEFAULT_REGION: moto.region,
  AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: dir, env: { ...env, ...opts.env }, input: opts.input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}
const timed = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What the tutorial has a user type, every time: a fresh login, a tag and a push. */
function manual() {
  const config = mkdtempSync(path.join(tmp, "docker-"));
  try {
    const password = run("aws", ["ecr", "get-login-password", "--region", moto.region]);
    run("docker", ["login", "--username", "AWS", "--password-stdin", moto.registryHost], { input: password, env: { DOCKER_CONFIG: config } });
    run("docker", ["tag", `${app}:1.0.0`, remote]);
    run("docker", ["push", remote], { env: { DOCKER_CONFIG: config } });
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
}

try {
  run(process.execPath, [bin, "build"]);
  run(process.execPath, [bin, "push"]); // creates the repository and uploads the image once
  const logship = [];
  const byHand = [];
  for (let i = 0; i < runs; i++) {
    logship.push(timed(() => run(process.execPath, [bin, "push"])));
    byHand.push(timed(manual));
  }
  const ratio = median(logship) / median(byHand);
  console.log(`re-push unchanged  logship push median ${median(logship).toFixed(0)} ms; manual login+tag+push median ${median(byHand).toFixed(0)} ms (${runs} runs each)`);
  console.log(`                   ratio ${ratio.toFixed(2)}× (target ≤ 0.25×) ${ratio <= 0.25 ? "OK" : "OVER TARGET"}`);
} finally {
  spawnSync("aws", ["ecr", "delete-repository", "--repository-name", app, "--force"], { env });
  spawnSync("docker", ["rmi", "--force", `${app}:1.0.0`, remote]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
}
