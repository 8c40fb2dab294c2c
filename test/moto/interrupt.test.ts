// Ctrl-C in the middle of a Lambda deploy on moto: logship stops waiting, exits 130, leaves no token
// on disk, and the next run finishes the job without redoing what was done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetAliasCommand, GetFunctionCommand, GetFunctionUrlConfigCommand } from "@aws-sdk/client-lambda";
import type { Project } from "../integration/helpers.js";
import { leftovers, logship, motoParts, motoProject, sdk, type MotoProject } from "./harness.js";

const parts = await motoParts();

describe.skipIf(parts.skip)("Ctrl-C during deploy lambda (moto)", { timeout: 90_000 }, () => {
  const m = parts.moto;
  let project: MotoProject;
  let p: Project;
  let env: NodeJS.ProcessEnv;
  let tmp: string;
  beforeAll(async () => {
    parts.assert();
    project = await motoProject(m, (p) => ({ targets: { lambda: { function: `${p.app}-fn`, url: { public: true } } } }));
    ({ p, env, tmp } = project);
  });
  afterAll(() => project?.cleanup());

  it("exits 130 while the new function is Pending; the re-run publishes, aliases and opens the URL; a third run writes nothing", async () => {
    let pressed = false;
    // moto keeps a new function Pending for a moment, as Lambda does (test/moto/launcher.py): press
    // Ctrl-C as soon as CreateFunction has answered, while logship waits for Active.
    const r = await logship(["ship", "lambda", "--no-smoke"], p.dir, {
      env,
      onStderr: (text, child) => {
        if (!pressed && /^aws Lambda\.CreateFunction ok/m.test(text)) {
          pressed = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(pressed).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.writes).toContain("Lambda.CreateFunction");
    expect(r.writes).not.toContain("Lambda.PublishVersion");
    expect(r.stderr).toContain("run the same command again");
    expect(await leftovers(tmp)).toEqual([]);

    const again = await logship(["ship", "lambda", "--no-smoke"], p.dir, { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.writes).toEqual([
      "Lambda.PublishVersion", "Lambda.CreateAlias", "Lambda.CreateFunctionUrlConfig", "Lambda.AddPermission", "Lambda.AddPermission",
    ]);
    const aws = await sdk(m);
    const fn = await aws.lambda.send(new GetFunctionCommand({ FunctionName: `${p.app}-fn` }));
    expect(fn.Configuration?.State).toBe("Active");
    expect((await aws.lambda.send(new GetAliasCommand({ FunctionName: `${p.app}-fn`, Name: "live" }))).FunctionVersion).toBe("1");
    expect((await aws.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: `${p.app}-fn`, Qualifier: "live" }))).AuthType).toBe("NONE");

    const third = await logship(["ship", "lambda", "--no-smoke"], p.dir, { env });
    expect(third.code, third.stderr).toBe(0);
    expect(third.writes).toEqual([]);
  });
});
