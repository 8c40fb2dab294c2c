// Does a role's trust policy let an AWS service assume it? A role logship reuses may have been made
// by hand for another service; deploying with it fails later, and less clearly (Lambda's "cannot be
// assumed by Lambda", ECS's "Cannot assume role"), after logship has written other things.
import type { Role } from "../aws/iam.js";

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | { Service?: string | string[] };
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * GetRole answers AssumeRolePolicyDocument URL-encoded, "compliant with RFC 3986"
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html); a raw JSON document is read too.
 */
function statements(role: Role): Statement[] {
  const raw = role.AssumeRolePolicyDocument;
  if (!raw) return [];
  try {
    const doc = JSON.parse(raw.trimStart().startsWith("{") ? raw : decodeURIComponent(raw)) as { Statement?: Statement | Statement[] };
    return list(doc.Statement);
  } catch {
    return [];
  }
}

const assumes = (s: Statement) => list(s.Action).some((a) => a === "sts:AssumeRole" || a === "sts:*" || a === "*");

/** Service principals the role's Allow statements for sts:AssumeRole name ("*" for anyone). */
export function trustedServices(role: Role): string[] {
  const out = new Set<string>();
  for (const s of statements(role)) {
    if (s.Effect !== "Allow" || !assumes(s)) continue;
    if (s.Principal === "*") out.add("*");
    else if (s.Principal && typeof s.Principal === "object") for (const p of list(s.Principal.Service)) out.add(p);
  }
  return [...out];
}

/** True when the role's trust policy allows `principal` (e.g. lambda.amazonaws.com) to assume it. */
export const trusts = (role: Role, principal: string) => trustedServices(role).some((p) => p === principal || p === "*");
