import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { deepMerge, overlaySets } from "../../src/config/overlay.js";
import { ConfigError, UserError } from "../../src/errors.js";

// Every temp folder a test makes is removed after the file, failed or not.
const made: string[] = [];
afterAll(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

async function dir(files: Record<string, string>) {
  const d = await mkdtemp(path.join(os.tmpdir(), "logship-env-"));
  made.push(d);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(d, name), text);
  return d;
}

const base = "app: shop\nregion: us-east-1\nenv: { LOG_LEVEL: info, FEATURE: on }\ntargets:\n  local: { port: 8000 }\n  lambda: { function: shop, memory: 512 }\n";

describe("environment overlays (--env)", () => {
  it("deep-merges logship.<env>.yaml over logship.yaml; null removes a key", async () => {
    const cwd = await dir({
      "logship.yaml": base,
      "logship.staging.yaml": "region: eu-west-1\nenv: { LOG_LEVEL: debug, FEATURE: null }\ntargets:\n  lambda: { memory: 1024 }\n",
    });
    const { config, overlay } = await loadConfig({ cwd, env: {}, envName: "staging" });
    expect(config.region).toBe("eu-west-1");
    expect(config.env).toEqual({ LOG_LEVEL: "debug" });
    expect(config.targets.lambda).toMatchObject({ function: "shop", memory: 1024 });
    expect(config.targets.local?.port).toBe(8000);
    expect(overlay).toEqual({ env: "staging", file: path.join(cwd, "logship.staging.yaml") });
  });

  it("validates after the merge and says which file set each bad value", async () => {
    const cwd = await dir({
      "logship.yaml": base.replace("memory: 512", "memory: 512, timeout: 1000"),
      "logship.prod.yaml": "targets:\n  lambda: { memory: 64 }\n",
    });
    const err = await loadConfig({ cwd, env: {}, envName: "prod" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems).toEqual([
      "targets.lambda.memory: 64 is below the minimum 128 (set in logship.prod.yaml)",
      "targets.lambda.timeout: 1000 is above the maximum 900",
    ]);
    expect(err.message).toContain("logship.yaml + logship.prod.yaml: 2 problems");
  });

  it("a missing overlay file or a bad env name is a one-line usage error", async () => {
    const cwd = await dir({ "logship.yaml": base });
    const missing = await loadConfig({ cwd, env: {}, envName: "qa" }).catch((e) => e);
    expect(missing).toBeInstanceOf(UserError);
    expect(missing.message).toBe("--env qa: logship.qa.yaml does not exist");
    const bad = await loadConfig({ cwd, env: {}, envName: "Prod!" }).catch((e) => e);
    expect(bad.message).toBe('--env: "Prod!" is not an environment name: use lower-case letters, digits and -');
  });

  it("LOGSHIP_ENV picks the overlay when --env is absent", async () => {
    const cwd = await dir({ "logship.yaml": base, "logship.dev.yaml": "region: us-west-2\n" });
    expect((await loadConfig({ cwd, env: { LOGSHIP_ENV: "dev" } })).config.region).toBe("us-west-2");
  });

  it("deepMerge and overlaySets", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] } }, { a: { c: [3] } })).toEqual({ a: { b: 1, c: [3] } });
    expect(overlaySets({ targets: { lambda: { memory: 1 } } }, "targets.lambda.memory")).toBe(true);
    expect(overlaySets({ targets: { lambda: { memory: 1 } } }, "targets.lambda.timeout")).toBe(false);
    expect(overlaySets({ list: [1] }, "list[0]")).toBe(true);
  });
});
