// What the App Runner tests share: a context, a pushed image, the service as DescribeService
// reports it, ListOperations answers, and a deploy run with fake time. Create/UpdateService are
// asynchronous: they answer with the service OPERATION_IN_PROGRESS and an OperationId to follow with
// ListOperations (API_CreateService.html, API_UpdateService.html).
import { vi } from "vitest";
import type { Service } from "@aws-sdk/client-apprunner";
import { runSteps, type PipelineError } from "../../src/pipeline.js";
import { apprunnerDeploySteps } from "../../src/targets/apprunner/index.js";
import type { Context, ImageState } from "../../src/steps/types.js";
import { AwsClients } from "../../src/aws/clients.js";
import { logAnalyzerImage, testContext } from "./context.js";

export const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/log-analyzer";
export const OLD = "sha256:" + "0".repeat(64);
export const NEW = "sha256:" + "a".repeat(64);
export const ARN = "arn:aws:apprunner:us-east-1:123456789012:service/log-analyzer-v1/svc123";
export const ROLE = "arn:aws:iam::123456789012:role/my-access-role";
export const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
export const HOST = "xyz.us-east-1.awsapprunner.com";

export const appRunnerTarget = (over: Record<string, unknown> = {}) => ({
  service: "log-analyzer-v1", port: 80, cpu: 1024, memory: 2048,
  env: { WORKERS: 2 }, secrets: { DB_PASSWORD: SECRET }, accessRoleArn: ROLE, ...over,
});

export function setup(target: Record<string, unknown> = appRunnerTarget(), over: Partial<Context> = {}) {
  // A region from "flags": no read of ~/.aws/config, whose real I/O would race the fake clock.
  const aws = new AwsClients({ region: "us-east-1", regionSource: "flag", env: {} });
  return testContext({
    app: "log-analyzer",
    env: { LOG_LEVEL: "info" },
    smoke: { path: "/logs?start_time=2021-04-23T10:00:00", timeout: "10s" },
    targets: { apprunner: target },
  }, { aws, ...over }).ctx;
}

export const image = (over: Partial<ImageState> = {}): ImageState =>
  logAnalyzerImage("apprunner", { remote: { repository: REPO, tag: "0.0.1", digest: NEW }, ...over });

export const SOURCE = (digest: string, role = ROLE) => ({
  ImageRepository: {
    ImageIdentifier: `${REPO}@${digest}`,
    ImageRepositoryType: "ECR",
    ImageConfiguration: {
      Port: "80",
      RuntimeEnvironmentVariables: { LOG_LEVEL: "info", WORKERS: "2" },
      RuntimeEnvironmentSecrets: { DB_PASSWORD: SECRET },
    },
  },
  AutoDeploymentsEnabled: false,
  AuthenticationConfiguration: { AccessRoleArn: role },
});

export function service(over: Partial<Service> = {}, digest = OLD): Service {
  return {
    ServiceName: "log-analyzer-v1", ServiceId: "svc123", ServiceArn: ARN, ServiceUrl: HOST, Status: "RUNNING",
    CreatedAt: new Date("2026-11-01T10:00:00Z"), UpdatedAt: new Date("2026-11-20T10:00:00Z"),
    SourceConfiguration: SOURCE(digest) as Service["SourceConfiguration"],
    InstanceConfiguration: { Cpu: "1024", Memory: "2048" },
    AutoScalingConfigurationSummary: undefined, NetworkConfiguration: undefined,
    ...over,
  };
}

export const listed = { ServiceSummaryList: [{ ServiceName: "log-analyzer-v1", ServiceArn: ARN, Status: "RUNNING" as const }] };
export const op = (Id: string, Status: string, Type = "UPDATE_SERVICE") => ({ OperationSummaryList: [{ Id, Status, Type }] }) as never;
export const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });

export const okFetch = () => vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response("[]", { status: 200 }));

/** Runs a promise to the end while advancing fake time, so polls and backoffs finish at once. */
export async function drive<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let out: { value?: T; error?: unknown } | undefined;
  p.then((value) => (out = { value }), (error) => (out = { error }));
  for (let i = 0; !out && i < 2000; i++) await vi.advanceTimersByTimeAsync(1000);
  return out!;
}

export async function deploy(ctx: Context, img = image(), fetchImpl = okFetch()) {
  const r = await drive(runSteps(apprunnerDeploySteps(ctx, img, { fetch: fetchImpl as typeof fetch }), ctx));
  const error = (r.error as PipelineError | undefined)?.cause;
  const results = r.value ?? (r.error as PipelineError | undefined)?.results ?? [];
  return { results, error, fetchImpl };
}
