// `ship local lambda`: one build, one push (only Lambda needs the registry), both targets deployed in
// one run, side by side; the second run changes nothing on either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { fetchText, inspect, type Project } from "../integration/helpers.js";
import { logship, motoParts, motoProject, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

describe.skipIf(parts.skip)("ship local lambda (real Docker, moto)", { timeout: 90_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    parts.assert();
    project = await motoProject(m, (p) => ({ targets: { local: { port: p.port }, lambda: { function: `${p.app}-fn` } } }));
    ({ p, env } = project);
  });
  afterAll(() => project?.cleanup());

  it("deploys both targets from one build and one push; a second run changes neither", async () => {
    const r = await logship(["ship", "local", "lambda", "--no-smoke", "--json"], p.dir, { env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.images).toHaveLength(1);
    expect(doc.steps.filter((s: { id: string }) => s.id === "docker.build")).toHaveLength(1);
    expect(r.writes).toContain("Lambda.CreateFunction");

    expect(await fetchText(`http://127.0.0.1:${p.port}/`)).toContain(p.marker);
    const container = await inspect("container", `logship-${p.app}`);
    const aws = await sdk(m);
    const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: `${p.app}-fn` }));
    expect(fn.Code?.ImageUri).toBe(`${m.registryHost}/${p.app}@${doc.images[0].digest}`);

    const again = await logship(["ship", "local", "lambda", "--no-smoke", "--json"], p.dir, { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.writes).toEqual([]);
    expect((await inspect("container", `logship-${p.app}`))?.Id).toBe(container?.Id);
  });
});
