// AWS SDK failures become one line and a hint (exit 1); anything else is left to the caller.
import { createServer } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fromEnv } from "@aws-sdk/credential-providers";
import { DescribeRepositoriesCommand, ECRClient, RepositoryNotFoundException } from "@aws-sdk/client-ecr";
import { explainAwsError, isCredentialsError, isSdkError } from "../../src/aws/errors.js";
import { DeployError, exitCodeOf } from "../../src/errors.js";

const sdkError = (name: string, message: string, $metadata: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, $metadata });

afterEach(() => vi.unstubAllEnvs());

describe("explainAwsError", () => {
  it("a real CredentialsProviderError → no AWS credentials found, with a hint", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    const err = await fromEnv()().then(() => undefined, (e: unknown) => e);
    expect((err as Error).name).toBe("CredentialsProviderError");
    const out = explainAwsError(err)!;
    expect(out).toBeInstanceOf(DeployError);
    expect(out.message).toBe("no AWS credentials found");
    expect(out.hint).toBe("run `aws configure` or `aws sso login`, pass --profile NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    expect(exitCodeOf(out)).toBe(1);
  });

  it("the default chain's 'Could not load credentials' message counts as no credentials", () => {
    const err = sdkError("Error", "Could not load credentials from any providers", { attempts: 1 });
    expect(isCredentialsError(err)).toBe(true);
    expect(explainAwsError(err)?.message).toBe("no AWS credentials found");
  });

  it("AccessDeniedException (403) → the AWS message, the request id and a permissions hint", () => {
    const err = sdkError("AccessDeniedException", "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:CreateRepository",
      { httpStatusCode: 403, requestId: "req-1" });
    const out = explainAwsError(err)!;
    expect(out.message).toBe(
      "AWS said AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:CreateRepository (request id req-1)",
    );
    expect(out.hint).toBe("the AWS identity in use lacks a permission: see the README's IAM section, or run `logship doctor`");
    expect(out.cause).toBe(err);
  });

  it("any 403 gets the permissions hint, whatever the error's name", () => {
    expect(explainAwsError(sdkError("UnrecognizedClientException", "bad", { httpStatusCode: 403 }))?.hint).toMatch(/lacks a permission/);
  });

  it.each(["ExpiredTokenException", "ExpiredToken"])("%s → log in again", (name) => {
    const out = explainAwsError(sdkError(name, "The security token included in the request is expired", { httpStatusCode: 400 }))!;
    expect(out.message).toBe(`AWS said ${name}: The security token included in the request is expired`);
    expect(out.hint).toBe("your AWS session expired: log in again (`aws sso login`) and re-run");
  });

  it("another service error keeps its name and message, without a hint", () => {
    const err = new RepositoryNotFoundException({ message: "The repository with name 'x' does not exist", $metadata: { httpStatusCode: 400 } });
    expect(isSdkError(err)).toBe(true);
    const out = explainAwsError(err)!;
    expect(out.message).toBe("AWS said RepositoryNotFoundException: The repository with name 'x' does not exist");
    expect(out.hint).toBeUndefined();
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT"])("a bare %s → cannot reach AWS", (code) => {
    const err = Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code });
    const out = explainAwsError(err)!;
    expect(out.message).toBe(`cannot reach AWS: connect ${code} 127.0.0.1:4566`);
    expect(out.hint).toBe("check your network, proxy or AWS_ENDPOINT_URL");
  });

  it("ECONNREFUSED as the SDK throws it (the retry middleware adds $metadata) → cannot reach AWS", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const client = new ECRClient({
      region: "us-east-1", endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "example" },
    });
    const err = await client.send(new DescribeRepositoriesCommand({})).then(() => undefined, (e: unknown) => e);
    expect((err as { code?: string }).code).toBe("ECONNREFUSED");
    expect(isSdkError(err)).toBe(true);
    const out = explainAwsError(err)!;
    expect(out.message).toMatch(/^cannot reach AWS: .*ECONNREFUSED/);
    expect(out.hint).toBe("check your network, proxy or AWS_ENDPOINT_URL");
  });

  it.each([
    ["a plain Error", new Error("boom")],
    ["a TypeError", new TypeError("x is undefined")],
    ["a string", "boom"],
    ["undefined", undefined],
    ["null", null],
    ["a DeployError", new DeployError("docker push failed")],
  ])("leaves %s alone (undefined)", (_name, err) => {
    expect(explainAwsError(err)).toBeUndefined();
  });
});
