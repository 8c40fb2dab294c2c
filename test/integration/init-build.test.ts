// `logship init` on the Python and Node fixtures, then the Dockerfile it wrote is built and run by the
// real engine (`logship ship local`) and smoke-tested. No registry is reachable here, so the FROM line is
// pointed at a stand-in base image (test/fixtures/standin: busybox plus npm/pip/useradd/node/uvicorn
// shims); every other instruction of the generated Dockerfile runs as written.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, fetchText, freePort, realParts, runCli, uniqueName } from "./helpers.js";

const parts = await realParts(false);
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");
const STANDIN = `logship-standin:${uniqueName("t")}`;

describe.skipIf(parts.skip)("init → the generated Dockerfile builds and serves (real Docker)", () => {
  const made: { dir: string; app: string; tag: string }[] = [];
  beforeAll(async () => {
    parts.assert();
    const r = await docker("build", "-q", "-t", STANDIN, path.join(FIXTURES, "standin"));
    if (r.exitCode !== 0) throw new Error(`stand-in base image did not build:\n${r.stderr}`);
  }, 120_000);
  afterAll(async () => {
    for (const m of made) {
      await docker("rm", "--force", `logship-${m.app}`);
      await docker("rmi", "--force", `${m.app}:${m.tag}`);
      await rm(m.dir, { recursive: true, force: true });
    }
    await docker("rmi", "--force", STANDIN);
  });

  it.each([
    ["express", "FROM public.ecr.aws/docker/library/node:20-slim", "2.3.0", "/health"],
    ["fastapi", "FROM public.ecr.aws/docker/library/python:3.12-slim", "0.0.1", "/healthz"],
  ])("%s: init writes a Dockerfile that really builds, runs as non-root, and answers the smoke path", async (fixture, from, version, smokePath) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `logship-init-${fixture}-`));
    await cp(path.join(FIXTURES, "init", fixture, "app"), dir, { recursive: true });
    const init = await runCli(["init", "--targets", "local"], dir);
    expect(init.code, init.stderr).toBe(0);

    const dockerfile = await readFile(path.join(dir, "Dockerfile"), "utf8");
    expect(dockerfile).toContain(from);
    await writeFile(path.join(dir, "Dockerfile"), dockerfile.replace(from, `FROM ${STANDIN}`));
    // A unique app name and a free port, so parallel runs and a developer's own containers never clash.
    const config = parse(await readFile(path.join(dir, "logship.yaml"), "utf8"));
    expect(config.smoke.path).toBe(smokePath);
    config.app = uniqueName("init");
    config.targets.local.port = await freePort();
    await writeFile(path.join(dir, "logship.yaml"), stringify(config));
    made.push({ dir, app: config.app, tag: version });

    const ship = await runCli(["ship", "local"], dir);
    expect(ship.code, ship.stderr).toBe(0);
    expect(ship.stderr).toMatch(new RegExp(`✔ \\[local\\] Smoke test http://127.0.0.1:${config.targets.local.port}${smokePath} — HTTP 200`));
    expect(await fetchText(`http://127.0.0.1:${config.targets.local.port}${smokePath}`)).toBe("200 stand-in app ok\n");

    const inspected = JSON.parse((await docker("container", "inspect", `logship-${config.app}`)).stdout)[0];
    expect(inspected.Config.User).not.toBe("");
    expect(inspected.Config.User).not.toBe("root");
  }, 120_000);
});
