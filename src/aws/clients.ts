// The one place AWS SDK clients are made: lazy imports (so `logship --help` never loads the SDK),
// one retry policy, region and profile resolved once. Steps get clients from here, never `new`.
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { UserError } from "../errors.js";
import { AWS_REGION } from "../config/rules.js";
import type { ECRClient } from "@aws-sdk/client-ecr";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AppRunnerClient } from "@aws-sdk/client-apprunner";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { SSMClient } from "@aws-sdk/client-ssm";

export interface AwsSettings {
  region?: string;
  regionSource?: string;
  profile?: string;
  env?: NodeJS.ProcessEnv;
  /** --debug: told of every AWS call as it ends ("aws Lambda.GetFunction ok 12ms"). */
  trace?: (line: string) => void;
}

interface Traceable {
  middlewareStack: { add(mw: unknown, opts: { step: "initialize"; name: string }): void };
}

/** One line per AWS call (retries included in its time): what --debug shows and the moto suite counts. */
function traceCalls(client: Traceable, service: string, trace: (line: string) => void): void {
  const mw = (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    const started = Date.now();
    const op = `${service}.${(context.commandName ?? "?").replace(/Command$/, "")}`;
    try {
      const out = await next(args);
      trace(`aws ${op} ok ${Date.now() - started}ms`);
      return out;
    } catch (e) {
      trace(`aws ${op} ${(e as Error)?.name ?? "error"} ${Date.now() - started}ms`);
      throw e;
    }
  };
  client.middlewareStack.add(mw, { step: "initialize", name: "logshipTrace" });
}

/** Reads `region` for a profile from the shared config file (AWS_CONFIG_FILE or ~/.aws/config). */
export async function profileRegion(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const file = env.AWS_CONFIG_FILE || path.join(os.homedir(), ".aws", "config");
  const text = await readFile(file, "utf8").catch(() => "");
  const wanted = profile === "default" ? ["default", "profile default"] : [`profile ${profile}`];
  let inSection = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) inSection = wanted.includes(header[1].trim());
    const m = inSection && /^\s*region\s*=\s*(\S+)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** The service names AWS's own docs use for operations ("ECR.PutImage", "Lambda.GetFunction"). */
const SERVICE_NAMES: Record<string, string> = {
  ecr: "ECR", sts: "STS", apprunner: "AppRunner", lambda: "Lambda", iam: "IAM", ecs: "ECS", logs: "CloudWatchLogs", ssm: "SSM",
};

export class AwsClients {
  private cache = new Map<string, Promise<unknown>>();
  private resolvedRegion?: Promise<string>;

  constructor(private settings: AwsSettings) {}

  get profile(): string | undefined {
    return this.settings.profile;
  }

  /** --region > AWS_REGION > AWS_DEFAULT_REGION > the profile's region > logship.yaml. */
  region(): Promise<string> {
    this.resolvedRegion ??= (async () => {
      const s = this.settings;
      const fromFlagsOrEnv = s.region && s.regionSource !== "config file" ? s.region : undefined;
      // A bad AWS_REGION is reported only here, when AWS is needed: a local build ignores it.
      if (fromFlagsOrEnv && !AWS_REGION.test(fromFlagsOrEnv)) {
        throw new UserError(`${s.regionSource}: ${JSON.stringify(fromFlagsOrEnv)} is not an AWS region (e.g. us-east-1)`, `fix or unset ${s.regionSource}, or pass --region`);
      }
      const region = fromFlagsOrEnv ??
        (await profileRegion(s.profile ?? s.env?.AWS_PROFILE ?? "default", s.env)) ??
        s.region;
      if (!region) {
        throw new UserError(
          "region: no AWS region set",
          "pass --region us-east-1, set AWS_REGION, or add `region:` to logship.yaml",
        );
      }
      return region;
    })();
    return this.resolvedRegion;
  }

  private async config() {
    // logship pins its SDK version, so the SDK's "future versions will need Node 22" notice is not
    // something a logship user can act on; it would only clutter stderr. A user can still set it.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const region = await this.region();
    const base = { region, maxAttempts: 5, retryMode: "standard" as const };
    if (!this.settings.profile) return base;
    const { fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
    return { ...base, profile: this.settings.profile, credentials: fromNodeProviderChain({ profile: this.settings.profile }) };
  }

  private client<T>(name: string, make: () => Promise<T>): Promise<T> {
    if (!this.cache.has(name)) {
      const trace = this.settings.trace;
      this.cache.set(name, trace ? make().then((c) => (traceCalls(c as Traceable, SERVICE_NAMES[name] ?? name, trace), c)) : make());
    }
    return this.cache.get(name) as Promise<T>;
  }

  ecr(): Promise<ECRClient> {
    return this.client("ecr", async () => new (await import("@aws-sdk/client-ecr")).ECRClient(await this.config()));
  }

  sts(): Promise<STSClient> {
    return this.client("sts", async () => new (await import("@aws-sdk/client-sts")).STSClient(await this.config()));
  }

  apprunner(): Promise<AppRunnerClient> {
    return this.client("apprunner", async () => new (await import("@aws-sdk/client-apprunner")).AppRunnerClient(await this.config()));
  }

  lambda(): Promise<LambdaClient> {
    return this.client("lambda", async () => new (await import("@aws-sdk/client-lambda")).LambdaClient(await this.config()));
  }

  iam(): Promise<IAMClient> {
    return this.client("iam", async () => new (await import("@aws-sdk/client-iam")).IAMClient(await this.config()));
  }

  ecs(): Promise<ECSClient> {
    return this.client("ecs", async () => new (await import("@aws-sdk/client-ecs")).ECSClient(await this.config()));
  }

  logs(): Promise<CloudWatchLogsClient> {
    return this.client("logs", async () => new (await import("@aws-sdk/client-cloudwatch-logs")).CloudWatchLogsClient(await this.config()));
  }

  ssm(): Promise<SSMClient> {
    return this.client("ssm", async () => new (await import("@aws-sdk/client-ssm")).SSMClient(await this.config()));
  }
}
