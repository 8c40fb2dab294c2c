// AWS STS: who the credentials in use belong to. It needs no permission: "No permissions are
// required to perform this operation" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html),
// so a failure here is about the credentials themselves (none, expired) or the network.
import type { GetCallerIdentityCommandOutput } from "@aws-sdk/client-sts";
import type { AwsClients } from "./clients.js";

export type CallerIdentity = Pick<GetCallerIdentityCommandOutput, "Account" | "Arn" | "UserId">;

export async function getCallerIdentity(aws: AwsClients): Promise<CallerIdentity> {
  const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
  return (await aws.sts()).send(new GetCallerIdentityCommand({}));
}
