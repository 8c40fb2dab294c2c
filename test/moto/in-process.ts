// For the moto tests that must run logship in-process (main(), not bin/logship.js): App Runner has no
// emulator, so it is faked at the SDK boundary with aws-sdk-client-mock (../integration/fake-aws/apprunner.ts,
// written from App Runner's API reference), and mockClient only reaches clients made in this process.
// ECR, IAM, STS and Lambda stay real: moto, reached through AWS_ENDPOINT_URL. The SDK reads that and the
// credentials from process.env (not from io.env), so withMotoEnv() sets both for the file's lifetime.
import { vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { AppRunnerClient } from "@aws-sdk/client-apprunner";
import { runCli } from "../integration/helpers.js";
import { fakeAppRunner, SERVICE_URL_HOST, type AppRunnerWorld } from "../integration/fake-aws/apprunner.js";
import { isWrite, logship, splitCalls, type MotoProject } from "./harness.js";

/** Points process.env at moto (AWS_* keys of `env`, others removed); returns the undo. */
export function withMotoEnv(env: NodeJS.ProcessEnv): () => void {
  const saved = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("AWS_")));
  const apply = (from: NodeJS.ProcessEnv) => {
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    for (const [k, v] of Object.entries(from)) if (k.startsWith("AWS_") && v !== undefined) process.env[k] = v;
  };
  apply(env);
  return () => apply(saved);
}

export const APPRUNNER_WRITE = /^(Create|Update|Delete|Tag|Untag|Start|Pause|Resume|Associate|Disassociate)/;

/** The App Runner fake on every AppRunnerClient of this process (the other clients stay real). */
export function installAppRunner() {
  const stub = mockClient(AppRunnerClient);
  stub.onAnyCommand().callsFake(async (input) => {
    throw new Error(`App Runner call the fake does not model: ${JSON.stringify(input)}`);
  });
  const world: AppRunnerWorld = { tags: [], operations: [] };
  fakeAppRunner(stub, world);
  const sent = () => stub.calls().map((c) => ({
    name: (c.args[0] as object).constructor.name.replace(/Command$/, ""),
    input: (c.args[0] as { input: any }).input,
  }));
  return {
    world,
    sent,
    writes: () => sent().filter((c) => APPRUNNER_WRITE.test(c.name)),
    resetHistory: () => stub.resetHistory(),
    restore: () => stub.restore(),
  };
}

/** The public URLs the smoke tests would fetch: App Runner's (faked) and Lambda's (moto's, unreachable). */
const SMOKED = new RegExp(`^https://(${SERVICE_URL_HOST.replace(/\./g, "\\.")}|[^/]+\\.lambda-url\\.[^/]+\\.on\\.aws)/`);

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The moto calls, from --debug: "Lambda.GetFunction" (App Runner's are the fake's calls). */
  calls: string[];
  writes: string[];
  /** The deploy lock's and release record's calls (see splitCalls). */
  lockCalls: string[];
  smoked: string[];
}

/** `logship ARGV --debug` through main(); only the smoke tests' public URLs are answered 200 here. */
export async function shipInProcess(
  argv: string[], cwd: string, env: NodeJS.ProcessEnv, onStderr?: (text: string) => void,
): Promise<InProcessRun> {
  const realFetch = globalThis.fetch;
  const smoked: string[] = [];
  vi.stubGlobal("fetch", async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url instanceof Request ? url.url : url);
    if (!SMOKED.test(u)) return realFetch(url, init);
    smoked.push(u);
    return new Response("ok", { status: 200 });
  });
  try {
    const r = await runCli([...argv, "--debug"], cwd, env, { onStderr });
    const split = splitCalls(r.stderr);
    const calls = split.calls.filter((c) => !c.startsWith("AppRunner."));
    return { code: r.code, stdout: r.stdout, stderr: r.stderr, calls, writes: calls.filter(isWrite), lockCalls: split.lockCalls, smoked };
  } finally {
    vi.unstubAllGlobals();
  }
}

/** Removes an IAM role the flows made that `destroy lambda` does not own (App Runner's ECR access role). */
export async function deleteRole(iam: import("@aws-sdk/client-iam").IAMClient, RoleName: string): Promise<void> {
  const { ListAttachedRolePoliciesCommand, DetachRolePolicyCommand, DeleteRoleCommand } = await import("@aws-sdk/client-iam");
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName })).catch(() => undefined);
  if (!attached) return; // never made, or already gone
  for (const p of attached.AttachedPolicies ?? []) await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn }));
  await iam.send(new DeleteRoleCommand({ RoleName }));
}

/**
 * What an `ship apprunner lambda` flow leaves in moto, removed: `destroy lambda` runs as its own
 * process (no App Runner fake there), App Runner's ECR access role is ours to delete, then the images
 * and folders go.
 */
export async function removeAppRunnerLambda(project: MotoProject, iam: import("@aws-sdk/client-iam").IAMClient, tags: string[]): Promise<void> {
  const { p, env } = project;
  await logship(["destroy", "lambda", "--yes", "--with-roles", "--with-repository"], p.dir, { env });
  await deleteRole(iam, `logship-${p.app}-apprunner-ecr-access`);
  await project.cleanup({ destroy: false, tags });
}
