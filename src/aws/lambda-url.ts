// AWS Lambda, the function URL and the resource policy that lets it be called (aws-apis.md §4.5):
// the operations logship uses, each once. The function, versions and alias are src/aws/lambda.ts.
import type {
  AddPermissionCommandInput, CreateFunctionUrlConfigCommandInput, CreateFunctionUrlConfigCommandOutput,
  GetFunctionUrlConfigCommandOutput, UpdateFunctionUrlConfigCommandInput, UpdateFunctionUrlConfigCommandOutput,
} from "@aws-sdk/client-lambda";
import { DeployError } from "../errors.js";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";
import { orUndefined } from "./lambda.js";
import { awsCall, type AwsCall } from "./call.js";

export type { Cors, GetFunctionUrlConfigCommandOutput } from "@aws-sdk/client-lambda";

/**
 * The URL config of the function's `qualifier` (logship's alias), or undefined when it has none
 * (ResourceNotFoundException, https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionUrlConfig.html#API_GetFunctionUrlConfig_Errors).
 */
export async function getFunctionUrlConfig(aws: AwsClients, name: string, qualifier: string): Promise<GetFunctionUrlConfigCommandOutput | undefined> {
  const { GetFunctionUrlConfigCommand } = await import("@aws-sdk/client-lambda");
  return orUndefined((await aws.lambda()).send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: qualifier })));
}

/**
 * The resource policy of `qualifier` as the JSON text Lambda keeps, or undefined when it has none:
 * ResourceNotFoundException (https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html#API_GetPolicy_Errors).
 */
export async function getPolicy(aws: AwsClients, name: string, qualifier: string): Promise<string | undefined> {
  const { GetPolicyCommand } = await import("@aws-sdk/client-lambda");
  const out = await orUndefined((await aws.lambda()).send(new GetPolicyCommand({ FunctionName: name, Qualifier: qualifier })));
  return out?.Policy;
}

/**
 * PublicPolicyException: a block-public-access setting refuses any statement that grants public
 * access ("your account's BlockPublicAccess setting prevents public access",
 * https://docs.aws.amazon.com/botocore/latest/reference/services/lambda/client/exceptions/PublicPolicyException.html).
 */
function explainPublicBlock(e: unknown, action: string | undefined): unknown {
  if (errName(e) !== "PublicPolicyException") return e;
  return new DeployError(
    `lambda: AWS refused the public ${action} permission the URL needs: public access to Lambda is blocked for this function or account (PublicPolicyException)`,
    "lift the block-public-access setting for Lambda (ask your account administrator; it may be set by your organization), or set targets.lambda.url.public: false for an AWS_IAM URL",
    { cause: e },
  );
}

const client = async (aws: AwsClients) => ({ sdk: await import("@aws-sdk/client-lambda"), lambda: await aws.lambda() });

/** The URL's and the resource policy's writes as records with their senders (src/aws/call.ts). */
export const lambdaUrlCalls = {
  /**
   * CreateFunctionUrlConfig. Its ResourceConflictException means "exists" or "another operation in
   * progress", which only a read tells apart: the caller decides (src/targets/lambda/conflict.ts).
   */
  createFunctionUrlConfig: (input: CreateFunctionUrlConfigCommandInput): AwsCall<CreateFunctionUrlConfigCommandOutput> =>
    awsCall("Lambda", "CreateFunctionUrlConfig", input, async (aws) => {
      const { sdk, lambda } = await client(aws);
      return lambda.send(new sdk.CreateFunctionUrlConfigCommand(input));
    }),
  updateFunctionUrlConfig: (input: UpdateFunctionUrlConfigCommandInput): AwsCall<UpdateFunctionUrlConfigCommandOutput> =>
    awsCall("Lambda", "UpdateFunctionUrlConfig", input, async (aws) => {
      const { sdk, lambda } = await client(aws);
      return lambda.send(new sdk.UpdateFunctionUrlConfigCommand(input));
    }),
  /**
   * Deletes the URL of `qualifier`. False when there was none: ResourceNotFoundException
   * (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionUrlConfig.html#API_DeleteFunctionUrlConfig_Errors).
   */
  deleteFunctionUrlConfig: (name: string, qualifier: string): AwsCall<boolean> => {
    const input = { FunctionName: name, Qualifier: qualifier };
    return awsCall("Lambda", "DeleteFunctionUrlConfig", input, async (aws) => {
      const { sdk, lambda } = await client(aws);
      return (await orUndefined(lambda.send(new sdk.DeleteFunctionUrlConfigCommand(input)))) !== undefined;
    });
  },
  addPermission: (input: AddPermissionCommandInput): AwsCall<void> => awsCall("Lambda", "AddPermission", input, async (aws) => {
    const { sdk, lambda } = await client(aws);
    await lambda.send(new sdk.AddPermissionCommand(input)).catch((e) => { throw explainPublicBlock(e, input.Action); });
  }),
  /**
   * Removes one statement from the policy of `qualifier`. False when it was not there:
   * ResourceNotFoundException (https://docs.aws.amazon.com/lambda/latest/api/API_RemovePermission.html#API_RemovePermission_Errors).
   */
  removePermission: (name: string, qualifier: string, statementId: string): AwsCall<boolean> => {
    const input = { FunctionName: name, Qualifier: qualifier, StatementId: statementId };
    return awsCall("Lambda", "RemovePermission", input, async (aws) => {
      const { sdk, lambda } = await client(aws);
      return (await orUndefined(lambda.send(new sdk.RemovePermissionCommand(input)))) !== undefined;
    });
  },
};
