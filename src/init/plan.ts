// Which files `logship init` writes, and their content. Pure apart from reading templates.
import { parse as parseYaml } from "yaml";
import { validateConfig } from "../config/load.js";
import type { TargetName } from "../config/schema.js";
import { configText, label } from "./config.js";
import type { Detection } from "./sources.js";
import { readTemplate, render, renderTemplate } from "./render.js";

export interface PlannedFile {
  path: string;
  /** undefined: nothing to write (see note). */
  content?: string;
  note?: string;
  /** The project's own file, used as it is. */
  keep?: boolean;
}

export interface PlanInputs {
  app: string;
  detection: Detection;
  version?: string;
  targets: TargetName[];
  ci?: "github";
}

/**
 * The project's own Dockerfile wins over a generated one (docker/Dockerfile always; ./Dockerfile unless
 * --force), and then its EXPOSE is the port: the image is what runs, whatever the source says.
 */
export function withExistingDockerfile(d: Detection, force: boolean): Detection {
  const own = d.dockerfile && (d.dockerfile.path !== "Dockerfile" || !force) ? d.dockerfile : undefined;
  if (!own) return { ...d, dockerfile: undefined };
  return own.port ? { ...d, port: own.port, portSource: own.portSource } : d;
}

export const LAMBDA_TEMPLATE = "Dockerfile.lambda-web-adapter";

export async function dockerfileText(d: Detection): Promise<string | undefined> {
  if (d.language === "unknown") return undefined;
  return renderTemplate(d.language === "python" ? "Dockerfile.python" : "Dockerfile.node", {
    framework: label(d).replace(/ app.*$/, ""),
    port: String(d.port),
    manifests: d.manifests.join(" "),
    install: d.install,
    cmd: d.cmd,
  });
}

// The template pins public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 (aws-apis.md §4.1 had that tag UNCONFIRMED). Settled:
// at tag v0.9.1 of awslabs/aws-lambda-web-adapter, Cargo.toml says version "0.9.1" and .github/workflows/pipeline.yaml
// (job publish-to-public-ecr, on release) pushes aws-lambda-adapter:${CARGO_PKG_VERSION} (a two-arch manifest list)
// plus -x86_64 / -aarch64 tags; the v0.9.1 README still shows 0.9.0, which is why the tag looked unproven.
const ADAPTER_COPY = /^COPY\s+--from=\S*aws-lambda-adapter\S*\s+.*$/im;
const LAMBDA_RESERVED_PORTS: Record<number, string> = { 3000: "Lambda Insights", 9001: "the Runtime API" };

/**
 * Dockerfile.lambda. A FastAPI app with requirements.txt gets the adapter template as it is (entry filled in);
 * any other detected app gets its own generated Dockerfile plus the template's adapter line, so the
 * adapter version has one home (the template) and the Dockerfile matches the app's stack.
 */
async function lambdaDockerfile(d: Detection, app: string, generated: string | undefined): Promise<PlannedFile> {
  const template = await readTemplate(LAMBDA_TEMPLATE);
  if (template === undefined) {
    return { path: "Dockerfile.lambda", note: `templates/${LAMBDA_TEMPLATE} is not in this logship version; add the Lambda Web Adapter to a copy of your Dockerfile by hand` };
  }
  const reserved = LAMBDA_RESERVED_PORTS[d.port];
  const adapter = ADAPTER_COPY.exec(template)?.[0];
  const fastapi = d.framework === "fastapi" && d.manifests.includes("requirements.txt");
  if (!fastapi && generated && adapter) {
    const lines = [
      "# Lambda variant (`logship init`): the Dockerfile above plus the AWS Lambda Web Adapter, which turns each",
      "# invocation into an HTTP request to the server on 127.0.0.1:$PORT. See templates/" + LAMBDA_TEMPLATE + ".",
      adapter,
      `ENV AWS_LWA_READINESS_CHECK_PATH=${d.healthPath}`,
      ...(reserved ? [`# Port ${d.port} is taken inside Lambda (${reserved}): PORT is 8080 below; the app must listen on $PORT.`] : []),
    ];
    let text = generated.replace(/^(FROM .*)$/m, `$1\n\n${lines.join("\n")}`);
    if (reserved) text = text.replace(new RegExp(`\\bPORT=${d.port}\\b`), "PORT=8080").replace(new RegExp(`^EXPOSE ${d.port}$`, "m"), "EXPOSE 8080");
    const note = reserved ? `port ${d.port} is taken inside Lambda (${reserved}): Dockerfile.lambda sets PORT=8080, so the app must listen on $PORT` : undefined;
    return { path: "Dockerfile.lambda", content: text, note };
  }
  let text = render(template, { app, port: String(d.port), entry: d.entry ?? "", cmd: d.cmd }, false);
  if (d.framework === "fastapi" && d.entry) text = text.replace(/\bmain:app\b/g, d.entry);
  const note = fastapi ? undefined : "written from the template as it is: adapt its CMD and install lines to your app";
  return { path: "Dockerfile.lambda", content: text, note };
}

/** Exclude database files, unless the project has some: the app may read them, so say so instead of breaking it. */
function dataLines(dataFiles: string[]): string {
  const lines = "*.db\n*.sqlite\n*.sqlite3";
  if (!dataFiles.length) return lines;
  return `# ${dataFiles.slice(0, 3).join(", ")}${dataFiles.length > 3 ? ", …" : ""} found: kept in the image, as the app may read it.\n` +
    "# Read-only reference data is fine; anything the app writes there is lost. Uncomment to exclude:\n" +
    lines.replace(/^/gm, "# ");
}

function workflowCommand(targets: TargetName[]): string {
  const aws = targets.filter((t) => t !== "local");
  return aws.length ? `npx --yes logship ship ${aws.join(" ")} --no-progress` : "npx --yes logship push --no-progress";
}

export async function planFiles(inp: PlanInputs): Promise<PlannedFile[]> {
  const d = inp.detection;
  const files: PlannedFile[] = [];
  const dockerfile = await dockerfileText(d);
  const lambda = inp.targets.includes("lambda") ? await lambdaDockerfile(d, inp.app, dockerfile) : undefined;
  const yamlText = await configText({ ...inp, lambdaDockerfile: !!lambda?.content });
  // A config `init` writes must load: a failure here is a bug in init, not the user's doing.
  validateConfig(parseYaml(yamlText), "logship.yaml (generated)");
  files.push({ path: "logship.yaml", content: yamlText });
  if (d.dockerfile && d.dockerfile.path !== "Dockerfile") {
    files.push({ path: d.dockerfile.path, keep: true, note: "exists; logship.yaml uses it" });
  } else {
    files.push(dockerfile
      ? { path: "Dockerfile", content: dockerfile }
      : d.dockerfile ? { path: "Dockerfile", keep: true, note: "exists; logship.yaml uses it" }
      : { path: "Dockerfile", note: "no app detected: write one for your stack" });
  }
  files.push({ path: ".dockerignore", content: await renderTemplate("dockerignore", { data: dataLines(d.dataFiles), extra: d.ignore.join("\n") }) });
  if (lambda) files.push(lambda);
  if (inp.ci === "github") {
    files.push({
      path: ".github/workflows/logship.yml",
      content: await renderTemplate("github-workflow.yml", { app: inp.app, command: workflowCommand(inp.targets) }),
    });
  }
  return files;
}
