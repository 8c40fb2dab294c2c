// AWS IAM: the role operations logship uses (aws-apis.md §4.2, §5.1, §6.1), each once, paging and
// not-found done inside. The SDK is imported inside each function, so `logship --help` never loads it.
import type { CreateRoleCommandInput, Role } from "@aws-sdk/client-iam";
import { errName } from "../util/err-name.js";
import type { AwsClients } from "./clients.js";
import { awsCall, type AwsCall } from "./call.js";

export type { Role } from "@aws-sdk/client-iam";

/** IAM answers a missing role or role policy with NoSuchEntityException (API_GetRole.html, API_GetRolePolicy.html). */
const NOT_FOUND = "NoSuchEntityException";

/** The role, or undefined when there is none by that name (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html). */
export async function getRole(aws: AwsClients, RoleName: string): Promise<Role | undefined> {
  const { GetRoleCommand } = await import("@aws-sdk/client-iam");
  try {
    return (await (await aws.iam()).send(new GetRoleCommand({ RoleName }))).Role;
  } catch (e) {
    if (errName(e) === NOT_FOUND) return undefined;
    throw e;
  }
}

/**
 * Every page of a List* call that pages with Marker / IsTruncated, as ListAttachedRolePolicies and
 * ListRolePolicies do (at most 100 items a page by default, "IsTruncated: true" while more follow:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html).
 */
async function allPages<T>(page: (Marker?: string) => Promise<{ items: T[]; IsTruncated?: boolean; Marker?: string }>): Promise<T[]> {
  const out: T[] = [];
  let Marker: string | undefined;
  do {
    const p = await page(Marker);
    out.push(...p.items);
    Marker = p.IsTruncated ? p.Marker : undefined;
  } while (Marker);
  return out;
}

/** The ARNs of the managed policies attached to the role, every page. */
export async function attachedPolicies(aws: AwsClients, RoleName: string): Promise<string[]> {
  const { ListAttachedRolePoliciesCommand } = await import("@aws-sdk/client-iam");
  const iam = await aws.iam();
  return allPages(async (Marker) => {
    const out = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName, Marker }));
    return { ...out, items: (out.AttachedPolicies ?? []).map((p) => p.PolicyArn!).filter(Boolean) };
  });
}

/** The names of the role's inline policies, every page. */
export async function inlinePolicies(aws: AwsClients, RoleName: string): Promise<string[]> {
  const { ListRolePoliciesCommand } = await import("@aws-sdk/client-iam");
  const iam = await aws.iam();
  return allPages(async (Marker) => {
    const out = await iam.send(new ListRolePoliciesCommand({ RoleName, Marker }));
    return { ...out, items: out.PolicyNames ?? [] };
  });
}

/**
 * The inline policy's document as JSON text, or undefined when the role has no policy by that name.
 * IAM returns the document URL-encoded (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html).
 */
export async function getRolePolicy(aws: AwsClients, RoleName: string, PolicyName: string): Promise<string | undefined> {
  const { GetRolePolicyCommand } = await import("@aws-sdk/client-iam");
  try {
    const out = await (await aws.iam()).send(new GetRolePolicyCommand({ RoleName, PolicyName }));
    return out?.PolicyDocument ? decodeURIComponent(out.PolicyDocument) : undefined;
  } catch (e) {
    if (errName(e) === NOT_FOUND) return undefined;
    throw e;
  }
}

/** The role writes a deploy makes, as records with their senders (src/aws/call.ts). */
export const iamCalls = {
  /**
   * CreateRole. "exists" when the name is taken, e.g. a concurrent run created it first:
   * EntityAlreadyExistsException (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
   */
  createRole: (input: CreateRoleCommandInput): AwsCall<{ role?: Role } | "exists"> => awsCall("IAM", "CreateRole", input, async (aws) => {
    const { CreateRoleCommand } = await import("@aws-sdk/client-iam");
    try {
      return { role: (await (await aws.iam()).send(new CreateRoleCommand(input))).Role };
    } catch (e) {
      if (errName(e) === "EntityAlreadyExistsException") return "exists";
      throw e;
    }
  }),
  /** PutRolePolicy: creates or replaces the role's inline policy of that name. */
  putRolePolicy: (RoleName: string, PolicyName: string, PolicyDocument: string): AwsCall<void> =>
    awsCall("IAM", "PutRolePolicy", { RoleName, PolicyName, PolicyDocument }, async (aws) => {
      const { PutRolePolicyCommand } = await import("@aws-sdk/client-iam");
      await (await aws.iam()).send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument }));
    }),
  detachRolePolicy: (RoleName: string, PolicyArn: string): AwsCall<void> => awsCall("IAM", "DetachRolePolicy", { RoleName, PolicyArn }, async (aws) => {
    const { DetachRolePolicyCommand } = await import("@aws-sdk/client-iam");
    await (await aws.iam()).send(new DetachRolePolicyCommand({ RoleName, PolicyArn }));
  }),
  deleteRolePolicy: (RoleName: string, PolicyName: string): AwsCall<void> => awsCall("IAM", "DeleteRolePolicy", { RoleName, PolicyName }, async (aws) => {
    const { DeleteRolePolicyCommand } = await import("@aws-sdk/client-iam");
    await (await aws.iam()).send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
  }),
  deleteRole: (RoleName: string): AwsCall<void> => awsCall("IAM", "DeleteRole", { RoleName }, async (aws) => {
    const { DeleteRoleCommand } = await import("@aws-sdk/client-iam");
    await (await aws.iam()).send(new DeleteRoleCommand({ RoleName }));
  }),
  attachRolePolicy: (RoleName: string, PolicyArn: string): AwsCall<void> => awsCall("IAM", "AttachRolePolicy", { RoleName, PolicyArn }, async (aws) => {
    const { AttachRolePolicyCommand } = await import("@aws-sdk/client-iam");
    await (await aws.iam()).send(new AttachRolePolicyCommand({ RoleName, PolicyArn }));
  }),
};
