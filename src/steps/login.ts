// Logs docker in to ECR with a token from GetAuthorizationToken. The password goes to
// `docker login --password-stdin`, into a temporary DOCKER_CONFIG: the user's credential
// store is never touched and the password is never in argv or output. aws-apis.md §3.2.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { dockerLoginArgs } from "../docker/args.js";
import { DeployError } from "../errors.js";
import type { Context, Step } from "./types.js";

export function decodeAuthToken(token: string): { username: string; password: string } {
  const text = Buffer.from(token, "base64").toString("utf8");
  const at = text.indexOf(":");
  if (at <= 0) throw new DeployError("ECR returned an authorization token logship cannot read", "re-run; if it persists, report a bug");
  return { username: text.slice(0, at), password: text.slice(at + 1) };
}

export const registryHost = (proxyEndpoint: string) => proxyEndpoint.replace(/^https?:\/\//, "").replace(/\/$/, "");

export async function sessionDockerConfig(ctx: Context): Promise<string> {
  if (!ctx.session.dockerConfig) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "logship-docker-"));
    // An empty config means the plain file store: no credsStore/credHelpers from the user's setup.
    await writeFile(path.join(dir, "config.json"), "{}\n", { mode: 0o600 });
    ctx.session.dockerConfig = dir;
    ctx.session.cleanup.push(() => rm(dir, { recursive: true, force: true }));
  }
  return ctx.session.dockerConfig;
}

export function ecrLoginStep(group?: string): Step {
  return {
    id: "ecr.login",
    group,
    title: () => "Log docker in to ECR",
    describe: () => [
      { kind: "aws", command: "ECR.GetAuthorizationToken", input: {} },
      {
        kind: "docker",
        command: dockerLoginArgs("<account>.dkr.ecr.<region>.amazonaws.com", "AWS"),
        note: "password on stdin (redacted); DOCKER_CONFIG is a temporary directory",
      },
    ],
    async isDone(ctx) {
      return ctx.session.ecrHost ? `already logged in to ${ctx.session.ecrHost} for this run` : false;
    },
    async run(ctx) {
      const { GetAuthorizationTokenCommand } = await import("@aws-sdk/client-ecr");
      const out = await (await ctx.aws.ecr()).send(new GetAuthorizationTokenCommand({}));
      const data = out.authorizationData?.[0];
      if (!data?.authorizationToken || !data.proxyEndpoint) {
        throw new DeployError("ECR returned no authorization data", "check the ecr:GetAuthorizationToken permission");
      }
      const { username, password } = decodeAuthToken(data.authorizationToken);
      const host = registryHost(data.proxyEndpoint);
      const dockerConfig = await sessionDockerConfig(ctx);
      await ctx.docker(dockerLoginArgs(host, username), { input: password, env: { DOCKER_CONFIG: dockerConfig }, signal: ctx.signal });
      ctx.session.ecrHost = host;
      return `logged in to ${host} (token valid until ${data.expiresAt?.toISOString() ?? "unknown"})`;
    },
  };
}
