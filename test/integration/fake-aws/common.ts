// What the AWS fakes of the in-process e2e test share: ids, error construction, and the one source of
// truth for images, the real registry on loopback. ECR's fake reads what was really pushed there, so an
// image's digest and media type are the registry's, never what logship claims they are.
import { randomUUID } from "node:crypto";
import { REGISTRY } from "../helpers.js";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const meta = { $metadata: {} };

/** Lambda's RevisionId is a UUID that changes on every write to the resource (API_FunctionConfiguration.html#lambda-Type-FunctionConfiguration-RevisionId). */
export const newRevision = () => randomUUID();

/** Lambda writes timestamps as ISO 8601 with a +0000 offset ("2026-12-01T21:00:00.000+0000"), API_FunctionConfiguration.html#lambda-Type-FunctionConfiguration-LastModified. */
export const lambdaTime = (d = new Date()) => d.toISOString().replace("Z", "+0000");

/** A modelled AWS error: the SDK's exception class with AWS's message text. */
export function awsError<E>(Exc: new (o: any) => E, message: string, extra: Record<string, unknown> = {}): E {
  return new Exc({ message, ...extra, ...meta });
}

export const SINGLE_MANIFESTS = ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"];
const INDEXES = ["application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json"];

export interface StoredManifest {
  digest: string;
  mediaType: string;
  body: string;
  /** Sum of the layer sizes (ECR's imageSizeInBytes; 0 for an index). */
  size: number;
}

/** What the loopback registry holds for repo:ref (a tag or a digest), or undefined (404). */
export async function registryManifest(repo: string, ref: string): Promise<StoredManifest | undefined> {
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${ref}`, {
    headers: { Accept: [...SINGLE_MANIFESTS, ...INDEXES].join(", ") },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`registry answered ${res.status} for ${repo}:${ref}: ${body}`);
  const doc = JSON.parse(body);
  const size = ((doc.layers ?? []) as { size?: number }[]).reduce((n, l) => n + (l.size ?? 0), 0);
  return { digest: res.headers.get("docker-content-digest")!, mediaType: res.headers.get("content-type")!, body, size };
}

/** The tags in the registry's repository that point at `digest` (ECR lists them on the image). */
export async function tagsOf(repo: string, digest: string): Promise<string[]> {
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/tags/list`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) return [];
  const tags = ((await res.json()) as { tags?: string[] | null }).tags ?? [];
  const out: string[] = [];
  for (const t of tags) if ((await registryManifest(repo, t))?.digest === digest) out.push(t);
  return out;
}
