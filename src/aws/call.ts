// Calls as data (issue 11 point 2): a write to AWS is a record of what would be sent, built by the
// service's module (src/aws/<service>.ts: lambdaCalls, ecrCalls, iamCalls, …) with the function that sends
// it. Steps hand every write to the one executor (src/aws/execute.ts), which sends it in a real run
// and only keeps it in a dry run; the dry-run printer and --json read the records it kept.
import type { AwsClients } from "./clients.js";

export interface CallRecord {
  /** "Lambda", "IAM": the service as --debug and the AWS docs name it. */
  service: string;
  /** "UpdateFunctionConfiguration". */
  operation: string;
  input: unknown;
  /** Paths into `input` whose values are shown as "(secret)": "Environment.Variables.*" hides every value of that map. */
  secret?: string[];
  /** What the write changes, field by field, without values that may be secret: "memory 512 → 1024". */
  change?: string[];
}

/** A write and the function that sends it. */
export interface AwsCall<T> extends CallRecord {
  send(aws: AwsClients): Promise<T>;
}

export function awsCall<T>(service: string, operation: string, input: unknown, send: (aws: AwsClients) => Promise<T>, o: { secret?: string[] } = {}): AwsCall<T> {
  return { service, operation, input, ...(o.secret ? { secret: o.secret } : {}), send };
}

/** The same call, saying what it changes (the caller knows the state it read). */
export const changing = <T>(call: AwsCall<T>, change: string[]): AwsCall<T> => (change.length ? { ...call, change } : call);
