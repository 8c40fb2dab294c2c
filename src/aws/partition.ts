// The AWS partition ("aws", "aws-cn", "aws-us-gov") of ARNs logship builds itself, such as AWS
// managed policies: arn:<partition>:iam::aws:policy/…. A hard-coded arn:aws: is refused in China
// and GovCloud (ECS Express reached GovCloud on 15 June 2026; aws-apis.md §9 "Partitions"). The
// partition is the second field of any ARN of the account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html):
// the role steps read it from the role's own ARN, which GetRole or CreateRole already answers, so
// finding it costs no call (src/steps/managed-role.ts).

/** "aws" for arn:aws:iam::123:user/x, "aws-cn" for arn:aws-cn:…; undefined for something that is not an ARN. */
export const partitionOfArn = (arn: string | undefined): string | undefined => /^arn:(aws[a-z-]*):/.exec(arn ?? "")?.[1];

/** arn:<partition>:iam::aws:policy/<path>, e.g. path "service-role/AmazonECSTaskExecutionRolePolicy". */
export const managedPolicyArn = (partition: string, path: string) => `arn:${partition}:iam::aws:policy/${path}`;
