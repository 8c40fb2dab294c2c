// The logship.yaml `init` writes: from templates/logship.yaml, with one commented block per target.
import type { Detection } from "./sources.js";
import type { TargetName } from "../config/schema.js";
import { render, renderTemplate } from "./render.js";

/** Any directory or package name → the schema's app name (1–63 of a-z 0-9 -, alphanumeric at both ends). */
export function sanitiseAppName(raw: string | undefined): string {
  const base = (raw ?? "").replace(/^@[^/]+\//, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return base || "app";
}

/** App Runner wants 4–40 characters. */
export function apprunnerServiceName(app: string): string {
  const name = app.length < 4 ? `${app}-web` : app;
  return name.slice(0, 40);
}

export interface ConfigInputs {
  app: string;
  detection: Detection;
  /** Version read from package.json / pyproject.toml (then `version:` stays out of the file). */
  version?: string;
  targets: TargetName[];
  /** Dockerfile.lambda was (or will be) written for the lambda target. */
  lambdaDockerfile: boolean;
}

const BLOCKS: Record<TargetName, string> = {
  local: `  local:  # \`logship deploy local\`: docker run on this machine
    port: {{host_port}}  # http://127.0.0.1:{{host_port}}
    containerPort: {{port}}
`,
  ecs: `  # Amazon ECS Express Mode: the AWS container target for NEW AWS accounts. App Runner stopped
  # taking new customers on 30 April 2026; accounts that already use it can keep the apprunner target.
  ecs:
    service: {{app}}
    port: {{port}}
    healthCheckPath: {{smoke_path}}  # ECS Express's default is /ping: this path must answer 200
`,
  apprunner: `  # AWS App Runner: for accounts that already used it before 30 April 2026 (closed to new
  # customers since). New accounts: use the ecs target (ECS Express Mode) instead.
  apprunner:
    service: {{apprunner_service}}
    port: {{port}}
`,
  lambda: `  # AWS Lambda behind a function URL. A plain web server runs there through the Lambda Web
  # Adapter; the Lambda image is built from its own Dockerfile into its own repository.
  lambda:
    function: {{app}}
{{lambda_image}}    url:
      public: false  # true = auth NONE: anyone on the internet can call it
`,
};

export async function configText(inp: ConfigInputs): Promise<string> {
  const d = inp.detection;
  const unknown = d.language === "unknown";
  const smokeComment = d.healthSource
    ? `${d.healthSource}; every deploy waits for a 2xx here`
    : unknown ? "TODO: a path that answers 2xx once the app is up" : "every deploy waits for a 2xx here: point it at a cheap route";
  const vars: Record<string, string> = {
    app: inp.app,
    port: String(d.port),
    host_port: String(d.port >= 1024 ? d.port : 8000),
    smoke_path: d.healthPath,
    apprunner_service: apprunnerServiceName(inp.app),
    dockerfile: d.dockerfile?.path ?? "Dockerfile",
    lambda_image: inp.lambdaDockerfile
      ? `    image:\n      dockerfile: Dockerfile.lambda\n    repository: ${inp.app}-lambda\n`
      : "    # image: { dockerfile: Dockerfile.lambda }  # TODO: a Dockerfile with the Lambda Web Adapter\n",
  };
  const targets = inp.targets.map((t) => render(BLOCKS[t], vars)).join("").trimEnd();
  const portNote = d.portSource ? `the port comes from ${d.portSource}` : `the port (${d.port}) is a default: check it`;
  return renderTemplate("logship.yaml", {
    ...vars,
    detected: unknown ? "nothing." : `${label(d)}; ${portNote}.`,
    todo: unknown
      ? "# TODO: logship could not tell what this app is (no pyproject.toml, requirements.txt or package.json).\n" +
        `# Fill in: ${d.dockerfile ? "" : "a Dockerfile (image.dockerfile), "}the port the server listens on (containerPort / port),\n` +
        "# smoke.path, and a version (or a tag like \"{git.short}\").\n"
      : "",
    version: inp.version
      ? `# version: ${inp.version}  # read from ${d.language === "node" ? "package.json" : "pyproject.toml"}; set it here to override`
      : "version: 0.1.0  # the {version} in image.tag: bump it per release, or tag with {git.short} instead",
    targets,
    smoke_comment: smokeComment,
  });
}

export function label(d: Detection): string {
  if (d.language === "unknown") return "nothing";
  const fw = { fastapi: "FastAPI", flask: "Flask", express: "Express", fastify: "Fastify", plain: "plain", unknown: "" }[d.framework];
  return `${d.language === "python" ? "Python" : "Node"} ${fw} app${d.entry ? ` (${d.entry})` : ""}`;
}
