// `logship destroy <aws target>` through the real CLI: confirmation rules and what is deleted.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { AppRunnerClient, DeleteServiceCommand, ListServicesCommand } from "@aws-sdk/client-apprunner";
import { DeleteRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from "@aws-sdk/client-ecr";
import { runCli } from "../helpers/cli.js";
import { fakeLockAws } from "../helpers/lock-fake.js";
import type { Io } from "../../src/commands/globals.js";

const apprunner = mockClient(AppRunnerClient);
const ecr = mockClient(ECRClient);
// Writing commands take the deploy lock first (issue #12): its SSM and STS side, faked as documented.
beforeEach(() => void fakeLockAws());
afterEach(() => {
  apprunner.reset();
  ecr.reset();
});

const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

async function run(argv: string[], over: Partial<Io> = {}) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), "logship-destroy-"));
  made.push(cwd);
  await writeFile(path.join(cwd, "logship.yaml"), "app: shop\nregion: us-east-1\ntargets:\n  apprunner: { service: shop-svc }\n");
  return runCli(argv, { cwd, env: { CI: "1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "y" }, ...over });
}

describe("logship destroy apprunner", () => {
  it("refuses without a terminal unless --yes, and deletes nothing", async () => {
    const r = await run(["destroy", "apprunner"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: destroy apprunner: refusing to delete apprunner of shop without confirmation\n" +
      "  hint: pass --yes to confirm (there is no terminal to ask on)\n",
    );
    expect(apprunner.calls()).toHaveLength(0);
  });

  it("asks on a terminal; no → nothing deleted", async () => {
    const questions: string[] = [];
    const r = await run(["destroy", "apprunner", "--with-repository"], {
      interactive: true, confirm: async (q) => (questions.push(q), false),
    });
    expect(r.code).toBe(2);
    expect(questions).toEqual(["Delete apprunner of shop and its ECR repository (every image in it) in us-east-1? This cannot be undone."]);
    expect(apprunner.calls()).toHaveLength(0);
    expect(ecr.calls()).toHaveLength(0);
  });

  it("--yes: an absent service is a skip, and --with-repository deletes the repository (force)", async () => {
    apprunner.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: "shop", repositoryUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop" }] });
    ecr.on(DeleteRepositoryCommand).resolves({});
    const r = await run(["destroy", "apprunner", "--yes", "--with-repository"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/↷ \[apprunner\] Delete App Runner service shop-svc — no service/);
    expect(apprunner.commandCalls(DeleteServiceCommand)).toHaveLength(0);
    expect(ecr.commandCalls(DeleteRepositoryCommand)[0].args[0].input).toEqual({ repositoryName: "shop", force: true });
  });
});
