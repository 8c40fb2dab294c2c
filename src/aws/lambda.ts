// AWS Lambda, the function, its versions and its alias: the operations logship uses (aws-apis.md §4),
// each once; the writes as records for the executor (lambdaCalls, src/aws/execute.ts). The function URL and its resource policy are src/aws/lambda-url.ts. The SDK is imported
// inside each function, so `logship --help` never loads it.
import type {
  AliasConfiguration, CreateAliasCommandInput, CreateFunctionCommandInput, FunctionConfiguration, GetFunctionCommandOutput,
  PublishVersionCommandInput, UpdateAliasCommandInput, UpdateFunctionCodeCommandInput, UpdateFunctionConfigurationCommandInput,
} from "@aws-sdk/client-lambda";
import { DeployError } from "../errors.js";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";
import { awsCall, type AwsCall } from "./call.js";

export type { AliasConfiguration, FunctionConfiguration, GetFunctionCommandOutput } from "@aws-sdk/client-lambda";

/** Lambda answers a missing function, version, alias, URL, policy or statement with this (each
 * operation's Errors section below); lambda-url.ts shares it. */
const missing = (e: unknown) => errName(e) === "ResourceNotFoundException";

export async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (missing(e)) return undefined;
    throw e;
  }
}

/**
 * PreconditionFailedException: "The RevisionId provided does not match the latest RevisionId for the
 * Lambda function or alias" — someone else changed it between our read and this write
 * (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html#API_UpdateAlias_Errors; the same
 * on UpdateFunctionCode, UpdateFunctionConfiguration and PublishVersion).
 */
function explainRevisionMoved(e: unknown, name: string | undefined): never {
  if (errName(e) === "PreconditionFailedException") {
    throw new DeployError(
      `another deploy changed Lambda function ${name} meanwhile (its RevisionId moved on)`,
      "let the other deploy finish, then re-run this command",
      { cause: e },
    );
  }
  throw e;
}

/**
 * $LATEST, or with `qualifier` (a version or an alias) what that serves, with its code location and
 * tags; undefined when missing (ResourceNotFoundException,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html#API_GetFunction_Errors).
 */
export async function getFunction(aws: AwsClients, name: string, qualifier?: string): Promise<GetFunctionCommandOutput | undefined> {
  const { GetFunctionCommand } = await import("@aws-sdk/client-lambda");
  const lambda = await aws.lambda();
  return orUndefined(lambda.send(new GetFunctionCommand({ FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) })));
}

async function sendGetFunctionConfiguration(aws: AwsClients, name: string, qualifier?: string, signal?: AbortSignal): Promise<FunctionConfiguration> {
  const { GetFunctionConfigurationCommand } = await import("@aws-sdk/client-lambda");
  const input = { FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) };
  return (await aws.lambda()).send(new GetFunctionConfigurationCommand(input), signal ? { abortSignal: signal } : undefined);
}

/**
 * The configuration of $LATEST, or with `qualifier` of that version or alias (an alias answers the
 * version it points to); undefined when missing (ResourceNotFoundException,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html#API_GetFunctionConfiguration_Errors).
 */
export async function getFunctionConfiguration(
  aws: AwsClients, name: string, o: { qualifier?: string; signal?: AbortSignal } = {},
): Promise<FunctionConfiguration | undefined> {
  return orUndefined(sendGetFunctionConfiguration(aws, name, o.qualifier, o.signal));
}

/**
 * The same read for a function that must be there (just written, being waited on): a missing one is
 * an error, and AWS's own ResourceNotFoundException goes up as it came (src/aws/errors.ts reports it).
 */
export async function readFunctionConfiguration(aws: AwsClients, name: string, qualifier?: string): Promise<FunctionConfiguration> {
  return sendGetFunctionConfiguration(aws, name, qualifier);
}

/** Every version of the function, $LATEST included, in the order Lambda lists them (all pages). */
export async function listVersions(aws: AwsClients, name: string): Promise<FunctionConfiguration[]> {
  const { ListVersionsByFunctionCommand } = await import("@aws-sdk/client-lambda");
  const lambda = await aws.lambda();
  const versions: FunctionConfiguration[] = [];
  let Marker: string | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker }));
    versions.push(...(page.Versions ?? []));
    Marker = page.NextMarker;
  } while (Marker);
  return versions;
}

/**
 * The alias, or undefined when the function has no alias of that name (ResourceNotFoundException,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetAlias.html#API_GetAlias_Errors).
 */
export async function getAlias(aws: AwsClients, name: string, alias: string): Promise<AliasConfiguration | undefined> {
  const { GetAliasCommand } = await import("@aws-sdk/client-lambda");
  return orUndefined((await aws.lambda()).send(new GetAliasCommand({ FunctionName: name, Name: alias })));
}

/** A function's environment values may be secrets: shown as "(secret)" wherever a call is shown. */
const ENV_SECRET = { secret: ["Environment.Variables.*"] };
const client = async (aws: AwsClients) => ({ sdk: await import("@aws-sdk/client-lambda"), lambda: await aws.lambda() });

/** Lambda's writes as records with their senders (src/aws/call.ts), for the executor (src/aws/execute.ts). */
export const lambdaCalls = {
  /**
   * CreateFunction. "exists" when a function of that name is there already, e.g. made by a concurrent
   * run between our GetFunction and this call: ResourceConflictException, "The resource already
   * exists, or another operation is in progress"
   * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#API_CreateFunction_Errors).
   * Only the "already exists" kind is read that way; anything else (a role not yet assumable, say) goes up.
   */
  createFunction: (input: CreateFunctionCommandInput): AwsCall<FunctionConfiguration | "exists"> => awsCall("Lambda", "CreateFunction", input, async (aws) => {
    const { sdk, lambda } = await client(aws);
    try {
      return await lambda.send(new sdk.CreateFunctionCommand(input));
    } catch (e) {
      if (errName(e) === "ResourceConflictException" && /already exist/i.test(String((e as { message?: string })?.message ?? e))) return "exists";
      throw e;
    }
  }, ENV_SECRET),
  /** UpdateFunctionCode, guarded by the RevisionId in `input`. */
  updateFunctionCode: (input: UpdateFunctionCodeCommandInput): AwsCall<FunctionConfiguration> => awsCall("Lambda", "UpdateFunctionCode", input, async (aws) => {
    const { sdk, lambda } = await client(aws);
    // A RevisionId that moved on is another deploy's change: reported, not overwritten.
    return lambda.send(new sdk.UpdateFunctionCodeCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
  }),
  /** UpdateFunctionConfiguration, guarded by the RevisionId in `input`. */
  updateFunctionConfiguration: (input: UpdateFunctionConfigurationCommandInput): AwsCall<FunctionConfiguration> =>
    awsCall("Lambda", "UpdateFunctionConfiguration", input, async (aws) => {
      const { sdk, lambda } = await client(aws);
      return lambda.send(new sdk.UpdateFunctionConfigurationCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
    }, ENV_SECRET),
  /**
   * Deletes the function with its versions, aliases, URLs and permissions. False when it was already
   * gone: ResourceNotFoundException (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html#API_DeleteFunction_Errors).
   */
  deleteFunction: (name: string): AwsCall<boolean> => awsCall("Lambda", "DeleteFunction", { FunctionName: name }, async (aws) => {
    const { sdk, lambda } = await client(aws);
    return (await orUndefined(lambda.send(new sdk.DeleteFunctionCommand({ FunctionName: name })))) !== undefined;
  }),
  /** PublishVersion of $LATEST, guarded by the CodeSha256 and RevisionId in `input`. */
  publishVersion: (input: PublishVersionCommandInput): AwsCall<FunctionConfiguration> => awsCall("Lambda", "PublishVersion", input, async (aws) => {
    const { sdk, lambda } = await client(aws);
    return lambda.send(new sdk.PublishVersionCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
  }),
  /**
   * CreateAlias. Its ResourceConflictException means "exists" or "another operation in progress", which
   * only a read tells apart: the caller decides (src/targets/lambda/conflict.ts).
   */
  createAlias: (input: CreateAliasCommandInput): AwsCall<AliasConfiguration> => awsCall("Lambda", "CreateAlias", input, async (aws) => {
    const { sdk, lambda } = await client(aws);
    return lambda.send(new sdk.CreateAliasCommand(input));
  }),
  /** UpdateAlias, guarded by the alias's RevisionId in `input`. */
  updateAlias: (input: UpdateAliasCommandInput): AwsCall<AliasConfiguration> => awsCall("Lambda", "UpdateAlias", input, async (aws) => {
    const { sdk, lambda } = await client(aws);
    return lambda.send(new sdk.UpdateAliasCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
  }),
};
