// The shared service lifecycle (src/targets/service/): the order App Runner and ECS both rely on,
// checked once against a recording adapter, so a change to the driver shows here before it shows
// as a changed AWS call sequence in test/unit/apprunner*.test.ts and ecs*.test.ts.
import { describe, expect, it } from "vitest";
import { pushedDigest, sendThenWait, serviceStep, type ServiceAdapter, type ServiceRun } from "../../src/targets/service/lifecycle.js";
import { deleteStep, destroyList } from "../../src/targets/service/destroy.js";
import { sendWhileRolesPropagate } from "../../src/targets/service/propagation.js";
import { recordedUrl, urlSmokeStep } from "../../src/targets/service/smoke.js";
import type { ImageState, Step } from "../../src/steps/types.js";
import { outputOf, recordOutput } from "../../src/steps/outputs.js";
import { testContext } from "../helpers/context.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const image = { spec: {}, localRefs: [], remote: { repository: "r", tag: "t", digest: DIGEST } } as unknown as ImageState;

interface Svc { name: string; healthy: boolean; url?: string }
interface Want { name: string }

function recorder(found: Svc | undefined, over: Partial<ServiceAdapter<Svc, Want>> = {}) {
  const calls: string[] = [];
  const adapter: ServiceAdapter<Svc, Want> = {
    group: "demo",
    title: () => "Deploy demo",
    plan: () => [],
    name: () => "shop",
    settle: async () => { calls.push("settle"); return found; },
    desired: () => { calls.push("desired"); return { name: "shop" }; },
    upToDate: (_ctx, svc, d) => { calls.push("compare"); d(); return svc.healthy; },
    create: async () => { calls.push("create"); return { name: "shop", healthy: true, url: "https://new" }; },
    update: async (_ctx, svc) => { calls.push("update"); return { svc: { ...svc, healthy: true }, what: "updated (image)" }; },
    address: (svc) => svc.url,
    record: (_ctx, _svc, detail) => { calls.push(`record: ${detail}`); },
    ...over,
  };
  return { adapter, calls };
}

describe("serviceStep: find → settle → compare → create | update → wait → record", () => {
  it("a settled, current service is recorded as up to date and nothing is written", async () => {
    const { ctx } = testContext({ app: "demo" });
    const { adapter, calls } = recorder({ name: "shop", healthy: true, url: "https://x" });
    const step = serviceStep(image, {}, adapter);
    expect(step.id).toBe("demo.service");
    expect(await step.isDone!(ctx)).toBe("up to date: shop runs abababababab");
    expect(calls).toEqual(["settle", "compare", "desired", "record: up to date: shop runs abababababab"]);
  });

  it("no service: not compared, then created; the detail names its address", async () => {
    const { ctx } = testContext({ app: "demo" });
    const { adapter, calls } = recorder(undefined);
    const state: ServiceRun<Svc> = {};
    const step = serviceStep(image, state, adapter);
    expect(await step.isDone!(ctx)).toBe(false);
    expect(await step.run(ctx)).toBe("created https://new (abababababab)");
    expect(calls).toEqual(["settle", "desired", "create", "record: created https://new (abababababab)"]);
  });

  it("a differing service is prepared, updated and verified; without an address the detail names the service", async () => {
    const { ctx } = testContext({ app: "demo" });
    const order: string[] = [];
    const { adapter, calls } = recorder({ name: "shop", healthy: false }, {
      prepare: async (_ctx, svc) => { order.push("prepare"); return svc; },
      verify: () => { order.push("verify"); },
    });
    const state: ServiceRun<Svc> = {};
    const step = serviceStep(image, state, adapter);
    expect(await step.isDone!(ctx)).toBe(false);
    expect(state.existing).toEqual({ name: "shop", healthy: false });
    expect(await step.run(ctx)).toBe("updated (image) shop (abababababab)");
    expect(calls.slice(3)).toEqual(["desired", "update", "record: updated (image) shop (abababababab)"]);
    expect(order).toEqual(["prepare", "verify"]);
  });

  it("prepare may clear the service away (App Runner's --recreate): it is then created", async () => {
    const { ctx } = testContext({ app: "demo" });
    const { adapter, calls } = recorder({ name: "shop", healthy: false }, { prepare: async () => undefined });
    const step = serviceStep(image, {}, adapter);
    await step.isDone!(ctx);
    expect(await step.run(ctx)).toMatch(/^created /);
    expect(calls).toContain("create");
    expect(calls).not.toContain("update");
  });

  it("a failed verify records nothing", async () => {
    const { ctx } = testContext({ app: "demo" });
    const { adapter, calls } = recorder(undefined, { verify: () => { throw new Error("service is CREATE_FAILED after the deployment"); } });
    const step = serviceStep(image, {}, adapter);
    await step.isDone!(ctx);
    await expect(step.run(ctx)).rejects.toThrow("CREATE_FAILED");
    expect(calls.some((c) => c.startsWith("record"))).toBe(false);
  });
});

describe("sendThenWait", () => {
  it("tags before the send, and the wait's `since` is taken after the tag and before the send", async () => {
    const order: string[] = [];
    let tagged = 0;
    let sent = 0;
    const out = await sendThenWait({
      tag: async () => { order.push("tag"); await new Promise((r) => setTimeout(r, 5)); tagged = Date.now(); },
      send: async () => { sent = Date.now(); order.push("send"); return "op-1"; },
      wait: async (op, since) => {
        order.push(`wait ${op}`);
        expect(since.getTime()).toBeGreaterThanOrEqual(tagged);
        expect(since.getTime()).toBeLessThanOrEqual(sent);
        return "done";
      },
    });
    expect(out).toBe("done");
    expect(order).toEqual(["tag", "send", "wait op-1"]);
  });

  it("in a dry run it tags and sends (the executor keeps both) and returns the planned state without waiting", async () => {
    const order: string[] = [];
    const out = await sendThenWait({
      tag: async () => { order.push("tag"); },
      send: async () => { order.push("send"); return "op-planned"; },
      wait: async () => { order.push("wait"); return "waited"; },
      planned: (op) => `planned after ${op}`,
    }, true);
    expect(out).toBe("planned after op-planned");
    expect(order).toEqual(["tag", "send"]);
  });

  it("no pushed image is one clear line naming the command to run", () => {
    const none = { ...image, remote: undefined } as ImageState;
    expect(() => pushedDigest(none, "ecs")).toThrow("no pushed image to deploy");
    expect(pushedDigest(image, "ecs")).toBe(DIGEST);
  });
});

describe("sendWhileRolesPropagate", () => {
  const propagating = Object.assign(new Error("Cannot assume role"), { name: "AccessDeniedException" });

  it("retries a propagation error only for a role this run changed, saying so", async () => {
    const lines: string[] = [];
    const { ctx } = testContext({ app: "demo" }, { progress: (l) => lines.push(l) });
    let tries = 0;
    const send = async () => { if (++tries < 3) throw propagating; return "ok"; };
    const p = { isPropagation: (e: unknown) => e === propagating, retry: { tries: 4, baseMs: 1, maxMs: 1 }, what: "the new roles usable by ECS" };
    expect(await sendWhileRolesPropagate(ctx, send, { ...p, changed: true })).toBe("ok");
    expect(lines).toEqual([
      "waiting for IAM to make the new roles usable by ECS (retry 1 of 3 in 0s)",
      "waiting for IAM to make the new roles usable by ECS (retry 2 of 3 in 0s)",
    ]);
    tries = 0;
    await expect(sendWhileRolesPropagate(ctx, send, { ...p, changed: false })).rejects.toBe(propagating);
    expect(tries).toBe(1);
  });
});

describe("deleteStep and destroyList", () => {
  it("absent is done; present is deleted, then waited for, then reported", async () => {
    const { ctx } = testContext({ app: "demo" });
    const calls: string[] = [];
    let there: string | undefined = "arn:svc";
    const step = deleteStep<string>({
      id: "demo.delete-service", group: "demo", title: () => "Delete", describe: () => [], absent: "no service",
      find: async () => there,
      delete: async (_ctx, arn) => { calls.push(`delete ${arn}`); },
      waitGone: async (_ctx, arn) => { calls.push(`wait ${arn}`); },
      deleted: () => "deleted shop",
    });
    expect(await step.isDone!(ctx)).toBe(false);
    expect(await step.run(ctx)).toBe("deleted shop");
    expect(calls).toEqual(["delete arn:svc", "wait arn:svc"]);
    there = undefined;
    expect(await step.isDone!(ctx)).toBe("no service");
  });

  it("roles only with --with-roles, after the resource", () => {
    const a = { id: "a" } as Step;
    const r = { id: "role" } as Step;
    expect(destroyList(testContext({ app: "demo" }).ctx, [a], () => [r])).toEqual([a]);
    expect(destroyList(testContext({ app: "demo" }, { options: { withRoles: true } }).ctx, [a], () => [r])).toEqual([a, r]);
  });
});

describe("urlSmokeStep", () => {
  it("before a URL is recorded: the placeholder in title and plan, the reason as done", async () => {
    const { ctx } = testContext({ app: "demo" });
    const step = urlSmokeStep({ group: "demo", url: (c) => recordedUrl(c, "demo"), placeholder: () => "https://<url>/", noUrl: () => "no public URL" });
    expect(step.id).toBe("demo.smoke-test");
    expect(step.title(ctx)).toBe("Smoke test https://<url>/");
    expect(step.describe(ctx)).toMatchObject([{ kind: "http", command: "GET https://<url>/" }]);
    expect(await step.isDone!(ctx)).toBe("no public URL");
  });

  it("GETs the recorded URL plus smoke.path and records the status", async () => {
    const { ctx } = testContext({ app: "demo", smoke: { path: "/health" } });
    recordOutput(ctx, "demo", { url: "https://x.example" });
    const seen: string[] = [];
    const fetch = (async (u: string) => { seen.push(u); return new Response("ok", { status: 200 }); }) as unknown as typeof globalThis.fetch;
    const step = urlSmokeStep({ group: "demo", url: (c) => recordedUrl(c, "demo"), placeholder: () => "", noUrl: () => "", fetch });
    expect(await step.isDone!(ctx)).toBe(false);
    expect(await step.run(ctx)).toMatch(/^HTTP 200 after /);
    expect(seen).toEqual(["https://x.example/health"]);
    expect(outputOf(ctx, "demo")).toEqual({ url: "https://x.example", status: 200 });
  });
});
