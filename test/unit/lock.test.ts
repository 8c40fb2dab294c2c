// The deploy lock against Parameter Store's documented behaviour (test/helpers/ssm-fake.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import { AwsClients } from "../../src/aws/clients.js";
import { acquireLock, lockName, LockHeldError, type LockRequest } from "../../src/lock/lock.js";
import { describeHolder, parseHolder, ciRunUrl } from "../../src/lock/holder.js";
import { exitCodeOf, InterruptedError } from "../../src/errors.js";
import { fakeSsm } from "../helpers/ssm-fake.js";
import { ParameterAlreadyExists, PutParameterCommand } from "@aws-sdk/client-ssm";

const name = lockName("shop", "lambda");
let clock = Date.parse("2026-12-01T10:00:00Z");
const now = () => clock;

function request(over: Partial<LockRequest> = {}): LockRequest & { lines: string[]; warnings: string[] } {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    aws: new AwsClients({ region: "us-east-1" }),
    app: "shop",
    target: "lambda",
    holder: { by: "arn:aws:sts::123456789012:assumed-role/ci/run-7", host: "runner-1", pid: 4242, command: "logship deploy lambda", sha: "1a2b3c4d5e6f", ttlSeconds: 600 },
    progress: (l) => lines.push(l),
    info: (l) => lines.push(l),
    warn: (l) => warnings.push(l),
    now,
    settleMs: 5,
    pollMs: 10,
    lines,
    warnings,
    ...over,
  };
}

const other = (over: Record<string, unknown> = {}) => JSON.stringify({
  id: "other-run", by: "arn:aws:iam::123456789012:user/alice", host: "laptop", pid: 77, command: "logship deploy lambda",
  sha: "9f8e7d6c5b4a", ci: "https://github.com/acme/shop/actions/runs/42", since: new Date(clock).toISOString(), ttlSeconds: 600, ...over,
});

afterEach(() => {
  vi.useRealTimers();
  clock = Date.parse("2026-12-01T10:00:00Z");
});

describe("deploy lock", () => {
  it("takes a free lock with one atomic create naming this run, and release deletes it", async () => {
    const ssm = fakeSsm(now);
    const lock = await acquireLock(request());
    const held = parseHolder(ssm.value(name)!)!;
    expect(held).toMatchObject({ by: "arn:aws:sts::123456789012:assumed-role/ci/run-7", host: "runner-1", pid: 4242, sha: "1a2b3c4d5e6f", ttlSeconds: 600 });
    expect(held.id).toBe(lock.holder.id);
    const create = ssm.mock.calls()[0].args[0].input as { Overwrite?: boolean; Name: string };
    expect(create).toMatchObject({ Name: "/logship/shop/lambda/lock", Overwrite: false });
    await lock.release();
    expect(ssm.value(name)).toBeUndefined();
    expect(ssm.writes()).toEqual(["PutParameter", "DeleteParameter"]);
  });

  it("a held lock without --lock-wait is exit 1 naming who holds it, since and until when; nothing is written", async () => {
    const ssm = fakeSsm(now);
    ssm.put(name, other());
    const err = await acquireLock(request()).catch((e) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect(exitCodeOf(err)).toBe(1);
    expect(err.message).toBe(
      "the deploy lock of lambda is held by arn:aws:iam::123456789012:user/alice on laptop (pid 77, logship deploy lambda, commit 9f8e7d6, " +
      "https://github.com/acme/shop/actions/runs/42) since 2026-12-01 10:00:00 UTC, until 2026-12-01 10:10:00 UTC",
    );
    expect(err.hint).toMatch(/--lock-wait/);
    expect(parseHolder(ssm.value(name)!)!.id).toBe("other-run");
  });

  it("--lock-wait waits for the holder to release, saying whom it waits for, then takes the lock", async () => {
    const ssm = fakeSsm(Date.now);
    ssm.put(name, other({ since: new Date().toISOString() }));
    setTimeout(() => ssm.store.delete(name), 60);
    const r = request({ waitMs: 5_000, now: Date.now });
    const lock = await acquireLock(r);
    expect(r.lines[0]).toMatch(/^waiting up to \d+s: the deploy lock of lambda is held by arn:aws:iam::123456789012:user\/alice on laptop/);
    expect(parseHolder(ssm.value(name)!)!.id).toBe(lock.holder.id);
    await lock.release();
  });

  it("--lock-wait gives up at its deadline with the same message", async () => {
    const ssm = fakeSsm(Date.now);
    ssm.put(name, other({ since: new Date().toISOString() }));
    const started = Date.now();
    const err = await acquireLock(request({ waitMs: 80, now: Date.now })).catch((e) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(parseHolder(ssm.value(name)!)!.id).toBe("other-run");
  });

  it("takes over a lock whose holder stopped renewing it, and says so", async () => {
    const ssm = fakeSsm(now);
    ssm.put(name, other());
    clock += 601_000; // the holder's 10 minutes have passed since AWS last wrote the parameter
    const r = request();
    const lock = await acquireLock(r);
    expect(r.warnings[0]).toMatch(/^the deploy lock of lambda expired \(held by arn:aws:iam::123456789012:user\/alice .*until 2026-12-01 10:10:00 UTC\): taking it over$/);
    expect(parseHolder(ssm.value(name)!)!.id).toBe(lock.holder.id);
    await lock.release();
  });

  it("two runs taking over one expired lock: exactly one holds it", async () => {
    const ssm = fakeSsm(now);
    ssm.put(name, other());
    clock += 601_000;
    const outcomes = await Promise.allSettled([acquireLock(request({ settleMs: 30 })), acquireLock(request({ settleMs: 30 }))]);
    const won = outcomes.filter((o) => o.status === "fulfilled");
    expect(won).toHaveLength(1);
    expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(LockHeldError);
    expect(parseHolder(ssm.value(name)!)!.id).toBe((won[0] as PromiseFulfilledResult<{ holder: { id: string } }>).value.holder.id);
  });

  it("Ctrl-C during a takeover gives the lock back instead of leaving it to expire", async () => {
    const ssm = fakeSsm(now);
    ssm.put(name, other());
    clock += 601_000;
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 10);
    const err = await acquireLock(request({ settleMs: 5_000, signal: ac.signal })).catch((e) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(ssm.value(name)).toBeUndefined();
  });

  it("its own create, retried by the SDK after a lost answer, counts as taken", async () => {
    const ssm = fakeSsm(now);
    // The first PutParameter reached Parameter Store but its answer was lost; the SDK's retry then met
    // ParameterAlreadyExists for the value this very run wrote.
    ssm.mock.on(PutParameterCommand).callsFakeOnce((input) => {
      ssm.put(input.Name, input.Value);
      throw new ParameterAlreadyExists({ message: "The parameter already exists.", $metadata: { httpStatusCode: 400 } });
    });
    const lock = await acquireLock(request());
    expect(parseHolder(ssm.value(name)!)!.id).toBe(lock.holder.id);
    await lock.release();
    expect(ssm.value(name)).toBeUndefined();
  });

  it("an identity without SSM access is told which parameter, and that lock: false is the way out", async () => {
    const ssm = fakeSsm(now);
    // IAM's refusal as the SDK raises it (AccessDeniedException, HTTP 400, for SSM's JSON protocol).
    ssm.mock.on(PutParameterCommand).rejects(Object.assign(new Error("User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: ssm:PutParameter"), {
      name: "AccessDeniedException", $metadata: { httpStatusCode: 400 },
    }));
    const err = await acquireLock(request()).catch((e) => e);
    expect(exitCodeOf(err)).toBe(1);
    expect(err.message).toMatch(/^the deploy lock of lambda: AWS refused \/logship\/shop\/lambda\/lock \(User: .* is not authorized to perform: ssm:PutParameter\)$/);
    expect(err.hint).toMatch(/ssm:PutParameter.*parameter\/logship\/\*.*`lock: false`/);
  });

  it("renews itself every third of its ttl while held", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const ssm = fakeSsm(now);
    const lock = await acquireLock(request({ holder: { ...request().holder, ttlSeconds: 30 } }));
    clock += 10_000;
    await vi.advanceTimersByTimeAsync(10_000);
    const versions = ssm.store.get(name)!;
    expect(versions.map((v) => v.Version)).toEqual([1, 2]);
    expect(versions[1].LastModifiedDate.getTime()).toBe(clock);
    expect(parseHolder(versions[1].Value)!.id).toBe(lock.holder.id);
    await lock.release();
  });

  it("a lock taken over while held is reported once and not deleted by release", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const ssm = fakeSsm(now);
    const r = request({ holder: { ...request().holder, ttlSeconds: 30 } });
    const lock = await acquireLock(r);
    ssm.put(name, other());
    await vi.advanceTimersByTimeAsync(20_000);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^the deploy lock of lambda is no longer this run's \(held by arn:aws:iam::123456789012:user\/alice .*\): another run may deploy at the same time$/);
    await lock.release();
    expect(parseHolder(ssm.value(name)!)!.id).toBe("other-run");
  });

  it("a value logship did not write counts as held, with a clear message", async () => {
    const ssm = fakeSsm(now);
    ssm.put(name, "locked by bob, do not deploy");
    const err = await acquireLock(request()).catch((e) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect(err.message).toBe('the deploy lock of lambda (/logship/shop/lambda/lock) holds a value logship did not write ("locked by bob, do not deploy"): it counts as held');
    expect(err.hint).toBe("break it with `logship lock release lambda` if no deploy is running");
    clock += 86_400_000;
    await expect(acquireLock(request())).rejects.toBeInstanceOf(LockHeldError);
  });

  it("Ctrl-C while waiting stops at once and leaves the holder's lock alone", async () => {
    const ssm = fakeSsm(Date.now);
    ssm.put(name, other({ since: new Date().toISOString() }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const err = await acquireLock(request({ waitMs: 60_000, pollMs: 10_000, now: Date.now, signal: ac.signal })).catch((e) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(parseHolder(ssm.value(name)!)!.id).toBe("other-run");
  });
});

describe("lock holder", () => {
  it("names the CI run where the CI exports one", () => {
    expect(ciRunUrl({ GITHUB_RUN_ID: "9", GITHUB_REPOSITORY: "acme/shop", GITHUB_SERVER_URL: "https://github.com" })).toBe("https://github.com/acme/shop/actions/runs/9");
    expect(ciRunUrl({ CI_JOB_URL: "https://gitlab.com/acme/shop/-/jobs/5" })).toBe("https://gitlab.com/acme/shop/-/jobs/5");
    expect(ciRunUrl({})).toBeUndefined();
  });

  it("reads only values it wrote", () => {
    expect(parseHolder("{}")).toBeUndefined();
    expect(parseHolder(other({ ttlSeconds: -1 }))).toBeUndefined();
    expect(parseHolder(other({ since: "yesterday" }))).toBeUndefined();
    const h = parseHolder(other({ sha: undefined, ci: undefined }))!;
    expect(describeHolder(h, new Date("2026-12-01T10:10:00Z"))).toBe("arn:aws:iam::123456789012:user/alice on laptop (pid 77, logship deploy lambda) since 2026-12-01 10:00:00 UTC, until 2026-12-01 10:10:00 UTC");
  });
});
