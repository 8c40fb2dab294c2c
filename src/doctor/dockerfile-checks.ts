// doctor: lint each image's Dockerfile (layer caching, base tag, root user, .dockerignore, baked-in data).
import type { Context } from "../steps/types.js";
import type { Finding } from "./finding.js";

export async function dockerfileChecks(_ctx: Context): Promise<Finding[]> {
  return [];
}
