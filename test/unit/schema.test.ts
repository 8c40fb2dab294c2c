import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { jsonSchema } from "../../src/config/schema.js";

type Node = Record<string, any>;
const schema = jsonSchema() as Node;

/** Paths of every object schema with named properties that still accepts keys it does not name. */
function looseObjects(node: unknown, at = "#"): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => looseObjects(n, `${at}/${i}`));
  if (typeof node !== "object" || node === null) return [];
  const n = node as Node;
  const own = n.type === "object" && n.properties && n.additionalProperties !== false ? [at] : [];
  return [...own, ...Object.entries(n).flatMap(([k, v]) => looseObjects(v, `${at}/${k}`))];
}

describe("jsonSchema()", () => {
  it("is a draft 2020-12 object schema with every top-level key, app required", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties)).toEqual(["$schema", "app", "version", "region", "profile", "image", "registry", "env", "smoke", "lock", "targets"]);
    expect(schema.required).toEqual(["app"]);
    expect(Object.keys(schema.properties.targets.properties)).toEqual(["local", "apprunner", "lambda", "ecs"]);
  });

  it("sets additionalProperties: false on every object with named keys (unknown keys are errors)", () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.image.additionalProperties).toBe(false);
    expect(schema.properties.targets.properties.lambda.additionalProperties).toBe(false);
    expect(looseObjects(schema)).toEqual([]);
  });

  it("the additionalProperties check finds a loose object (so it can fail)", () => {
    const loose = { type: "object", properties: { a: { type: "object", properties: { b: {} } } }, additionalProperties: false };
    expect(looseObjects(loose)).toEqual(["#/properties/a"]);
  });

  it("has the enums for platform, architecture and tag mutability", () => {
    expect(schema.properties.image.properties.platform.enum).toEqual(["linux/amd64", "linux/arm64"]);
    expect(schema.properties.targets.properties.lambda.properties.architecture).toMatchObject({ enum: ["x86_64", "arm64"], default: "x86_64" });
    const ecr = schema.properties.registry.oneOf.find((o: Node) => o.properties.type.const === "ecr");
    expect(ecr.properties.tagMutability.enum).toEqual(["MUTABLE", "IMMUTABLE"]);
  });

  it("describes the registry as ecr or generic, ecr by default", () => {
    const registry = schema.properties.registry;
    expect(registry.oneOf.map((o: Node) => o.properties.type.const)).toEqual(["ecr", "generic"]);
    expect(registry.default).toEqual({ type: "ecr", scanOnPush: true, tagMutability: "MUTABLE", keepImages: 30 });
    expect(registry.oneOf[1].required).toEqual(["type", "url"]);
  });

  it("carries the numeric bounds and name patterns editors can check", () => {
    const lambda = schema.properties.targets.properties.lambda.properties;
    expect(lambda.memory).toMatchObject({ minimum: 128, maximum: 10240, default: 512 });
    expect(lambda.timeout).toMatchObject({ minimum: 1, maximum: 900 });
    expect(lambda.function.pattern).toBe("^[A-Za-z0-9_-]{1,64}$");
    expect(schema.properties.targets.properties.apprunner.properties.service.pattern).toBe("^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$");
    expect(schema.properties.image.properties.tag.default).toBe("{version}");
  });
});

describe("logship schema", () => {
  it("prints the same JSON Schema on stdout and nothing on stderr, exit 0", async () => {
    const { code, stdout, stderr } = await runCli(["schema"], { cwd: "/nonexistent" });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(schema);
    expect(stdout.endsWith("}\n")).toBe(true);
    expect(stderr).toBe("");
  });
});
