// `ship local lambda`: one build, one push (only Lambda needs the registry), both targets deployed in
// one run, side by side; the second run changes nothing on either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { cleanupProject, fetchText, inspect, makeProject, type Project } from "../integration/helpers.js";
import { awsEnv, logship, makeTmp, motoParts, removeTmp, sdk } from "./harness.js";

const parts = await motoParts();

describe.skipIf(parts.skip)("ship local lambda (real Docker, moto)", { timeout: 90_000 }, () => {
  const m = parts.moto;
  let p: Project;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    parts.assert();
    tmp = await makeTmp();
    env = awsEnv(m, tmp);
    p = await makeProject("webapp");
    await p.writeConfig({
      registry: { type: "ecr", repository: p.app },
      targets: { local: { port: p.port }, lambda: { function: `${p.app}-fn` } },
    });
  });
  afterAll(async () => {
    await logship(["destroy", "lambda", "--yes", "--with-roles", "--with-repository"], p.dir, { env });
    await cleanupProject(p);
    await removeTmp(tmp);
  });

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
