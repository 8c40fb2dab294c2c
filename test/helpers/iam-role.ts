// An IAM role as GetRole answers it (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html):
// Path, RoleId, CreateDate, MaxSessionDuration filled in, and the trust policy URL-encoded
// ("URL-encoded compliant with RFC 3986"), as the SDK hands it over undecoded.
import type { Role } from "@aws-sdk/client-iam";

/** The trust policy as a service role's is written (IAM "Creating a role for an AWS service"), not built by logship. */
const trustDocument = (service: string) => JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
});

export function iamRole(arn: string, trusted: string, extra: Partial<Role> = {}): Role {
  return {
    Path: "/", RoleName: arn.split("/").pop()!, RoleId: "AROAEXAMPLEROLEID0001", Arn: arn,
    CreateDate: new Date("2026-01-05T10:00:00Z"), MaxSessionDuration: 3600,
    AssumeRolePolicyDocument: encodeURIComponent(trustDocument(trusted)),
    ...extra,
  };
}
