// Re-push of an unchanged image: `logship push` beside the tutorial's manual sequence
// (`aws ecr get-login-password | docker login --password-stdin`, `docker tag`, `docker push`), both
// against the same ECR (moto) and registry. Target (issue #10): logship ≤ 0.25× the manual time.
// Prints figures; asserts nothing. Needs scripts/dev-setup.sh, scripts/moto-setup.sh and the `aws` CLI.
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { benchProject, bin, median, motoOrSkip, root, timed } from "./moto-project.mjs";

const runs = Number(process.env.RUNS ?? 5);
const moto = motoOrSkip("re-push");
if (!moto) process.exit(0);
if (spawnSync("aws", ["--version"]).status !== 0) {
  console.log("re-push            skipped: the manual sequence needs the `aws` CLI");
  process.exit(0);
}
const app = `repush-${process.pid}`;
const remote = `${moto.registryHost}/${app}:1.0.0`;
const { dir, tmp, env, remove } = benchProject(moto, app);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? dir, env: { ...env, ...opts.env }, input: opts.input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}
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
    logship.push(timed(() => run(process.execPath, [bin, "push"])).ms);
    byHand.push(timed(manual).ms);
  }
  const ratio = median(logship) / median(byHand);
  console.log(`re-push unchanged  logship push median ${median(logship).toFixed(0)} ms; manual login+tag+push median ${median(byHand).toFixed(0)} ms (${runs} runs each)`);
  console.log(`                   ratio ${ratio.toFixed(2)}× (target ≤ 0.25×) ${ratio <= 0.25 ? "OK" : "OVER TARGET"}`);
  // The floor of any Node CLI that asks ECR anything: start Node, load the ECR client. Against a
  // loopback emulator the manual sequence is fast too, so the floor alone may exceed the target.
  const node = [], sdk = [];
  for (let i = 0; i < runs; i++) {
    node.push(timed(() => run(process.execPath, ["-e", "0"])).ms);
    sdk.push(timed(() => run(process.execPath, ["--input-type=module", "-e", "await import('@aws-sdk/client-ecr')"], { cwd: root })).ms);
  }
  console.log(`                   floor: node -e 0 ${median(node).toFixed(0)} ms, + import of the ECR client ${median(sdk).toFixed(0)} ms = ${(median(sdk) / median(byHand)).toFixed(2)}× of the manual sequence`);
} finally {
  spawnSync("aws", ["ecr", "delete-repository", "--repository-name", app, "--force"], { env });
  spawnSync("docker", ["rmi", "--force", `${app}:1.0.0`, remote]);
  remove();
}
