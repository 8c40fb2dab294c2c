// Turns an AWS SDK failure into one line the user can act on (exit 1).
import { DeployError } from "../errors.js";

interface SdkError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

export function isSdkError(err: unknown): err is SdkError {
  return typeof err === "object" && err !== null && "$metadata" in err && "name" in err;
}

export function isCredentialsError(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === "CredentialsProviderError" || /Could not load credentials/i.test(String((err as Error)?.message));
}

export function explainAwsError(err: unknown): DeployError | undefined {
  if (isCredentialsError(err)) {
    return new DeployError(
      "no AWS credentials found",
      "run `aws configure` or `aws sso login`, pass --profile NAME, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    );
  }
  // Checked before isSdkError: the SDK's retry middleware adds $metadata to network errors too.
  const code = (err as { code?: string })?.code;
  if (["ENOTFOUND", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"].includes(code ?? "") || (err as Error)?.name === "TimeoutError") {
    return new DeployError(`cannot reach AWS: ${(err as Error).message}`, "check your network, proxy or AWS_ENDPOINT_URL");
  }
  if (!isSdkError(err)) return undefined;
  const status = err.$metadata?.httpStatusCode;
  const hint =
    err.name === "AccessDeniedException" || err.name === "AccessDenied" || status === 403
      ? "the AWS identity in use lacks a permission: see the README's IAM section, or run `logship doctor`"
      : err.name === "ExpiredTokenException" || err.name === "ExpiredToken"
        ? "your AWS session expired: log in again (`aws sso login`) and re-run"
        : undefined;
  const request = err.$metadata?.requestId ? ` (request id ${err.$metadata.requestId})` : "";
  return new DeployError(`AWS said ${err.name}: ${err.message}${request}`, hint, { cause: err });
}
