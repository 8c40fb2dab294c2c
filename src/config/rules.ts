// AWS naming and sizing rules, checked before any call is made.
// Sources: ../shared/reference/aws-apis.md §3.1 (ECR), §4.3 (Lambda), §5.1 (App Runner), §6 (ECS).

export const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const APPRUNNER_SERVICE = /^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/;
export const LAMBDA_FUNCTION = /^[A-Za-z0-9_-]{1,64}$/;
export const ECS_SERVICE = /^[A-Za-z0-9_-]{1,255}$/;
export const APP_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** App Runner CPU (units) → allowed memory (MB). aws-apis.md §5.1. */
export const APPRUNNER_SIZES: Record<number, number[]> = {
  256: [512, 1024],
  512: [1024],
  1024: [2048, 3072, 4096],
  2048: [4096, 6144],
  4096: [8192, 10240, 12288],
};

/**
 * Fargate CPU (units) → allowed memory (MiB), used by ECS Express Mode: a range and step, or for 256
 * CPU the only three values (512, 1024, 2048 — not 1536). The task size table of
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 * Express has no table of its own (aws-apis.md §6.2 had its pairs UNCONFIRMED). Settled: the task definition it
 * registers has requiresCompatibilities ["FARGATE"] (express-service-work.html, task definition defaults), so
 * RegisterTaskDefinition's Fargate list applies; this table matches it row by row as the SDK's client-ecs
 * 3.1142.0 model words it (RegisterTaskDefinitionRequest.memory; 8192/16384 CPU need Linux platform 1.4.0+).
 */
export const FARGATE_SIZES: Record<number, { min: number; max: number; step: number; only?: number[] }> = {
  256: { min: 512, max: 2048, step: 512, only: [512, 1024, 2048] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** "90s", "5m", "1500ms" or a number of seconds → milliseconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  return n > 0 ? n * factor : undefined;
}
