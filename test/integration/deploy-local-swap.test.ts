// Replacing the app's working container (real Docker): a new image that cannot start, or starts but
// never answers, leaves the old container serving, and no new container behind, Created or not.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupProject, docker, fetchText, inspect, makeProject, realParts, runCli, type Project } from "./helpers.js";

const parts = await realParts(false);
const TAGS = ["1.2.3", "no-binary", "exits"];

describe.skipIf(parts.skip)("deploy local: the previous container survives a failed replacement (real Docker)", () => {
  let p: Project;
  let firstId: string;
  const container = () => `logship-${p.app}`;

  beforeAll(async () => {
    parts.assert();
    p = await makeProject();
    // An image whose command does not exist: `docker run` itself fails (the OCI runtime cannot exec it).
    await writeFile(path.join(p.dir, "Dockerfile.no-binary"), 'FROM logship-busybox:local\nEXPOSE 8080\nCMD ["/no/such/binary"]\n');
    for (const image of [undefined, { dockerfile: "Dockerfile.no-binary", tag: "no-binary" }, { dockerfile: "Dockerfile.exits", tag: "exits" }]) {
      await p.writeConfig(image ? { image } : {});
      const built = await runCli(["build"], p.dir);
      if (built.code !== 0) throw new Error(`logship build failed:\n${built.stderr}`);
    }
    await p.writeConfig();
    const r = await runCli(["deploy", "local"], p.dir);
    if (r.code !== 0) throw new Error(`first deploy failed:\n${r.stderr}`);
    firstId = (await inspect("container", container())).Id;
  }, 90_000);
  // A failed assertion mid-swap may leave the new container under its temporary name.
  afterAll(async () => {
    if (p) await docker("rm", "--force", `logship-${p.app}-next`);
    await cleanupProject(p, TAGS);
  });

  /** Only the first container exists, running and serving; nothing else of this app, in any state. */
  async function onlyTheFirstServes() {
    const c = await inspect("container", container());
    expect(c.Id).toBe(firstId);
    expect(c.State.Running).toBe(true);
    expect(await fetchText(`http://127.0.0.1:${p.port}/`)).toContain(p.marker);
    const all = await docker("ps", "--all", "--filter", `label=logship.app=${p.app}`, "--format", "{{.Names}} {{.Status}}");
    expect(all.stdout.trim().split("\n")).toEqual([expect.stringMatching(new RegExp(`^${container()} Up `))]);
  }

  it("docker run fails: docker's own error, no Created container, the old one running again", async () => {
    await p.writeConfig({ image: { dockerfile: "Dockerfile.no-binary", tag: "no-binary" } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: docker run failed: .*\/no\/such\/binary.*(no such file or directory|not found)/);
    expect(r.stderr).toContain(`the previous container ${container()}`);
    expect(r.stderr).toContain("is running again");
    expect(r.stderr).not.toContain("--help");
    await onlyTheFirstServes();
  }, 60_000);

  it("the new container exits before it answers: the old one serves again and the failure says why", async () => {
    await p.writeConfig({ image: { dockerfile: "Dockerfile.exits", tag: "exits" }, smoke: { path: "/", timeout: "10s" } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/error: .*never answered: the container exited with code 3/);
    expect(r.stderr).toContain(`the previous container ${container()}`);
    await onlyTheFirstServes();
  }, 60_000);

  it("a good image after those failures replaces the old one", async () => {
    await p.writeConfig({ env: { AGAIN: "1" } });
    const r = await runCli(["deploy", "local"], p.dir);
    expect(r.code, r.stderr).toBe(0);
    const c = await inspect("container", container());
    expect(c.Id).not.toBe(firstId);
    expect(c.Config.Env).toContain("AGAIN=1");
    expect(await fetchText(`http://127.0.0.1:${p.port}/`)).toContain(p.marker);
    expect(await inspect("container", `${container()}-next`)).toBeUndefined();
  }, 60_000);
});
