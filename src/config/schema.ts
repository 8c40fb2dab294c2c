// The one source of truth for logship.yaml: validation, defaults and the shipped JSON Schema.
// Messages name what is allowed; src/config/errors.ts prefixes each with its field path.
import { z } from "zod";
import {
  APPRUNNER_SERVICE, APPRUNNER_SIZES, APP_NAME, AWS_REGION, ECR_REPOSITORY, ECS_SERVICE,
  ENV_NAME, FARGATE_SIZES, LAMBDA_FUNCTION, parseDuration,
} from "./rules.js";
import { unknownPlaceholders } from "../tag-template.js";

const show = (v: unknown) => JSON.stringify(v);

const named = (re: RegExp, rule: string) =>
  z.string().regex(re, { error: (iss) => `${show(iss.input)} is not a valid name: ${rule}` });

const appName = named(APP_NAME, "use 1–63 lower-case letters, digits and hyphens, starting and ending with a letter or digit");
const ecrRepository = z
  .string()
  .min(2, { error: (iss) => `${show(iss.input)} is too short: ECR repository names are 2–256 characters` })
  .max(256, { error: () => `is too long: ECR repository names are 2–256 characters` })
  .regex(ECR_REPOSITORY, {
    error: (iss) => `${show(iss.input)} is not a valid ECR repository name: use lower-case letters, digits, and . _ - / between them`,
  });

const duration = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== undefined, {
    error: (iss) => `${show(iss.input)} is not a duration: use seconds (90) or a unit (90s, 5m, 1500ms)`,
  })
  .describe("A duration: seconds as a number, or a string like 90s, 5m, 1500ms");

const port = z.number().int().min(1).max(65535);
const envVars = z
  .record(named(ENV_NAME, "environment variable names are letters, digits and _, not starting with a digit"),
    z.union([z.string(), z.number(), z.boolean()], {
      error: (iss) => `expected a string, number or boolean, got ${iss.input === null ? "null" : Array.isArray(iss.input) ? "a list" : "a mapping"}`,
    }))
  .describe("Environment variables for the container (values are passed to docker without appearing in argv)");
const secretRefs = z
  .record(named(ENV_NAME, "environment variable names are letters, digits and _, not starting with a digit"),
    z.string().regex(/^arn:aws[a-z-]*:(ssm|secretsmanager):/, {
      error: (iss) => `${show(iss.input)} is not an SSM parameter or Secrets Manager ARN`,
    }))
  .describe("Environment variables whose values AWS reads from SSM Parameter Store or Secrets Manager (ARNs)");
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, {
  error: (iss) => `${show(iss.input)} is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)`,
});

const buildOptions = {
  dockerfile: z.string().min(1).default("Dockerfile").describe("Path to the Dockerfile, relative to the config file"),
  context: z.string().min(1).default(".").describe("Build context directory, relative to the config file"),
  buildArgs: z.record(z.string(), z.string()).default({}).describe("--build-arg values"),
  target: z.string().optional().describe("Multi-stage build target"),
};

const imageSchema = z.strictObject({
  ...buildOptions,
  tag: z.string().min(1)
    .refine((t) => unknownPlaceholders(t).length === 0, {
      error: (iss) => `${show(iss.input)} has an unknown placeholder {${unknownPlaceholders(String(iss.input))[0]}}: use {version}, {git.sha}, {git.short}, {timestamp}`,
    })
    .default("{version}")
    .describe("Tag policy: {version} {git.sha} {git.short} {timestamp}; a dirty git tree adds -dirty.<hash>"),
  platform: z.enum(["linux/amd64", "linux/arm64"]).optional()
    .describe("Target platform (default linux/amd64; the Lambda target's architecture for its image)"),
  labels: z.record(z.string(), z.string()).default({}).describe("Extra image labels"),
});

/** ECR's exclusion filter value (API_ImageTagMutabilityExclusionFilter.html); 2 wildcards at most (terraform-provider-aws#43642). */
const tagFilter = z.string()
  .regex(/^[0-9a-zA-Z._*-]{1,128}$/, { error: (iss) => `${show(iss.input)} is not an ECR tag filter: 1–128 letters, digits, . _ - and the wildcard *` })
  .refine((f) => f.split("*").length <= 3, { error: (iss) => `${show(iss.input)} has more than 2 wildcards: ECR allows 2 per filter` });
const ecrRegistry = z.strictObject({
  type: z.literal("ecr"),
  repository: ecrRepository.optional().describe("ECR repository name (default: the app name)"),
  scanOnPush: z.boolean().default(true),
  tagMutability: z.enum(["MUTABLE", "IMMUTABLE"]).default("MUTABLE"),
  tagMutabilityExclusions: z.array(tagFilter)
    .max(5, { error: () => "has more than 5 filters: ECR allows 5 per repository" })
    .optional()
    .describe("Tags matching these filters (wildcard *) take the opposite of tagMutability: immutable in a MUTABLE repository, mutable in an IMMUTABLE one (ECR's exclusion filters, up to 5)"),
  keepImages: z.number().int().min(1).max(1000).default(30)
    .describe("Lifecycle policy: keep the newest N images, expire older ones"),
});
const genericRegistry = z.strictObject({
  type: z.literal("generic"),
  url: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, {
    error: (iss) => `${show(iss.input)} is not an image repository: use host[:port]/path, e.g. localhost:5000/my-app or ghcr.io/org/app`,
  }),
});
const registrySchema = z.discriminatedUnion("type", [ecrRegistry, genericRegistry], {
  error: (iss) => {
    const type = (iss.input as { type?: unknown })?.type;
    return type === undefined ? `is required: use "ecr" or "generic"` : `${show(type)} is not a registry type: use "ecr" or "generic"`;
  },
});

const localTarget = z.strictObject({
  port: port.default(8000).describe("Host port"),
  containerPort: port.optional().describe("Port the app listens on inside the container (default: the image's EXPOSE, else 8080)"),
  bind: z.string().default("127.0.0.1").describe("Host address to publish on (0.0.0.0 for every interface)"),
  env: envVars.default({}),
});

const apprunnerTarget = z
  .strictObject({
    service: named(APPRUNNER_SERVICE, "App Runner service names are 4–40 letters, digits, - and _, starting with a letter or digit"),
    port: port.default(8080),
    cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)], {
      error: (iss) => `${show(iss.input)} is not an App Runner CPU size: use 256, 512, 1024, 2048 or 4096`,
    }).default(1024),
    memory: z.number().int().default(2048).describe("MB; allowed values depend on cpu"),
    env: envVars.default({}),
    secrets: secretRefs.default({}),
    startCommand: z.string().optional(),
    healthCheck: z.strictObject({
      protocol: z.enum(["TCP", "HTTP"]).default("TCP"),
      path: z.string().startsWith("/").default("/"),
      interval: z.number().int().min(1).max(20).default(5),
      timeout: z.number().int().min(1).max(20).default(2),
      healthyThreshold: z.number().int().min(1).max(20).default(1),
      unhealthyThreshold: z.number().int().min(1).max(20).default(5),
    }).optional(),
    accessRoleArn: roleArn.optional(),
    instanceRoleArn: roleArn.optional(),
  })
  .superRefine((t, ctx) => {
    const allowed = APPRUNNER_SIZES[t.cpu];
    if (allowed && !allowed.includes(t.memory)) {
      ctx.addIssue({
        code: "custom", path: ["memory"], input: t.memory,
        message: `${t.memory} is not allowed with cpu ${t.cpu}: use ${allowed.join(" or ")}`,
      });
    }
  });

const lambdaTarget = z.strictObject({
  function: named(LAMBDA_FUNCTION, "Lambda function names are 1–64 letters, digits, - and _"),
  architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
  memory: z.number().int().min(128).max(10240).default(512),
  timeout: z.number().int().min(1).max(900).default(30),
  ephemeralStorage: z.number().int().min(512).max(10240).default(512),
  env: envVars.default({}),
  roleArn: roleArn.optional(),
  image: z.strictObject(buildOptions).optional().describe("Build this target from its own Dockerfile"),
  repository: ecrRepository.optional().describe("ECR repository for this target's image"),
  command: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  workdir: z.string().optional(),
  alias: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,127}$/).default("live"),
  url: z.strictObject({
    public: z.boolean().default(false).describe("Auth NONE: anyone on the internet can call it"),
    cors: z.strictObject({
      allowOrigins: z.array(z.string()).optional(),
      allowMethods: z.array(z.string()).optional(),
      allowHeaders: z.array(z.string()).optional(),
      maxAge: z.number().int().min(0).max(86400).optional(),
    }).optional(),
  }).default({ public: false }),
});

const ecsTarget = z
  .strictObject({
    service: named(ECS_SERVICE, "ECS service names are 1–255 letters, digits, - and _"),
    port: port.default(80),
    cpu: z.number().int().default(1024).describe("CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384"),
    memory: z.number().int().default(2048).describe("MB; allowed values depend on cpu"),
    cluster: z.string().default("default"),
    healthCheckPath: z.string().startsWith("/").default("/ping"),
    // An Express update is a canary: 3 min at 5% and a 3 min bake at 100% before it ends (express-service-update-full).
    waitTimeout: duration.default("30m")
      .refine((v) => (parseDuration(v) ?? Infinity) >= 10 * 60_000, {
        error: (iss) => `${show(iss.input)} is too short: an ECS Express update bakes at least 6 minutes; use 10m or more`,
      })
      .describe("How long deploy waits for an ECS deployment (canary and bakes included) before giving up; default 30m"),
    env: envVars.default({}),
    secrets: secretRefs.default({}),
    executionRoleArn: roleArn.optional(),
    infrastructureRoleArn: roleArn.optional(),
    taskRoleArn: roleArn.optional(),
    scaling: z.strictObject({
      min: z.number().int().min(1).default(1),
      max: z.number().int().min(1).default(1),
      metric: z.enum(["AVERAGE_CPU", "AVERAGE_MEMORY", "REQUEST_COUNT_PER_TARGET"]).default("AVERAGE_CPU"),
      target: z.number().int().min(1).default(60),
    }).refine((s) => s.min <= s.max, {
      path: ["max"], error: (iss) => `${(iss.input as { max: number }).max} is below scaling.min ${(iss.input as { min: number }).min}`,
    }).optional(),
    network: z.strictObject({
      subnets: z.array(z.string()).min(1),
      securityGroups: z.array(z.string()).default([]),
    }).optional(),
  })
  .superRefine((t, ctx) => {
    const size = FARGATE_SIZES[t.cpu];
    if (!size) {
      ctx.addIssue({ code: "custom", path: ["cpu"], input: t.cpu,
        message: `${t.cpu} is not a Fargate CPU size: use ${Object.keys(FARGATE_SIZES).join(", ")}` });
    } else if (size.only ? !size.only.includes(t.memory) : t.memory < size.min || t.memory > size.max || (t.memory - size.min) % size.step !== 0) {
      ctx.addIssue({ code: "custom", path: ["memory"], input: t.memory,
        message: `${t.memory} is not allowed with cpu ${t.cpu}: use ${size.only ? size.only.join(", ") : `${size.min}–${size.max} in steps of ${size.step}`}` });
    }
  });

export const TARGET_NAMES = ["local", "apprunner", "lambda", "ecs"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    app: appName.describe("The app's name: default for repository, service and container names"),
    version: z.string().optional().describe("Version for the {version} tag (default: package.json or pyproject.toml)"),
    region: z.string().regex(AWS_REGION, { error: (iss) => `${show(iss.input)} is not an AWS region (e.g. us-east-1)` }).optional(),
    profile: z.string().min(1).optional().describe("AWS shared-config profile"),
    image: imageSchema.default(imageSchema.parse({})),
    registry: registrySchema.default({ type: "ecr", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 }),
    env: envVars.default({}).describe("Environment variables for every target (a target's env overrides)"),
    smoke: z.strictObject({
      enabled: z.boolean().default(true)
        .describe("false: deploy, ship and rollback print the URL but do not test it (as --no-smoke), e.g. when it is not reachable from here"),
      path: z.string().startsWith("/", { error: (iss) => `${show(iss.input)} must start with /` }).default("/"),
      timeout: duration.default("60s"),
      expectStatus: z.number().int().min(100).max(599).optional().describe("Exact status to expect (default: any 2xx)"),
    }).default({ enabled: true, path: "/", timeout: "60s" }),
    lock: z.union([z.literal(false), z.strictObject({ ttl: duration.default("10m") })]).default({ ttl: "10m" })
      .describe("The deploy lock and release record kept in SSM (README: Deploy lock); false turns both off"),
    targets: z.strictObject({
      local: localTarget.optional(),
      apprunner: apprunnerTarget.optional(),
      lambda: lambdaTarget.optional(),
      ecs: ecsTarget.optional(),
    }).default({}),
  })
  .describe("logship project configuration");

export type Config = z.output<typeof configSchema>;
export type LocalTarget = z.output<typeof localTarget>;
export type RegistryConfig = z.output<typeof registrySchema>;

export function jsonSchema(): object {
  return z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" });
}
