// Logs docker in to ECR with a token from GetAuthorizationToken. The password goes to
// `docker login --password-stdin`, into a temporary DOCKER_CONFIG: the user's credential
// store is never touched and the password is never in argv or output. aws-apis.md §3.2.
import { readFile, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getAuthorizationData } from "../aws/ecr.js";
import { dockerLoginArgs } from "../docker/args.js";
import { DeployError } from "../errors.js";
import { makePrivateTempDir } from "../util/private-tmp.js";
import type { PushStep } from "./push.js";
import type { Context, Step } from "./types.js";

export function decodeAuthToken(token: string): { username: string; password: string } {
  const text = Buffer.from(token, "base64").toString("utf8");
  const at = text.indexOf(":");
  if (at <= 0) throw new DeployError("ECR returned an authorization token logship cannot read", "re-run; if it persists, report a bug");
  return { username: text.slice(0, at), password: text.slice(at + 1) };
}

export const registryHost = (proxyEndpoint: string) => proxyEndpoint.replace(/^https?:\/\//, "").replace(/\/$/, "");

/**
 * The temporary config keeps the user's docker *context* (colima, rootless, Docker Desktop, a remote
 * host): docker reads it from config.json's currentContext and the contexts/ folder beside it. Only
 * the credential settings are left behind, so the ECR password lands in the file store here.
 */
async function userContext(env: NodeJS.ProcessEnv): Promise<{ currentContext?: string; contexts?: string }> {
  const home = env.DOCKER_CONFIG || path.join(os.homedir(), ".docker");
  const config = await readFile(path.join(home, "config.json"), "utf8").then((t) => JSON.parse(t), () => ({}));
  const contexts = path.join(home, "contexts");
  const hasContexts = await stat(contexts).then((s) => s.isDirectory(), () => false);
  return { currentContext: typeof config.currentContext === "string" ? config.currentContext : undefined, contexts: hasContexts ? contexts : undefined };
}

export async function sessionDockerConfig(ctx: Context): Promise<string> {
  if (!ctx.session.dockerConfig) {
    // The folder holds a 12-hour registry token: src/util/private-tmp.ts removes it at the end of the
    // run, on a hard exit (a second Ctrl-C), and after a kill at the next run's start.
    const temp = await makePrivateTempDir("docker");
    const dir = temp.path;
    const { currentContext, contexts } = await userContext(ctx.env);
    await writeFile(path.join(dir, "config.json"), `${JSON.stringify(currentContext ? { currentContext } : {})}\n`, { mode: 0o600 });
    if (contexts) await symlink(contexts, path.join(dir, "contexts"));
    ctx.session.dockerConfig = dir;
    ctx.session.cleanup.push(() => temp.remove());
  }
  return ctx.session.dockerConfig;
}

/**
 * `uploads` are the run's ECR push steps: when none of them will upload (the registry already
 * holds every image), the login is skipped: no GetAuthorizationToken, no docker login.
 */
export function ecrLoginStep(group?: string, uploads: PushStep[] = []): Step {
  return {
    id: "ecr.login",
    group,
    /**
     * A dry run follows the pushes' look-ups (made by the lifecycle step before): live, so "up to
     * date", when every push has answered that it uploads nothing; else planned from describe(). It
     * never asks for the token: that is a secret no plan holds. Inert: nothing after it reads its result.
     */
    get dryRun() {
      return uploads.length && uploads.every((u) => u.answer() !== undefined && u.answer() !== "upload") ? "live" as const : "inert" as const;
    },
    title: () => "Log docker in to ECR",
    describe: () => [
      {
        kind: "aws", command: "ECR.GetAuthorizationToken", input: {},
        note: uploads.some((u) => u.answer() === "upload") ? "needed: a push below uploads" : "only when a push will upload",
      },
      {
        kind: "docker",
        command: dockerLoginArgs("<account>.dkr.ecr.<region>.amazonaws.com", "AWS"),
        note: "password on stdin (redacted); DOCKER_CONFIG is a temporary directory",
      },
    ],
    async isDone(ctx) {
      if (ctx.session.ecrHost) return `already logged in to ${ctx.session.ecrHost} for this run`;
      if (!uploads.length) return false;
      const answers = await Promise.allSettled(uploads.map((u) => u.needsUpload(ctx)));
      if (answers.some((a) => a.status === "fulfilled" && a.value)) return false;
      // A push that cannot go ahead (its look-up failed, or it refuses an immutable tag) fails at its
      // own step with the reason; a login would not help it.
      return answers.some((a) => a.status === "rejected")
        ? "not needed: the push step below says why it cannot upload"
        : "not needed: ECR already holds every image of this run";
    },
    async run(ctx) {
      const data = await getAuthorizationData(ctx.aws);
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
