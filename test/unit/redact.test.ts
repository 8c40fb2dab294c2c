// Env values never reach --dry-run or --json, whichever target plans them.
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { runCli } from "../helpers/cli.js";
import { redactEnvValues } from "../../src/util/redact.js";

describe("env redaction in plans", () => {
  it("replaces values in App Runner maps, Lambda Variables and ECS lists, and keeps everything else", () => {
    expect(redactEnvValues({
      SourceConfiguration: { ImageRepository: { ImageConfiguration: { Port: "80", RuntimeEnvironmentVariables: { A: "1" }, RuntimeEnvironmentSecrets: { S: "arn:aws:ssm:x" } } } },
      Environment: { Variables: { B: "2" } },
      primaryContainer: { environment: [{ name: "C", value: "3" }], secrets: [{ name: "D", valueFrom: "arn:aws:secretsmanager:x" }] },
    })).toEqual({
      SourceConfiguration: { ImageRepository: { ImageConfiguration: { Port: "80", RuntimeEnvironmentVariables: { A: "***" }, RuntimeEnvironmentSecrets: { S: "arn:aws:ssm:x" } } } },
      Environment: { Variables: { B: "***" } },
      primaryContainer: { environment: [{ name: "C", value: "***" }], secrets: [{ name: "D", valueFrom: "arn:aws:secretsmanager:x" }] },
    });
  });

  it("`ship apprunner lambda ecs --dry-run --json` names every env var but prints no value", async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), "logship-redact-"));
    onTestFinished(() => rm(cwd, { recursive: true, force: true }));
    await writeFile(path.join(cwd, "Dockerfile"), "FROM scratch\n");
    await writeFile(path.join(cwd, "logship.yaml"), [
      "app: shop", "version: 1.0.0", "region: us-east-1",
      "env: { SHARED_TOKEN: shared-s3cret-value }",
      "targets:",
      "  apprunner: { service: shop-svc, env: { DB_PASSWORD: apprunner-s3cret } }",
      "  lambda: { function: shop-fn, env: { API_KEY: lambda-s3cret } }",
      "  ecs: { service: shop, env: { SESSION_KEY: ecs-s3cret } }",
      "  local: { env: { LOCAL_KEY: local-s3cret } }",
    ].join("\n"));
    for (const json of [true, false]) {
      const r = await runCli(["ship", "--dry-run", ...(json ? ["--json"] : [])], { cwd, env: { CI: "1", LOGSHIP_DOCKER: "/nonexistent/docker" } });
      const { code } = r;
      const text = r.stdout + r.stderr;
      expect(code, text).toBe(0);
      for (const name of ["SHARED_TOKEN", "DB_PASSWORD", "API_KEY", "SESSION_KEY", "LOCAL_KEY"]) expect(text).toContain(name);
      expect(text).not.toMatch(/s3cret/);
    }
  });
});
