// The AWS end-to-end suite's harness: moto (an AWS emulator nobody here wrote) as AWS, and the real
// registry behind test/moto/ecr-relay.mjs as ECR's registry host. scripts/moto-setup.sh starts them
// and writes $LOGSHIP_MOTO_STATE/ready. The CLI runs as a real process with AWS_ENDPOINT_URL set,
// and --debug, whose "aws <Service>.<Operation> <result> <ms>" lines say every call it made.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cleanupProject, docker, makeProject, realParts, type Project } from "../integration/helpers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The CLI under test: the repository's own build (LOGSHIP_BIN may point at another build). */
export const BIN = process.env.LOGSHIP_BIN ?? path.join(ROOT, "bin", "logship.js");
export const STATE = process.env.LOGSHIP_MOTO_STATE ?? "/var/tmp/logship-moto";

export interface Moto {
  endpoint: string;
  region: string;
  account: string;
  /** <account>.dkr.ecr.<region>.amazonaws.com, served by the relay on 127.0.0.1:443. */
  registryHost: string;
  /** The CA that signed the registry host's certificate. */
  ca: string;
  /** The registry password moto's GetAuthorizationToken hands out (user AWS). */
  password: string;
}

async function readMoto(): Promise<Moto | undefined> {
  try {
    return JSON.parse(await readFile(path.join(STATE, "ready"), "utf8")) as Moto;
  } catch {
    return undefined;
  }
}

/** The suite runs bin/logship.js, which runs dist/: a build older than src/ would test old code. */
async function staleBuild(): Promise<string | undefined> {
  if (process.env.LOGSHIP_BIN) return undefined;
  const built = await stat(path.join(ROOT, "dist", "cli.js")).then((s) => s.mtimeMs, () => 0);
  const sources = await readdir(path.join(ROOT, "src"), { recursive: true, withFileTypes: true });
  for (const f of sources) {
    if (!f.isFile() || !f.name.endsWith(".ts")) continue;
    const file = path.join(f.parentPath, f.name);
    if ((await stat(file)).mtimeMs > built) return path.relative(ROOT, file);
  }
  return undefined;
}

async function motoAnswers(m: Moto): Promise<boolean> {
  try {
    return (await fetch(`${m.endpoint}/moto-api/`, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

/**
 * What the moto suite needs, checked once per file. It skips (one line says why) only where nobody
 * demanded the real parts; under CI=true a missing piece fails the run in beforeAll.
 */
export async function motoParts() {
  const docker = await realParts(false);
  const moto = await readMoto();
  const missing: string[] = [];
  if (!moto) missing.push(`${STATE}/ready (run \`sudo bash scripts/moto-setup.sh\`)`);
  else if (!(await motoAnswers(moto))) missing.push(`moto at ${moto.endpoint} (run \`sudo bash scripts/moto-setup.sh\`)`);
  else if ((await registryGet(moto, "/v2/").catch(() => ({ status: 0 }))).status !== 401) {
    missing.push(`the ECR stand-in at https://${moto.registryHost} (run \`sudo bash scripts/moto-setup.sh\`)`);
  }
  const stale = await staleBuild();
  if (stale) missing.push(`a build of the current source (${stale} is newer than dist/: run \`npm run build\`)`);
  const required = !!process.env.CI || process.env.LOGSHIP_REQUIRE_MOTO === "1";
  const skip = docker.skip || (missing.length > 0 && !required);
  // realParts has said why when Docker is what is missing.
  if (skip && missing.length) console.log(`moto suite skipped: it needs ${missing.join(" and ")}`);
  return {
    skip,
    moto: moto!,
    assert() {
      docker.assert();
      if (missing.length) throw new Error(`the moto suite needs ${missing.join(" and ")} (required because ${process.env.CI ? "CI is set" : "LOGSHIP_REQUIRE_MOTO=1"})`);
    },
  };
}

/** The environment a user would have against AWS, pointed at moto. */
export function awsEnv(m: Moto, tmp: string): NodeJS.ProcessEnv {
  const keep = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|LOGSHIP_)/.test(k)));
  return {
    ...keep,
    CI: "1",
    NO_COLOR: "1",
    TMPDIR: tmp,
    AWS_ENDPOINT_URL: m.endpoint,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: m.region,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every AWS call, in order: "Lambda.GetFunction". */
  calls: string[];
  /** The calls that change something. */
  writes: string[];
  /** The deploy lock's and the release record's calls (SSM), kept apart from `calls` and `writes`. */
  lockCalls: string[];
}

/** Reads, by AWS's own naming: Get*, Describe*, List*, BatchGet*, Filter*. Everything else writes. */
export const isWrite = (op: string) => !/^\w+\.(Get|Describe|List|BatchGet|BatchCheck|Filter)/.test(op);

export function parseCalls(stderr: string): string[] {
  return [...stderr.matchAll(/^aws (\w+\.\w+) \S+ \d+ms$/gm)].map((m) => m[1]);
}

/**
 * A run's calls split in two: the deploy lock and release record (SSM, and the one STS call that
 * names the lock's holder, right before the lock is taken) and the rest, which the flows' write
 * lists describe. Issue #12: every writing run takes and releases the lock, even one with nothing to do.
 */
export function splitCalls(stderr: string): { calls: string[]; writes: string[]; lockCalls: string[] } {
  const all = parseCalls(stderr);
  const lockCalls: string[] = [];
  const calls = all.filter((c, i) => {
    const forLock = c.startsWith("SSM.") || (c === "STS.GetCallerIdentity" && all[i + 1] === "SSM.PutParameter");
    if (forLock) lockCalls.push(c);
    return !forLock;
  });
  return { calls, writes: calls.filter(isWrite), lockCalls };
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Called with all of stderr so far, with the child, each time more arrives. */
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  /** The same for stdout. */
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
  timeoutMs?: number;
}

/** Runs `logship ARGV --debug` as a process in `cwd`, as a user's shell or CI would. */
export function logship(argv: string[], cwd: string, o: RunOptions): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv, "--debug"], { cwd, env: o.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 120_000);
    child.stdout.on("data", (d) => {
      stdout += d;
      o.onStdout?.(stdout, child);
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      o.onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ...splitCalls(stderr) });
    });
  });
}

/** A GET (or HEAD) on the ECR stand-in, authenticated as `docker login` would be. */
export function registryGet(m: Moto, urlPath: string, init: { method?: string; accept?: string; auth?: boolean } = {}) {
  return registryRequest(m, urlPath, { method: init.method ?? "GET", headers: init.accept ? { accept: init.accept } : {}, auth: init.auth });
}

function registryRequest(
  m: Moto, urlPath: string, o: { method: string; headers?: Record<string, string>; body?: Buffer | string; auth?: boolean },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    readFile(m.ca).then((ca) => {
      const headers: Record<string, string> = { ...o.headers };
      if (o.auth) headers.authorization = `Basic ${Buffer.from(`AWS:${m.password}`).toString("base64")}`;
      const req = https.request({ host: m.registryHost, port: 443, path: urlPath, method: o.method, headers, ca }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${o.method} ${urlPath}`)));
      req.end(o.body);
    }, reject);
  });
}

/** SDK clients for the test's own checks, pointed at moto. */
export async function sdk(m: Moto) {
  const [{ LambdaClient }, { ECRClient }, { IAMClient }, { CloudWatchLogsClient }] = await Promise.all([
    import("@aws-sdk/client-lambda"), import("@aws-sdk/client-ecr"), import("@aws-sdk/client-iam"), import("@aws-sdk/client-cloudwatch-logs"),
  ]);
  const config = { region: m.region, endpoint: m.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  return { lambda: new LambdaClient(config), ecr: new ECRClient(config), iam: new IAMClient(config), logs: new CloudWatchLogsClient(config) };
}

/** A fresh TMPDIR for one file's runs: logship's temporary files must be gone when it exits. */
export const makeTmp = () => mkdtemp(path.join(os.tmpdir(), "logship-moto-tmp-"));

/** What logship left in its TMPDIR (names only): should be nothing after any exit. */
export const leftovers = async (tmp: string) => (await readdir(tmp)).filter((n) => n.startsWith("logship-"));

export const removeTmp = (tmp: string | undefined) => (tmp ? rm(tmp, { recursive: true, force: true }) : Promise.resolve());

const sha256 = async (b: Buffer | string) => `sha256:${(await import("node:crypto")).createHash("sha256").update(b).digest("hex")}`;

/** Uploads a blob to the ECR stand-in (monolithic upload, registry API v2). Returns its descriptor. */
export async function putBlob(m: Moto, repo: string, body: string, mediaType: string) {
  const digest = await sha256(body);
  const start = await registryRequest(m, `/v2/${repo}/blobs/uploads/`, { method: "POST", auth: true });
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status} ${start.body}`);
  const location = String(start.headers.location);
  const url = new URL(location, `https://${m.registryHost}`);
  url.searchParams.set("digest", digest);
  const put = await registryRequest(m, url.pathname + url.search, {
    method: "PUT", auth: true, body, headers: { "content-type": "application/octet-stream" },
  });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${put.body}`);
  return { mediaType, digest, size: Buffer.byteLength(body) };
}

/** Puts a manifest (through the relay, so moto's ECR registers it too). Returns its descriptor. */
export async function putManifest(m: Moto, repo: string, reference: string, mediaType: string, doc: unknown) {
  const body = JSON.stringify(doc);
  const r = await registryRequest(m, `/v2/${repo}/manifests/${reference}`, {
    method: "PUT", auth: true, body, headers: { "content-type": mediaType },
  });
  if (r.status !== 201) throw new Error(`manifest put: ${r.status} ${r.body}`);
  return { mediaType, digest: await sha256(body), size: Buffer.byteLength(body) };
}

export interface MotoProject {
  p: Project;
  /** This project's own TMPDIR and AWS environment (see awsEnv). */
  tmp: string;
  env: NodeJS.ProcessEnv;
  /** Rewrites logship.yaml: ECR registry named after the app, plus `more` (top-level keys replace). */
  configure(more: Record<string, unknown>): Promise<void>;
  /** Destroys what the flows made in moto (unless told not to), then the images and folders. */
  cleanup(o?: { destroy?: boolean; tags?: string[] }): Promise<void>;
}

/** A fresh copy of the webapp fixture for ECR on moto, with `config(p)` merged into logship.yaml. */
export async function motoProject(m: Moto, config: (p: Project) => Record<string, unknown> = () => ({})): Promise<MotoProject> {
  const tmp = await makeTmp();
  const env = awsEnv(m, tmp);
  const p = await makeProject("webapp");
  const configure = (more: Record<string, unknown>) => p.writeConfig({ registry: { type: "ecr", repository: p.app }, ...more });
  await configure(config(p));
  return {
    p, tmp, env, configure,
    async cleanup({ destroy = true, tags = ["1.2.3"] } = {}) {
      if (destroy) await logship(["destroy", "lambda", "--yes", "--with-roles", "--with-repository"], p.dir, { env });
      // The push tagged the image for ECR's host too; cleanupProject knows only the local names.
      await docker("rmi", "--force", ...tags.map((t) => `${m.registryHost}/${p.app}:${t}`));
      await cleanupProject(p, tags);
      await removeTmp(tmp);
    },
  };
}
