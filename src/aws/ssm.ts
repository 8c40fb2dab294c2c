// The few Parameter Store operations the deploy lock and the release record need
// (https://docs.aws.amazon.com/systems-manager/latest/APIReference/). Not-found is `undefined`, here.
import type { AwsClients } from "./clients.js";

export interface Parameter {
  value: string;
  version: number;
  /** When AWS last wrote it (AWS's clock, not ours). */
  modified: Date;
}

const named = (e: unknown, name: string) => (e as Error)?.name === name;

/** GetParameter; a missing parameter (ParameterNotFound) is undefined. */
export async function getParameter(aws: AwsClients, name: string): Promise<Parameter | undefined> {
  const { GetParameterCommand } = await import("@aws-sdk/client-ssm");
  try {
    const { Parameter: p } = await (await aws.ssm()).send(new GetParameterCommand({ Name: name }));
    return p?.Value === undefined ? undefined : { value: p.Value, version: p.Version ?? 0, modified: p.LastModifiedDate ?? new Date(0) };
  } catch (e) {
    if (named(e, "ParameterNotFound")) return undefined;
    throw e;
  }
}

/**
 * PutParameter with Overwrite false: the atomic create (API_PutParameter: "ParameterAlreadyExists:
 * the parameter already exists. You can't create duplicate parameters"). Its version, or undefined
 * when it already exists.
 */
export async function createParameter(aws: AwsClients, name: string, value: string, description: string): Promise<number | undefined> {
  const { PutParameterCommand } = await import("@aws-sdk/client-ssm");
  try {
    const out = await (await aws.ssm()).send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: false, Description: description }));
    return out.Version ?? 1;
  } catch (e) {
    if (named(e, "ParameterAlreadyExists")) return undefined;
    throw e;
  }
}

/**
 * PutParameter with Overwrite true: a new version. Parameter Store keeps the newest 100 versions and
 * deletes the oldest itself when it has no label (ParameterMaxVersionLimitExceeded is only for a
 * labelled oldest version); logship sets no labels.
 */
export async function overwriteParameter(aws: AwsClients, name: string, value: string): Promise<number> {
  const { PutParameterCommand } = await import("@aws-sdk/client-ssm");
  const out = await (await aws.ssm()).send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true }));
  return out.Version ?? 0;
}

/** DeleteParameter; false when it was already gone. */
export async function deleteParameter(aws: AwsClients, name: string): Promise<boolean> {
  const { DeleteParameterCommand } = await import("@aws-sdk/client-ssm");
  try {
    await (await aws.ssm()).send(new DeleteParameterCommand({ Name: name }));
    return true;
  } catch (e) {
    if (named(e, "ParameterNotFound")) return false;
    throw e;
  }
}

/** Every kept version (at most 100), newest first; none for a missing parameter. Paged (MaxResults ≤ 50). */
export async function parameterHistory(aws: AwsClients, name: string): Promise<Parameter[]> {
  const { GetParameterHistoryCommand } = await import("@aws-sdk/client-ssm");
  const client = await aws.ssm();
  const out: Parameter[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await client.send(new GetParameterHistoryCommand({ Name: name, MaxResults: 50, NextToken }));
      for (const p of page.Parameters ?? []) {
        if (p.Value !== undefined) out.push({ value: p.Value, version: p.Version ?? 0, modified: p.LastModifiedDate ?? new Date(0) });
      }
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (e) {
    if (named(e, "ParameterNotFound")) return [];
    throw e;
  }
  return out.sort((a, b) => b.version - a.version);
}
