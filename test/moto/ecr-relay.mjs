// The ECR stand-in's front door: TLS on <account>.dkr.ecr.<region>.amazonaws.com:443, relaying
// every request byte for byte to the real CNCF registry behind it (which does the htpasswd auth
// with moto's token). One thing more: a manifest PUT is first registered in moto's ECR API with
// PutImage (the exact manifest bytes, its media type, tag and digest), so ECR's API and its
// registry agree as they do on AWS. If moto refuses (no such repository, an immutable tag), the
// push is refused with ECR's registry error, and the registry never sees it.
// Usage: node ecr-relay.mjs  (settings from the environment, see below)
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { ECRClient, PutImageCommand } from "@aws-sdk/client-ecr";

const env = process.env;
const upstream = new URL(env.RELAY_UPSTREAM ?? "http://127.0.0.1:5001");
const listen = { host: env.RELAY_HOST ?? "127.0.0.1", port: Number(env.RELAY_PORT ?? 443) };
const ecr = new ECRClient({
  region: env.AWS_REGION ?? "us-east-1",
  endpoint: env.AWS_ENDPOINT_URL,
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
});

const MANIFEST_PUT = /^\/v2\/(.+)\/manifests\/([^/]+)$/;

/** ECR's registry errors, as the Docker registry API v2 error document. */
function registryError(res, status, code, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ errors: [{ code, message }] }));
}

async function register(name, reference, body, mediaType) {
  const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
  await ecr.send(new PutImageCommand({
    repositoryName: name,
    imageManifest: body.toString("utf8"),
    imageManifestMediaType: mediaType,
    imageDigest: digest,
    ...(reference.startsWith("sha256:") ? {} : { imageTag: reference }),
  }));
}

function forward(req, res, body) {
  const headers = { ...req.headers, "x-forwarded-proto": "https" };
  const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on("error", (e) => registryError(res, 502, "UNAVAILABLE", `relay: ${e.message}`));
  if (body) out.end(body);
  else req.pipe(out);
}

const server = https.createServer(
  { key: readFileSync(env.RELAY_KEY), cert: readFileSync(env.RELAY_CERT) },
  (req, res) => {
    const m = req.method === "PUT" && MANIFEST_PUT.exec(req.url.split("?")[0]);
    if (!m) return forward(req, res);
    // Only an authenticated push reaches ECR's API; the registry answers the 401 challenge itself.
    if (!req.headers.authorization) return forward(req, res);
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      try {
        await register(m[1], m[2], body, String(req.headers["content-type"] ?? ""));
      } catch (e) {
        // The same manifest under the same tag again: PutImage says ImageAlreadyExistsException, while
        // ECR's registry accepts such a push as a no-op (API_PutImage.html, Errors).
        if (e.name === "ImageAlreadyExistsException") return forward(req, res, body);
        console.error(`ecr-relay: PutImage ${m[1]}:${m[2]} failed: ${e.name}: ${e.message}`);
        // The registry-side words ECR uses for these refusals (docker prints them verbatim).
        if (e.name === "RepositoryNotFoundException") return registryError(res, 404, "NAME_UNKNOWN", e.message);
        if (e.name === "ImageTagAlreadyExistsException") return registryError(res, 400, "TAG_INVALID", e.message);
        return registryError(res, 500, "UNKNOWN", `relay: PutImage failed: ${e.name}: ${e.message}`);
      }
      forward(req, res, body);
    });
  },
);
server.listen(listen.port, listen.host, () => console.log(`ecr-relay: https://${listen.host}:${listen.port} -> ${upstream.href}`));
