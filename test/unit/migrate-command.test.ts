// `logship migrate apprunner-to-ecs` through the real CLI, with App Runner faked at the SDK boundary.
import { mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand, type Service } from "@aws-sdk/client-apprunner";
import { runCli } from "../helpers/cli.js";

const apprunner = mockClient(AppRunnerClient);
afterEach(() => apprunner.reset());

const ACCOUNT = "123456789012";
const service: Service = {
  ServiceName: "log-analyzer-v1", ServiceId: "svc123", ServiceArn: `arn:aws:apprunner:us-east-1:${ACCOUNT}:service/log-analyzer-v1/svc123`,
  ServiceUrl: "xyz.us-east-1.awsapprunner.com", Status: "RUNNING", CreatedAt: new Date(), UpdatedAt: new Date(),
  SourceConfiguration: {
    ImageRepository: {
      ImageIdentifier: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/log-analyzer:0.0.1`, ImageRepositoryType: "ECR",
      ImageConfiguration: { Port: "80", RuntimeEnvironmentSecrets: { DB_PASSWORD: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf` } },
    },
  },
  InstanceConfiguration: { Cpu: "1 vCPU", Memory: "2 GB" },
  HealthCheckConfiguration: { Protocol: "HTTP", Path: "/health" },
  AutoScalingConfigurationSummary: undefined,
  NetworkConfiguration: undefined,
};

const CONFIG = "# the app\napp: log-analyzer\nversion: 0.0.1\nregion: us-east-1\ntargets:\n  apprunner:\n    service: log-analyzer-v1 # the old one\n    port: 80\n";

const run = (argv: string[], cwd: string) =>
  runCli(argv, { cwd, env: { CI: "1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y", LOGSHIP_DOCKER: "/nonexistent/docker" } });

describe("logship migrate apprunner-to-ecs", () => {
  it("shows the diff, refuses to write without --yes in CI, writes with --yes, and the result plans an ECS deploy", async () => {
    apprunner.on(ListServicesCommand).resolves({ ServiceSummaryList: [{ ServiceName: "log-analyzer-v1", ServiceArn: service.ServiceArn }] });
    apprunner.on(DescribeServiceCommand).resolves({ Service: service });
    const cwd = await mkdtemp(path.join(os.tmpdir(), "logship-migrate-"));
    onTestFinished(() => rm(cwd, { recursive: true, force: true }));
    await writeFile(path.join(cwd, "logship.yaml"), CONFIG);
    await writeFile(path.join(cwd, "Dockerfile"), "FROM scratch\n");

    const asked = await run(["migrate", "apprunner-to-ecs"], cwd);
    expect(asked.code, asked.stderr).toBe(2);
    expect(asked.stdout).toContain("+  ecs:");
    expect(asked.stderr).toContain("error: migrate: not writing without confirmation");
    expect(await readFile(path.join(cwd, "logship.yaml"), "utf8")).toBe(CONFIG);

    const wrote = await run(["migrate", "apprunner-to-ecs", "--yes"], cwd);
    expect(wrote.code, wrote.stderr).toBe(0);
    const after = await readFile(path.join(cwd, "logship.yaml"), "utf8");
    expect(after).toContain("# the old one");
    expect(after).toMatch(/ecs:\n\s+service: log-analyzer-v1/);
    expect(apprunner.commandCalls(DescribeServiceCommand)[0].args[0].input).toEqual({ ServiceArn: service.ServiceArn });

    const plan = await run(["deploy", "ecs", "--dry-run", "--json"], cwd);
    expect(plan.code, plan.stderr).toBe(0);
    const doc = JSON.parse(plan.stdout);
    const create = doc.steps.flatMap((s: { actions?: { command: string; input?: any }[] }) => s.actions ?? [])
      .find((a: { command: string }) => a.command === "ECS.CreateExpressGatewayService");
    expect(create.input).toMatchObject({ serviceName: "log-analyzer-v1", cpu: "1024", memory: "2048" });
  });

  it("an unknown service is a one-line error (exit 1)", async () => {
    apprunner.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    const cwd = await mkdtemp(path.join(os.tmpdir(), "logship-migrate-"));
    onTestFinished(() => rm(cwd, { recursive: true, force: true }));
    await writeFile(path.join(cwd, "logship.yaml"), CONFIG);
    const r = await run(["migrate", "apprunner-to-ecs"], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: migrate: no App Runner service named log-analyzer-v1 in us-east-1\n");
  });
});
