// `deploy apprunner --dry-run` with live state (src/plan/dry-run.ts): the App Runner steps read for
// real (aws-sdk-client-mock answers as App Runner documents: test/helpers/apprunner-run.ts), send no
// write, and say per step what a real run would do; the writes they plan are the ones a real run sends.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import {
  AppRunnerClient, CreateServiceCommand, DescribeServiceCommand, ListOperationsCommand, ListServicesCommand, UpdateServiceCommand,
} from "@aws-sdk/client-apprunner";
import { runSteps, type StepResult } from "../../src/pipeline.js";
import { apprunnerDeploySteps } from "../../src/targets/apprunner/index.js";
import { formatPlan } from "../../src/ui/plan.js";
import type { Context } from "../../src/steps/types.js";
import { appRunnerTarget, ARN, deploy, image, listed, NEW, OLD, op, service, setup } from "../helpers/apprunner-run.js";

const ar = mockClient(AppRunnerClient);
const WRITES = ["CreateService", "UpdateService", "TagResource", "DeleteService"];
const sent = () => ar.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));
const sentWrites = () => sent().filter((n) => WRITES.includes(n)).map((n) => `AppRunner.${n}`);
const plannedWrites = (results: StepResult[]) => results.flatMap((r) => r.writes ?? []).map((w) => `${w.service}.${w.operation}`);

beforeEach(() => {
  ar.reset();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

async function dryRun(ctx: Context) {
  ctx.dryRun = true;
  ctx.liveDryRun = true;
  return runSteps(apprunnerDeploySteps(ctx, image()), ctx);
}

/** A service running `digest` with 1 vCPU / 2 GB; its update or create SUCCEEDED. */
function running(digest: string) {
  ar.on(ListServicesCommand).resolves(listed);
  ar.on(DescribeServiceCommand).resolvesOnce({ Service: service({}, digest) }).resolves({ Service: service({}, NEW) });
  ar.on(UpdateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }, digest), OperationId: "op-2" });
  ar.on(ListOperationsCommand).resolves(op("op-2", "SUCCEEDED"));
}

function missing() {
  ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
  ar.on(CreateServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }, NEW), OperationId: "op-1" });
  ar.on(ListOperationsCommand).resolves(op("op-1", "SUCCEEDED", "CREATE_SERVICE"));
  ar.on(DescribeServiceCommand).resolves({ Service: service({}, NEW) });
}

describe("deploy apprunner --dry-run with live state", () => {
  it("a changed image and size: the service step plans each field change, and only reads are sent", async () => {
    running(OLD);
    const results = await dryRun(setup(appRunnerTarget({ cpu: 2048, memory: 4096 })));
    expect(sent()).toEqual(["ListServices", "DescribeService"]);
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ["apprunner.preflight", "up to date"],
      ["apprunner.service", "update: image 000000000000 → aaaaaaaaaaaa, cpu 1024 → 2048, memory 2048 → 4096"],
      ["apprunner.smoke-test", undefined],
    ]);
    const svc = results.find((r) => r.id === "apprunner.service")!;
    expect(svc.writes!.map((w) => [w.operation, w.change])).toEqual([
      ["TagResource", []],
      ["UpdateService", ["image 000000000000 → aaaaaaaaaaaa", "cpu 1024 → 2048", "memory 2048 → 4096"]],
    ]);
    // Env values are shown as (secret); the secret's ARN reference is not a secret.
    expect(svc.writes![1].input).toMatchObject({
      ServiceArn: ARN, InstanceConfiguration: { Cpu: "2048", Memory: "4096" },
      SourceConfiguration: { ImageRepository: { ImageConfiguration: { RuntimeEnvironmentVariables: { LOG_LEVEL: "(secret)", WORKERS: "(secret)" } } } },
    });
    const text = formatPlan("deploy apprunner", results);
    expect(text).toContain("2. [apprunner] Deploy App Runner service log-analyzer-v1: update: image 000000000000 → aaaaaaaaaaaa, cpu 1024 → 2048");
    expect(text).toContain("   aws AppRunner.UpdateService {");
  });

  it("a changed env value is named, never shown: in the change, the writes and the text", async () => {
    running(NEW);
    const results = await dryRun(setup(appRunnerTarget({ env: { WORKERS: "s3cret-value" } })));
    expect(results.find((r) => r.id === "apprunner.service")?.outcome).toBe("update: env: WORKERS changed");
    expect(JSON.stringify(results) + formatPlan("deploy apprunner", results)).not.toContain("s3cret-value");
  });

  it("nothing changed: up to date, no write planned", async () => {
    running(NEW);
    const results = await dryRun(setup());
    expect(results.filter((r) => r.outcome !== undefined).map((r) => [r.id, r.outcome, r.writes])).toEqual([
      ["apprunner.preflight", "up to date", []], ["apprunner.service", "up to date", []],
    ]);
    expect(sent()).toEqual(["ListServices", "DescribeService"]);
  });

  it("a service busy with another operation is not waited for: it is compared as it describes itself", async () => {
    ar.on(ListServicesCommand).resolves(listed);
    // OPERATION_IN_PROGRESS: one of the states in API_Service.html; a real run polls until it ends (fake time would stall it here).
    ar.on(DescribeServiceCommand).resolves({ Service: service({ Status: "OPERATION_IN_PROGRESS" }, OLD) });
    const results = await dryRun(setup());
    expect(results.find((r) => r.id === "apprunner.service")?.outcome).toBe("update: image 000000000000 → aaaaaaaaaaaa");
    expect(sent()).toEqual(["ListServices", "DescribeService"]);
  });

  it("a missing service: create, planned with its wait as done; the real run sends exactly that", async () => {
    missing();
    const results = await dryRun(setup());
    expect(results.find((r) => r.id === "apprunner.service")?.outcome).toBe("create");
    expect(sentWrites()).toEqual([]);
    expect(sent()).toEqual(["ListServices"]);
    ar.reset();
    missing();
    const real = await deploy(setup());
    expect(real.error).toBeUndefined();
    expect(sentWrites()).toEqual(plannedWrites(results));
    expect(sentWrites()).toEqual(["AppRunner.CreateService"]);
  });

  it("an update: the real run sends the writes the dry run planned, in order", async () => {
    running(OLD);
    const results = await dryRun(setup());
    expect(results.find((r) => r.id === "apprunner.service")?.outcome).toBe("update: image 000000000000 → aaaaaaaaaaaa");
    expect(sentWrites()).toEqual([]);
    ar.reset();
    running(OLD);
    const real = await deploy(setup());
    expect(real.error).toBeUndefined();
    expect(sentWrites()).toEqual(plannedWrites(results));
    expect(sentWrites()).toEqual(["AppRunner.TagResource", "AppRunner.UpdateService"]);
  });
});
