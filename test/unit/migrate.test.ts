// `migrate apprunner-to-ecs`: App Runner service description → targets.ecs, merged into logship.yaml.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Service } from "@aws-sdk/client-apprunner";
import { appRunnerUnits, ecsBlockFromAppRunner, lineDiff, mergeEcsBlock, migrationNotes } from "../../src/migrate/apprunner-to-ecs.js";
import { validateConfig } from "../../src/config/load.js";
import { runSteps } from "../../src/pipeline.js";
import { ecsDeploySteps } from "../../src/targets/ecs/index.js";
import { logAnalyzerImage, testContext } from "../helpers/context.js";

const ACCOUNT = "123456789012";
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
const PARAM = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/log-analyzer/token`;

/** A service with secrets, an HTTP health check, an instance role and the "1 vCPU" / "2 GB" forms. */
const withSecrets: Service = {
  ServiceName: "log-analyzer-v1", ServiceId: "svc123", ServiceArn: `arn:aws:apprunner:us-east-1:${ACCOUNT}:service/log-analyzer-v1/svc123`,
  ServiceUrl: "xyz.us-east-1.awsapprunner.com", Status: "RUNNING",
  CreatedAt: new Date("2026-01-01T00:00:00Z"), UpdatedAt: new Date("2026-02-01T00:00:00Z"),
  SourceConfiguration: {
    ImageRepository: {
      ImageIdentifier: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/log-analyzer:0.0.1`,
      ImageRepositoryType: "ECR",
      ImageConfiguration: {
        Port: "80",
        RuntimeEnvironmentVariables: { LOG_LEVEL: "info", WORKERS: "2" },
        RuntimeEnvironmentSecrets: { DB_PASSWORD: SECRET, API_TOKEN: PARAM },
      },
    },
  },
  InstanceConfiguration: { Cpu: "1 vCPU", Memory: "2 GB", InstanceRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-instance` },
  HealthCheckConfiguration: { Protocol: "HTTP", Path: "/health", Interval: 5, Timeout: 2, HealthyThreshold: 1, UnhealthyThreshold: 5 },
  AutoScalingConfigurationSummary: undefined,
  NetworkConfiguration: undefined,
};

/** The console tutorial's service: no env, no secrets, TCP health check, numeric sizes. */
const plain: Service = {
  ServiceName: "hello-web", ServiceId: "svc456", ServiceArn: `arn:aws:apprunner:us-east-1:${ACCOUNT}:service/hello-web/svc456`,
  Status: "RUNNING", CreatedAt: new Date("2026-01-01T00:00:00Z"), UpdatedAt: new Date("2026-01-01T00:00:00Z"),
  SourceConfiguration: {
    ImageRepository: {
      ImageIdentifier: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/hello:latest`, ImageRepositoryType: "ECR",
      ImageConfiguration: { Port: "8080", StartCommand: "python app.py" },
    },
  },
  InstanceConfiguration: { Cpu: "256", Memory: "512" },
  HealthCheckConfiguration: { Protocol: "TCP", Path: "/" },
  AutoScalingConfigurationSummary: undefined,
  NetworkConfiguration: undefined,
};

const CONFIG = `# logship config for the log analyzer
app: log-analyzer
region: us-east-1 # our only region
env:
  LOG_LEVEL: info
targets:
  # still serving production until the switch
  apprunner: { service: log-analyzer-v1, port: 80, cpu: 1024, memory: 2048 }
smoke:
  path: /logs
`;

describe("ecsBlockFromAppRunner", () => {
  it("carries port, env, secrets, sizes, health check path and instance role over", () => {
    expect(ecsBlockFromAppRunner(withSecrets)).toEqual({
      service: "log-analyzer-v1", port: 80, cpu: 1024, memory: 2048, healthCheckPath: "/health",
      env: { LOG_LEVEL: "info", WORKERS: "2" },
      secrets: { DB_PASSWORD: SECRET, API_TOKEN: PARAM },
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-instance`,
    });
  });

  it("writes only what there is for a plain service, with / for a TCP health check", () => {
    expect(ecsBlockFromAppRunner(plain)).toEqual({ service: "hello-web", port: 8080, cpu: 256, memory: 512, healthCheckPath: "/" });
    expect(migrationNotes(plain)).toEqual([
      'App Runner checked health over TCP; ECS Express checks HTTP GET healthCheckPath (set to "/"): make sure it answers 200',
      "the App Runner start command is not carried over: targets.ecs has no start command, so the image's CMD runs",
    ]);
    expect(migrationNotes(withSecrets)).toEqual([]);
  });

  it.each([
    ["1024", 1024], ["1 vCPU", 1024], ["0.25 vCPU", 256], ["4 vCPU", 4096], ["2 GB", 2048], ["0.5 GB", 512], ["12 GB", 12288],
    [" 3072 ", 3072], ["lots", undefined], [undefined, undefined],
  ])("reads App Runner size %j as %j", (input, want) => {
    expect(appRunnerUnits(input)).toBe(want);
  });
});

describe("mergeEcsBlock", () => {
  it("adds targets.ecs, keeps comments, leaves out env the top level already sets", () => {
    const { before, after, diff } = mergeEcsBlock(CONFIG, ecsBlockFromAppRunner(withSecrets));
    expect(before).toBe(CONFIG);
    expect(after).toContain("# logship config for the log analyzer");
    expect(after).toContain("region: us-east-1 # our only region");
    expect(after).toContain("# still serving production until the switch");
    expect(parse(after).targets.ecs).toEqual({
      service: "log-analyzer-v1", port: 80, cpu: 1024, memory: 2048, healthCheckPath: "/health",
      env: { WORKERS: "2" }, secrets: { DB_PASSWORD: SECRET, API_TOKEN: PARAM }, taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/app-instance`,
    });
    expect(diff.split("\n").slice(0, 3)).toEqual(["--- logship.yaml", "+++ logship.yaml (new)", "@@ -6,5 +6,17 @@"]);
    expect(diff).toContain("+  ecs:\n+    service: log-analyzer-v1\n");
    expect(diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---"))).toEqual([]);
  });

  it("replaces an existing targets.ecs block", () => {
    const withEcs = `${CONFIG.replace("smoke:", "  ecs: # old\n    service: old-name\n    port: 9000\nsmoke:")}`;
    const { after, diff } = mergeEcsBlock(withEcs, ecsBlockFromAppRunner(plain));
    expect(parse(after).targets.ecs).toEqual({ service: "hello-web", port: 8080, cpu: 256, memory: 512, healthCheckPath: "/" });
    expect(diff).toContain("-    service: old-name\n");
    expect(diff).toContain("+    service: hello-web\n");
    expect(after).toContain("# still serving production until the switch");
  });

  it("writes a config that validates and plans a dry-run deploy, for both services", async () => {
    for (const svc of [withSecrets, plain]) {
      const { after } = mergeEcsBlock(CONFIG, ecsBlockFromAppRunner(svc));
      const config = validateConfig(parse(after));
      expect(config.targets.ecs?.service).toBe(svc.ServiceName);
      const { ctx } = testContext(parse(after), { dryRun: true });
      const results = await runSteps(ecsDeploySteps(ctx, logAnalyzerImage("ecs")), ctx);
      expect(results.every((r) => r.status === "planned")).toBe(true);
      const create = results.find((r) => r.id === "ecs.service")!.actions!.find((a) => a.command === "ECS.CreateExpressGatewayService");
      expect(create?.input).toMatchObject({ serviceName: svc.ServiceName, cpu: String(config.targets.ecs!.cpu), memory: String(config.targets.ecs!.memory) });
    }
  });
});

describe("lineDiff", () => {
  it("is empty for equal texts and marks changed lines with context", () => {
    expect(lineDiff("a\nb\n", "a\nb\n")).toBe("");
    expect(lineDiff("a\nb\nc\n", "a\nB\nc\n")).toBe("--- logship.yaml\n+++ logship.yaml (new)\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  });

  it("splits far-apart changes into hunks", () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = a.map((l, i) => (i === 1 || i === 18 ? `${l}!` : l));
    const diff = lineDiff(a.join("\n") + "\n", b.join("\n") + "\n");
    expect(diff.split("\n").filter((l) => l.startsWith("@@"))).toEqual(["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"]);
  });
});
