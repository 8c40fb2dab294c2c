// Lambda function URLs and resource policies, per qualifier (the URL and its permissions live on the
// alias). AddPermission stores the statement the way GetPolicy then shows it: FunctionUrlAuthType and
// InvokedViaFunctionUrl become conditions, the qualified ARN the Resource
// (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html, API_AddPermission.html, API_GetPolicy.html).
import * as sdk from "@aws-sdk/client-lambda";
import type { AwsStub } from "aws-sdk-client-mock";
import { awsError, lambdaTime, newRevision } from "./common.js";

export const FUNCTION_URL = "https://e2etest456.lambda-url.us-east-1.on.aws/";

export interface UrlState {
  cfg: sdk.FunctionConfiguration;
  aliases: Map<string, sdk.AliasConfiguration>;
  /** By qualifier ("" for the unqualified function). */
  urls: Map<string, sdk.GetFunctionUrlConfigCommandOutput>;
  policies: Map<string, { statements: Record<string, unknown>[]; revision: string }>;
}

const noResource = () => awsError(sdk.ResourceNotFoundException, "The resource you requested does not exist.", { Type: "User" });

export function fakeLambdaUrls(lambda: AwsStub<any, any, any>, fnOr404: (name?: string) => UrlState, arnOf: (name: string, q?: string) => string) {
  /** A URL's qualifier must be an alias or $LATEST, never a version (API_CreateFunctionUrlConfig.html#lambda-CreateFunctionUrlConfig-request-Qualifier). */
  const target = (name: string | undefined, q: string | undefined) => {
    const fn = fnOr404(name);
    if (q && q !== "$LATEST" && !fn.aliases.has(q)) throw noResource();
    return { fn, key: q ?? "", arn: arnOf(fn.cfg.FunctionName!, q) };
  };

  lambda.on(sdk.GetFunctionUrlConfigCommand).callsFake(async (input: sdk.GetFunctionUrlConfigCommandInput) => {
    const { fn, key } = target(input.FunctionName, input.Qualifier);
    const url = fn.urls.get(key);
    if (!url) throw noResource();
    return structuredClone(url);
  });
  lambda.on(sdk.CreateFunctionUrlConfigCommand).callsFake(async (input: sdk.CreateFunctionUrlConfigCommandInput) => {
    const { fn, key, arn } = target(input.FunctionName, input.Qualifier);
    if (fn.urls.has(key)) {
      throw awsError(sdk.ResourceConflictException, `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`, { Type: "User" });
    }
    const now = lambdaTime();
    const url = {
      FunctionUrl: FUNCTION_URL, FunctionArn: arn, AuthType: input.AuthType, CreationTime: now, LastModifiedTime: now,
      InvokeMode: input.InvokeMode ?? "BUFFERED", ...(input.Cors ? { Cors: structuredClone(input.Cors) } : {}), $metadata: {},
    };
    fn.urls.set(key, url);
    const { LastModifiedTime: _, ...created } = url; // CreateFunctionUrlConfig answers without LastModifiedTime
    return created;
  });
  lambda.on(sdk.UpdateFunctionUrlConfigCommand).callsFake(async (input: sdk.UpdateFunctionUrlConfigCommandInput) => {
    const { fn, key } = target(input.FunctionName, input.Qualifier);
    const url = fn.urls.get(key);
    if (!url) throw noResource();
    Object.assign(url, {
      ...(input.AuthType ? { AuthType: input.AuthType } : {}), ...(input.InvokeMode ? { InvokeMode: input.InvokeMode } : {}),
      ...(input.Cors ? { Cors: Object.keys(input.Cors).length ? structuredClone(input.Cors) : undefined } : {}), LastModifiedTime: lambdaTime(),
    });
    return structuredClone(url);
  });

  lambda.on(sdk.GetPolicyCommand).callsFake(async (input: sdk.GetPolicyCommandInput) => {
    const { fn, key } = target(input.FunctionName, input.Qualifier);
    const p = fn.policies.get(key);
    if (!p?.statements.length) throw noResource();
    return { Policy: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: p.statements }), RevisionId: p.revision };
  });
  lambda.on(sdk.AddPermissionCommand).callsFake(async (input: sdk.AddPermissionCommandInput) => {
    const { fn, key, arn } = target(input.FunctionName, input.Qualifier);
    const p = fn.policies.get(key) ?? { statements: [], revision: newRevision() };
    if (input.RevisionId !== undefined && input.RevisionId !== p.revision) {
      throw awsError(sdk.PreconditionFailedException, "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id", { Type: "User" });
    }
    if (p.statements.some((s) => s.Sid === input.StatementId)) {
      throw awsError(sdk.ResourceConflictException, `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`, { Type: "User" });
    }
    const condition: Record<string, Record<string, string>> = {};
    if (input.FunctionUrlAuthType) condition.StringEquals = { "lambda:FunctionUrlAuthType": input.FunctionUrlAuthType };
    if (input.InvokedViaFunctionUrl !== undefined) condition.Bool = { "lambda:InvokedViaFunctionUrl": String(input.InvokedViaFunctionUrl) };
    if (input.SourceArn) condition.ArnLike = { "AWS:SourceArn": input.SourceArn };
    const principal = input.Principal === "*" ? "*" : /^\d{12}$/.test(input.Principal!) ? { AWS: `arn:aws:iam::${input.Principal}:root` } : { Service: input.Principal };
    const statement = {
      Sid: input.StatementId, Effect: "Allow", Principal: principal, Action: input.Action, Resource: arn,
      ...(Object.keys(condition).length ? { Condition: condition } : {}),
    };
    p.statements.push(statement);
    p.revision = newRevision();
    fn.policies.set(key, p);
    return { Statement: JSON.stringify(statement) };
  });
  lambda.on(sdk.RemovePermissionCommand).callsFake(async (input: sdk.RemovePermissionCommandInput) => {
    const { fn, key } = target(input.FunctionName, input.Qualifier);
    const p = fn.policies.get(key);
    const i = p?.statements.findIndex((s) => s.Sid === input.StatementId) ?? -1;
    if (!p || i < 0) throw awsError(sdk.ResourceNotFoundException, `Statement ${input.StatementId} is not found in resource policy.`, { Type: "User" });
    p.statements.splice(i, 1);
    p.revision = newRevision();
    return {};
  });
}
