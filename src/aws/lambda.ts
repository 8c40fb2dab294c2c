// AWS Lambda, the function, its versions and its alias: the operations logship uses (aws-apis.md §4),
// each once. The function URL and its resource policy are src/aws/lambda-url.ts. The SDK is imported
// inside each function, so `logship --help` never loads it.
import type {
  AliasConfiguration, CreateAliasCommandInput, CreateFunctionCommandInput, FunctionConfiguration, GetFunctionCommandOutput,
  PublishVersionCommandInput, UpdateAliasCommandInput, UpdateFunctionCodeCommandInput, UpdateFunctionConfigurationCommandInput,
} from "@aws-sdk/client-lambda";
import { DeployError } from "../errors.js";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";

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

/**
 * CreateFunction. "exists" when a function of that name is there already, e.g. made by a concurrent
 * run between our GetFunction and this call: ResourceConflictException, "The resource already
 * exists, or another operation is in progress"
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#API_CreateFunction_Errors).
 * Only the "already exists" kind is read that way; anything else (a role not yet assumable, say) goes up.
 */
export async function createFunction(aws: AwsClients, input: CreateFunctionCommandInput): Promise<FunctionConfiguration | "exists"> {
  const { CreateFunctionCommand } = await import("@aws-sdk/client-lambda");
  try {
    return await (await aws.lambda()).send(new CreateFunctionCommand(input));
  } catch (e) {
    if (errName(e) === "ResourceConflictException" && /already exist/i.test(String((e as { message?: string })?.message ?? e))) return "exists";
    throw e;
  }
}

/** UpdateFunctionCode, guarded by the RevisionId in `input`. */
export async function updateFunctionCode(aws: AwsClients, input: UpdateFunctionCodeCommandInput): Promise<FunctionConfiguration> {
  const { UpdateFunctionCodeCommand } = await import("@aws-sdk/client-lambda");
  return (await aws.lambda()).send(new UpdateFunctionCodeCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
}

/** UpdateFunctionConfiguration, guarded by the RevisionId in `input`. */
export async function updateFunctionConfiguration(aws: AwsClients, input: UpdateFunctionConfigurationCommandInput): Promise<FunctionConfiguration> {
  const { UpdateFunctionConfigurationCommand } = await import("@aws-sdk/client-lambda");
  return (await aws.lambda()).send(new UpdateFunctionConfigurationCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
}

/**
 * Deletes the function with its versions, aliases, URLs and permissions. False when it was already
 * gone: ResourceNotFoundException (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html#API_DeleteFunction_Errors).
 */
export async function deleteFunction(aws: AwsClients, name: string): Promise<boolean> {
  const { DeleteFunctionCommand } = await import("@aws-sdk/client-lambda");
  return (await orUndefined((await aws.lambda()).send(new DeleteFunctionCommand({ FunctionName: name })))) !== undefined;
}

/** PublishVersion of $LATEST, guarded by the CodeSha256 and RevisionId in `input`. */
export async function publishVersion(aws: AwsClients, input: PublishVersionCommandInput): Promise<FunctionConfiguration> {
  const { PublishVersionCommand } = await import("@aws-sdk/client-lambda");
  return (await aws.lambda()).send(new PublishVersionCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
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

/**
 * CreateAlias. Its ResourceConflictException means "exists" or "another operation in progress", which
 * only a read tells apart: the caller decides (src/targets/lambda/conflict.ts).
 */
export async function createAlias(aws: AwsClients, input: CreateAliasCommandInput): Promise<AliasConfiguration> {
  const { CreateAliasCommand } = await import("@aws-sdk/client-lambda");
  return (await aws.lambda()).send(new CreateAliasCommand(input));
}

/** UpdateAlias, guarded by the alias's RevisionId in `input`. */
export async function updateAlias(aws: AwsClients, input: UpdateAliasCommandInput): Promise<AliasConfiguration> {
  const { UpdateAliasCommand } = await import("@aws-sdk/client-lambda");
  return (await aws.lambda()).send(new UpdateAliasCommand(input)).catch((e) => explainRevisionMoved(e, input.FunctionName));
}
