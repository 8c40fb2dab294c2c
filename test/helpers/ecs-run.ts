// What the ECS Express tests share: a context, a pushed image, a deploy run with fake time, and
// readers of the calls the SDK fakes received.
import { vi } from "vitest";
import type { mockClient } from "aws-sdk-client-mock";
import { ecsDeploySteps } from "../../src/targets/ecs/index.js";
import { runSteps, type PipelineError, type StepResult } from "../../src/pipeline.js";
import { AwsClients } from "../../src/aws/clients.js";
import type { Context, ImageState } from "../../src/steps/types.js";
import { logAnalyzerImage, testContext } from "./context.js";
import { ACCOUNT, type ExpressFake } from "./ecs-express-fake.js";

export const REPO = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/log-analyzer`;
export const NEW = "sha256:" + "a".repeat(64);
export const OLD = "sha256:" + "b".repeat(64);
export const EXEC = `arn:aws:iam::${ACCOUNT}:role/my-exec`;
export const INFRA = `arn:aws:iam::${ACCOUNT}:role/my-infra`;
export const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
export const SMOKE = "/logs?start_time=2021-04-23T10:00:00";

export const ecsTarget = (over: Record<string, unknown> = {}) => ({
  service: "log-analyzer", port: 8000, healthCheckPath: "/health",
  env: { WORKERS: 2 }, secrets: { DB_PASSWORD: SECRET }, executionRoleArn: EXEC, infrastructureRoleArn: INFRA, ...over,
});

/** What the service step sends for ecsTarget() (create adds name, cluster, infra role, tags). */
export const CONFIG = (digest = NEW, exec = EXEC) => ({
  executionRoleArn: exec,
  healthCheckPath: "/health",
  primaryContainer: {
    image: `${REPO}@${digest}`,
    containerPort: 8000,
    environment: [{ name: "LOG_LEVEL", value: "info" }, { name: "WORKERS", value: "2" }],
    secrets: [{ name: "DB_PASSWORD", valueFrom: SECRET }],
  },
  cpu: "1024",
  memory: "2048",
  cpuArchitecture: "X86_64" as const,
});

/** A service the fake already runs with CONFIG(digest) (and `over`); the calls that made it are forgotten. */
export function seedService(fake: ExpressFake, ecs: ReturnType<typeof mockClient>, digest = OLD, over: Record<string, unknown> = {}) {
  fake.seed({ infrastructureRoleArn: INFRA, ...CONFIG(digest), ...over });
  ecs.resetHistory();
}

export function setup(target: Record<string, unknown> = ecsTarget(), over: Partial<Context> = {}, extra: Record<string, unknown> = {}) {
  // A region from "flags": no read of ~/.aws/config, whose real I/O would race the fake clock.
  const aws = new AwsClients({ region: "us-east-1", regionSource: "flag", env: {} });
  return testContext({
    app: "log-analyzer",
    env: { LOG_LEVEL: "info" },
    smoke: { path: SMOKE, timeout: "10s" },
    targets: { ecs: target },
    ...extra,
  }, { aws, ...over }).ctx;
}

export const image = (over: Partial<ImageState> = {}): ImageState =>
  logAnalyzerImage("ecs", { remote: { repository: REPO, tag: "0.0.1", digest: NEW }, ...over });

export const okFetch = () => vi.fn(async (_url: string | URL | Request, _init?: RequestInit) => new Response("[]", { status: 200 }));

/** Runs a promise to the end while advancing fake time, so polls and backoffs finish at once. */
export async function drive<T>(p: Promise<T>, maxSeconds = 4000): Promise<{ value?: T; error?: unknown }> {
  let out: { value?: T; error?: unknown } | undefined;
  p.then((value) => (out = { value }), (error) => (out = { error }));
  for (let i = 0; !out && i < maxSeconds; i++) await vi.advanceTimersByTimeAsync(1000);
  return out!;
}

export async function deploy(ctx: Context, img = image(), fetchImpl = okFetch()) {
  const r = await drive(runSteps(ecsDeploySteps(ctx, img, { fetch: fetchImpl as unknown as typeof fetch }), ctx));
  const error = (r.error as PipelineError | undefined)?.cause;
  const results: StepResult[] = r.value ?? (r.error as PipelineError | undefined)?.results ?? [];
  return { results, error, fetchImpl };
}

type Stub = ReturnType<typeof mockClient>;
export const names = (...clients: Stub[]) => clients.flatMap((c) => c.calls().map((x) => (x.args[0] as object).constructor.name.replace(/Command$/, "")));
const WRITES = [
  "CreateExpressGatewayService", "UpdateExpressGatewayService", "TagResource", "DeleteExpressGatewayService",
  "CreateRole", "AttachRolePolicy", "PutRolePolicy", "DeleteRole", "DetachRolePolicy",
];
export const writes = (...clients: Stub[]) => names(...clients).filter((n) => WRITES.includes(n));
export const statusOf = (results: StepResult[], id: string) => results.find((r) => r.id === id);
export const inputsOf = <T>(client: Stub, cmd: new (input: T) => unknown) =>
  client.commandCalls(cmd as never).map((c) => (c.args[0] as { input: T }).input);
/** Progress lines the reporter received while the steps ran. */
export const progressLines = (ctx: Context) => {
  const spy = vi.spyOn(ctx.reporter, "progress");
  return () => spy.mock.calls.map((c) => String(c[1]));
};
