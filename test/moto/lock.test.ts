// The deploy lock and release record on moto's SSM (issue #12): two `deploy lambda` processes
// started together, with and without --lock-wait; `releases lambda` then names moto's caller and the
// commit; `lock status|release` show and break a lock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { SSMClient, GetParameterCommand, PutParameterCommand } from "@aws-sdk/client-ssm";
import { logship, motoParts, motoProject, type MotoProject } from "./harness.js";

const parts = await motoParts();
const git = (cwd: string, ...args: string[]) => promisify(execFile)("git", args, { cwd }).then((r) => r.stdout.trim());
const CALLER = "arn:aws:sts::123456789012:user/moto"; // what moto's GetCallerIdentity answers

describe.skipIf(parts.skip)("the deploy lock on moto", { timeout: 150_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let sha: string;
  let ssm: SSMClient;
  let lock: string;
  const deploy = (...flags: string[]) => logship(["deploy", "lambda", "--no-smoke", ...flags], project.p.dir, { env: project.env, timeoutMs: 140_000 });
  /** A config change as CI makes it: committed, so the tag stays 1.2.3 (a dirty tree would add -dirty.<hash>). */
  const setMemory = async (memory: number) => {
    await project.configure({ targets: { lambda: { function: `${project.p.app}-fn`, memory } } });
    await git(project.p.dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", `memory ${memory}`);
    shas.push(await git(project.p.dir, "rev-parse", "HEAD"));
  };
  const shas: string[] = [];
  const lockValue = () => ssm.send(new GetParameterCommand({ Name: lock })).then((r) => r.Parameter?.Value, (e: Error) => e.name);

  beforeAll(async () => {
    parts.assert();
    ssm = new SSMClient({ region: m.region, endpoint: m.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    project = await motoProject(m, (p) => ({ targets: { lambda: { function: `${p.app}-fn`, memory: 512 } } }));
    lock = `/logship/${project.p.app}/lambda/lock`;
    const dir = project.p.dir;
    await git(dir, "init", "-q");
    await git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A");
    await git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "app");
    sha = await git(dir, "rev-parse", "HEAD");
    const pushed = await logship(["ship", "lambda", "--no-smoke"], dir, { env: project.env });
    expect(pushed.code, pushed.stderr).toBe(0);
  });
  afterAll(() => project?.cleanup({ tags: ["1.2.3", "1.2.4"] }));

  it("without --lock-wait: one of two concurrent deploys writes, the other exits 1 naming the holder and writes nothing", async () => {
    await setMemory(1024);
    const runs = await Promise.all([deploy(), deploy()]);
    const won = runs.filter((r) => r.code === 0);
    const lost = runs.filter((r) => r.code !== 0);
    expect(won.length, runs.map((r) => r.stderr).join("\n---\n")).toBe(1);
    expect(lost[0].code, lost[0].stderr).toBe(1);
    expect(lost[0].stderr).toMatch(new RegExp(`error: the deploy lock of lambda is held by ${CALLER} on \\S+ \\(pid \\d+, logship deploy lambda, commit ${shas[0].slice(0, 7)}\\) since .* UTC, until .* UTC`));
    expect(lost[0].writes).toEqual([]);
    expect(lost[0].lockCalls).toEqual(["STS.GetCallerIdentity", "SSM.PutParameter", "SSM.GetParameter"]);
    expect(won[0].writes).toContain("Lambda.UpdateFunctionConfiguration");
    expect(won[0].lockCalls).toEqual(["STS.GetCallerIdentity", "SSM.PutParameter", "SSM.PutParameter", "SSM.GetParameter", "SSM.DeleteParameter"]);
    expect(await lockValue()).toBe("ParameterNotFound");
  });

  it("with --lock-wait: the second waits for the first, then finds nothing to do", async () => {
    await setMemory(768);
    const first = deploy("--lock-wait", "2m");
    // Let the first one take the lock before the second starts.
    for (let i = 0; i < 100 && (await lockValue()) === "ParameterNotFound"; i++) await new Promise((r) => setTimeout(r, 100));
    const second = await deploy("--lock-wait", "2m");
    const one = await first;
    expect(one.code, one.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(one.writes).toContain("Lambda.UpdateFunctionConfiguration");
    expect(second.stderr).toMatch(new RegExp(`waiting up to \\d+s: the deploy lock of lambda is held by ${CALLER} on \\S+ \\(pid \\d+, logship deploy lambda`));
    expect(second.writes).toEqual([]);
  });

  it("releases lambda lists each deploy with moto's caller and the commit", async () => {
    const r = await logship(["releases", "lambda", "--json"], project.p.dir, { env: project.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.writes).toEqual([]);
    expect(r.lockCalls).toEqual(["SSM.GetParameterHistory"]);
    const doc = JSON.parse(r.stdout);
    // ship (create), the winner of the race, the first --lock-wait run: three that changed something.
    expect(doc.record.map((e: { action: string; result: string }) => `${e.action} ${e.result}`)).toEqual(["deploy ok", "deploy ok", "deploy ok"]);
    for (const e of doc.record) expect(e).toMatchObject({ target: "lambda", by: CALLER, dirty: false, tag: "1.2.3" });
    // Each names the commit its image was built from (the first ship's, by its revision label), not the
    // commit that changed the memory: the holder line above names the run's checkout instead.
    expect(doc.record.map((e: { sha: string }) => e.sha)).toEqual([sha, sha, sha]);
    expect(doc.record[0].digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const text = await logship(["releases", "lambda"], project.p.dir, { env: project.env });
    expect(text.stdout).toMatch(new RegExp(`deploy\\s+ok\\s+sha256:[0-9a-f]{12}….*commit ${sha.slice(0, 7)}\\s+by ${CALLER}`));
  });

  it("SIGTERM mid-deploy: exit 143, the lock released, the deploy recorded as interrupted", async () => {
    await setMemory(640);
    let sent = false;
    const r = await logship(["deploy", "lambda", "--no-smoke"], project.p.dir, {
      env: project.env,
      // Once the lock is held and the function update has been sent: stop the run as `timeout` or a CI cancel would.
      onStderr: (text, child) => {
        if (!sent && /aws Lambda\.UpdateFunctionConfiguration ok/.test(text)) {
          sent = true;
          child.kill("SIGTERM");
        }
      },
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(143);
    expect(await lockValue()).toBe("ParameterNotFound");
    expect(r.lockCalls.slice(-2)).toEqual(["SSM.GetParameter", "SSM.DeleteParameter"]);
    const [latest] = JSON.parse((await logship(["releases", "lambda", "--json"], project.p.dir, { env: project.env })).stdout).record;
    expect(latest).toMatchObject({ action: "deploy", result: "interrupted", sha });
    expect(latest.attempted).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("a second SIGTERM quits at once: the lock stays, and the run says so and how to break it", async () => {
    await setMemory(600);
    let sent = false;
    const r = await logship(["deploy", "lambda", "--no-smoke"], project.p.dir, {
      env: project.env,
      onStderr: (text, child) => {
        if (!sent && /Take the deploy lock of lambda — held by this run/.test(text)) {
          sent = true;
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGTERM"), 50);
        }
      },
    });
    expect(sent, r.stderr).toBe(true);
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toMatch(new RegExp(`warning: the deploy lock of lambda \\(${lock}\\) stays held until about .* UTC; break it with \`logship lock release lambda\``));
    expect(JSON.parse(String(await lockValue())).command).toBe("logship deploy lambda");
    const broken = await logship(["lock", "release", "lambda", "--yes"], project.p.dir, { env: project.env });
    expect(broken.code, broken.stderr).toBe(0);
    // Let the interrupted update settle before the next flow deploys again.
    const settle = await logship(["deploy", "lambda", "--no-smoke"], project.p.dir, { env: project.env });
    expect(settle.code, settle.stderr).toBe(0);
  });

  it("rollback says which recorded release it went back to", async () => {
    // A new image (new page, version 1.2.4), committed and shipped; then roll back to the one before.
    const page = path.join(project.p.dir, "www", "index.html");
    await writeFile(page, `${await readFile(page, "utf8")}\n<!-- v2 -->\n`);
    await project.configure({ version: "1.2.4", targets: { lambda: { function: `${project.p.app}-fn`, memory: 640 } } });
    await git(project.p.dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", "v2");
    const shipped = await logship(["ship", "lambda", "--no-smoke"], project.p.dir, { env: project.env });
    expect(shipped.code, shipped.stderr).toBe(0);
    const r = await logship(["rollback", "lambda", "--no-smoke", "--json"], project.p.dir, { env: project.env });
    expect(r.code, r.stderr).toBe(0);
    // The newest successful deploy of the image now live again (the --lock-wait run's), built from the first commit.
    expect(r.stderr).toMatch(new RegExp(`lambda: back to the release deployed by ${CALLER} on \\d{4}-\\d{2}-\\d{2} [0-9:]+ UTC from commit ${sha.slice(0, 7)}\n`));
    expect(JSON.parse(r.stdout).backTo).toMatchObject({ action: "deploy", result: "ok", sha });
    const [latest] = JSON.parse((await logship(["releases", "lambda", "--json"], project.p.dir, { env: project.env })).stdout).record;
    expect(latest).toMatchObject({ action: "rollback", result: "ok", digest: JSON.parse(r.stdout).backTo.digest });
  });

  it("lock status shows a held lock; lock release without a terminal refuses, with --yes breaks it", async () => {
    const holder = { id: "x", by: "arn:aws:iam::123456789012:user/alice", host: "laptop", pid: 7, command: "logship deploy lambda", since: new Date().toISOString(), ttlSeconds: 600 };
    await ssm.send(new PutParameterCommand({ Name: lock, Value: JSON.stringify(holder), Type: "String" }));
    const status = await logship(["lock", "status", "lambda"], project.p.dir, { env: project.env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/^lambda: locked by arn:aws:iam::123456789012:user\/alice on laptop \(pid 7, logship deploy lambda\) since .* UTC, until .* UTC\n$/);
    const refused = await logship(["lock", "release", "lambda"], project.p.dir, { env: project.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/lock release lambda: refusing to break a lock another run may hold/);
    expect(JSON.parse(String(await lockValue())).by).toBe(holder.by);
    const broken = await logship(["lock", "release", "lambda", "--yes"], project.p.dir, { env: project.env });
    expect(broken.code, broken.stderr).toBe(0);
    expect(await lockValue()).toBe("ParameterNotFound");
    const free = await logship(["lock", "status", "lambda", "--json"], project.p.dir, { env: project.env });
    expect(JSON.parse(free.stdout)).toMatchObject({ command: "lock status lambda", ok: true, target: "lambda", lock: { state: "free" } });
  });
});
