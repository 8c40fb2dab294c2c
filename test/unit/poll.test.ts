// The shared poll loop: whatever maxDelayMs a caller asks for, no sleep between two checks is longer
// than 15 s (the SDK's ECS waiter grew to 600 s in 3.995.0: aws-actions/amazon-ecs-deploy-task-definition#872),
// and each progress line names what is waited for.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_POLL_DELAY_MS, poll } from "../../src/util/poll.js";
import { DeployError } from "../../src/errors.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("poll", () => {
  it("caps the delay at 15 s even when asked for 10 minutes, and says what it waits for", async () => {
    const at: number[] = [];
    const lines: string[] = [];
    let n = 0;
    const done = poll({ progress: (l) => lines.push(l) }, "waiting for ECS to deploy web", async () => {
      at.push(Date.now());
      return ++n < 8 ? { done: false, state: "IN_PROGRESS" } : { done: true, value: n };
    }, { service: "ECS", timeoutMs: 3_600_000, firstDelayMs: 5_000, maxDelayMs: 600_000 });
    await vi.advanceTimersByTimeAsync(200_000);
    expect(await done).toBe(8);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(MAX_POLL_DELAY_MS).toBe(15_000);
    expect(gaps).toEqual([5_000, 10_000, 15_000, 15_000, 15_000, 15_000, 15_000]);
    expect(lines[0]).toBe("waiting for ECS to deploy web: IN_PROGRESS (0s)");
  });

  it("gives the caller's hint on a timeout", async () => {
    const p = poll({ progress: () => {} }, "waiting", async () => ({ done: false, state: "PENDING" }),
      { service: "ECS", timeoutMs: 60_000, firstDelayMs: 5_000, maxDelayMs: 15_000, timeoutHint: "raise targets.ecs.waitTimeout" });
    const caught = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(120_000);
    const e = await caught;
    expect(e).toBeInstanceOf(DeployError);
    expect((e as DeployError).hint).toBe("raise targets.ecs.waitTimeout");
  });
});
