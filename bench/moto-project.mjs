// What the moto benchmarks share: moto's endpoints (from scripts/moto-setup.sh), a copy of the
// webapp fixture configured for ECR, the AWS environment pointed at moto, and cleanup.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const bin = path.join(root, "bin", "logship.js");

/** moto's endpoints, or undefined (with one line saying why) when the suite is not set up. */
export function motoOrSkip(label) {
  const state = process.env.LOGSHIP_MOTO_STATE ?? "/var/tmp/logship-moto";
  try {
    return JSON.parse(readFileSync(path.join(state, "ready"), "utf8"));
  } catch {
    console.log(`${label.padEnd(18)} skipped: moto is not set up (run \`sudo bash scripts/moto-setup.sh\`)`);
    return undefined;
  }
}

/** A project named `app` with `yaml` lines after the ECR registry; `env` is a user's, pointed at moto. */
export function benchProject(moto, app, yaml = []) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "logship-bench-"));
  const tmp = mkdtempSync(path.join(os.tmpdir(), "logship-bench-tmp-"));
  cpSync(path.join(root, "test", "fixtures", "webapp"), dir, { recursive: true });
  writeFileSync(path.join(dir, "logship.yaml"), [
    `app: ${app}`, "version: 1.0.0", "image: { dockerfile: Dockerfile }", `registry: { type: ecr, repository: ${app} }`, ...yaml, "",
  ].join("\n"));
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
    CI: "1", TMPDIR: tmp, AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: moto.region, AWS_DEFAULT_REGION: moto.region,
    AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  return { dir, tmp, env, remove: () => [dir, tmp].forEach((d) => rmSync(d, { recursive: true, force: true })) };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export function timed(fn) {
  const t = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, value };
}
