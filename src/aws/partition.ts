// The caller's AWS partition ("aws", "aws-cn", "aws-us-gov"), for ARNs logship builds itself, such as
// AWS managed policies: arn:<partition>:iam::aws:policy/…. A hard-coded arn:aws: is refused in China
// and GovCloud (ECS Express reached GovCloud on 15 June 2026; aws-apis.md §9 "Partitions"). The
// partition is the second field of the identity's ARN from STS GetCallerIdentity
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html), read once per set of clients.
import type { AwsClients } from "./clients.js";

const cache = new WeakMap<AwsClients, Promise<string>>();

/** "aws" for arn:aws:iam::123:user/x, "aws-cn" for arn:aws-cn:…; undefined for something that is not an ARN. */
export const partitionOfArn = (arn: string | undefined): string | undefined => /^arn:(aws[a-z-]*):/.exec(arn ?? "")?.[1];

export function callerPartition(aws: AwsClients): Promise<string> {
  let p = cache.get(aws);
  if (!p) {
    p = (async () => {
      const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
      const me = await (await aws.sts()).send(new GetCallerIdentityCommand({}));
      return partitionOfArn(me.Arn) ?? "aws";
    })();
    // A failed read is not remembered: the next step asks again (and reports the error itself).
    p.catch(() => cache.delete(aws));
    cache.set(aws, p);
  }
  return p;
}

/** arn:<partition>:iam::aws:policy/<path>, e.g. path "service-role/AmazonECSTaskExecutionRolePolicy". */
export const managedPolicyArn = (partition: string, path: string) => `arn:${partition}:iam::aws:policy/${path}`;
