// Which builder docker uses is asked only by a run that builds: a push or a deploy runs no
// `docker build --help` (it cost each of them a docker process).
import { describe, expect, it } from "vitest";
import { prepareDocker } from "../../src/commands/prepare.js";
import { buildStep } from "../../src/steps/build.js";
import { fakeDocker, testContext } from "../helpers/context.js";
import type { ImageState } from "../../src/steps/types.js";
import { imagesFor } from "../../src/images.js";

const VERSION = JSON.stringify({ Server: { Version: "29.0.1", ApiVersion: "1.52" }, Client: { ApiVersion: "1.52" } });

function docker() {
  return fakeDocker((args) => {
    if (args[0] === "version") return { stdout: VERSION };
    if (args[0] === "build" && args[1] === "--help") return { stdout: "      --provenance string   Shorthand for \"--attest=type=provenance\"" };
    if (args[0] === "image" && args[1] === "inspect") return { stdout: JSON.stringify([{ Id: "sha256:abc", Architecture: "amd64" }]) };
    return undefined;
  });
}

describe("prepareDocker", () => {
  it("a real run asks the engine, not the builder", async () => {
    const d = docker();
    const { ctx } = testContext({ app: "shop" }, { docker: d.docker });
    await prepareDocker(ctx);
    expect(ctx.engine?.version).toBe("29.0.1");
    expect(d.calls.map((c) => c.args.slice(0, 2).join(" "))).not.toContain("build --help");
    expect(ctx.buildkit).toBeUndefined();
  });

  it("the first build asks which builder runs, once, and passes --provenance=false to BuildKit", async () => {
    const d = docker();
    const { ctx } = testContext({ app: "shop" }, { docker: d.docker });
    await prepareDocker(ctx);
    const [spec] = imagesFor(ctx.config, "/project", ["local"]);
    const image: ImageState = { spec, tag: "1", localRefs: ["shop:1"] };
    await buildStep(image).run(ctx).catch(() => undefined); // the fake writes no iidfile; the argv is what counts
    await buildStep(image).run(ctx).catch(() => undefined);
    const helps = d.calls.filter((c) => c.args[0] === "build" && c.args[1] === "--help");
    expect(helps).toHaveLength(1);
    expect(ctx.buildkit).toBe(true);
    expect(d.calls.find((c) => c.args[0] === "build" && c.args[1] !== "--help")?.args).toContain("--provenance=false");
  });
});
