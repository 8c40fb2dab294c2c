// The AWS side of the deploy lock for tests that run a writing command in-process: Parameter Store
// (test/helpers/ssm-fake.ts) and STS's GetCallerIdentity, answering as API_GetCallerIdentity documents.
import { mockClient } from "aws-sdk-client-mock";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fakeSsm } from "./ssm-fake.js";

export const TEST_CALLER = "arn:aws:sts::123456789012:assumed-role/deployer/test";

export function fakeLockAws() {
  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).resolves({ Account: "123456789012", Arn: TEST_CALLER, UserId: "AROAEXAMPLE:test" });
  return { ssm: fakeSsm(), sts };
}
