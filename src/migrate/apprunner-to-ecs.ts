// `logship migrate apprunner-to-ecs`: App Runner takes no new customers since 30 April 2026 and AWS
// points to ECS Express Mode (DESIGN.md). This turns an App Runner service description into a
// targets.ecs block and writes it into logship.yaml, keeping the user's comments. Pure functions:
// the command reads the service (DescribeService), shows the diff, asks, and writes.
import type { Service } from "../aws/apprunner.js";
import { isMap, parseDocument } from "yaml";

/** The targets.ecs block, as it goes into logship.yaml (defaults are left to the schema). */
export interface EcsBlock {
  service: string;
  port: number;
  cpu: number;
  memory: number;
  healthCheckPath: string;
  env?: Record<string, string>;
  secrets?: Record<string, string>;
  taskRoleArn?: string;
}

/** "1024" / "1 vCPU" / "0.25 vCPU" → 1024 / 1024 / 256; "2048" / "2 GB" / "0.5 GB" → 2048 / 2048 / 512. */
export function appRunnerUnits(value: string | undefined): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  const m = /^(\d+(?:\.\d+)?)\s*(vCPU|GB)$/i.exec(v);
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

const nonEmpty = (r: Record<string, string> | undefined) => (r && Object.keys(r).length ? { ...r } : undefined);

export function ecsBlockFromAppRunner(service: Service): EcsBlock {
  const image = service.SourceConfiguration?.ImageRepository?.ImageConfiguration;
  const instance = service.InstanceConfiguration;
  const hc = service.HealthCheckConfiguration;
  const env = nonEmpty(image?.RuntimeEnvironmentVariables);
  const secrets = nonEmpty(image?.RuntimeEnvironmentSecrets);
  return {
    service: service.ServiceName!,
    // App Runner's default port is 8080; ECS Express's would be 80, so it is always written.
    port: image?.Port ? Number(image.Port) : 8080,
    // App Runner's defaults are 1 vCPU / 2 GB; written explicitly so the ECS service matches.
    cpu: appRunnerUnits(instance?.Cpu) ?? 1024,
    memory: appRunnerUnits(instance?.Memory) ?? 2048,
    // App Runner's TCP check (its default) has no path; ECS Express checks over HTTP, with a default
    // of /ping that few apps serve. "/" is what App Runner's own HTTP check defaults to.
    healthCheckPath: hc?.Protocol === "HTTP" && hc.Path ? hc.Path : "/",
    ...(env ? { env } : {}),
    ...(secrets ? { secrets } : {}),
    // App Runner's instance role is what ECS calls the task role: the app's own AWS permissions.
    ...(instance?.InstanceRoleArn ? { taskRoleArn: instance.InstanceRoleArn } : {}),
  };
}

/** What the user should know before switching (shown with the diff). */
export function migrationNotes(service: Service): string[] {
  const notes: string[] = [];
  const hc = service.HealthCheckConfiguration;
  if (hc?.Protocol !== "HTTP") {
    notes.push("App Runner checked health over TCP; ECS Express checks HTTP GET healthCheckPath (set to \"/\"): make sure it answers 200");
  }
  if (service.SourceConfiguration?.ImageRepository?.ImageConfiguration?.StartCommand) {
    notes.push("the App Runner start command is not carried over: targets.ecs has no start command, so the image's CMD runs");
  }
  if (service.NetworkConfiguration?.EgressConfiguration?.EgressType === "VPC") {
    notes.push("App Runner used a VPC connector: set targets.ecs.network.subnets (and securityGroups) to reach the same VPC");
  }
  return notes;
}

export interface Merged {
  before: string;
  after: string;
  diff: string;
}

/**
 * Writes `block` as targets.ecs into the logship.yaml text (replacing one that is there), keeping
 * comments and layout elsewhere. Env entries equal to the top-level env are left out: they apply already.
 */
export function mergeEcsBlock(before: string, block: EcsBlock): Merged {
  const doc = parseDocument(before);
  const globalEnv = doc.getIn(["env"]);
  const shared = isMap(globalEnv) ? (globalEnv.toJSON() as Record<string, unknown>) : {};
  const env = Object.fromEntries(Object.entries(block.env ?? {}).filter(([k, v]) => !(k in shared) || String(shared[k]) !== v));
  const value: Partial<EcsBlock> = { ...block };
  if (Object.keys(env).length) value.env = env; // same place in the block as before
  else delete value.env;
  doc.setIn(["targets", "ecs"], doc.createNode(value));
  const after = doc.toString();
  return { before, after, diff: lineDiff(before, after) };
}

type Op = { op: " " | "-" | "+"; line: string };

/** A unified-style line diff (LCS), hunks with 3 lines of context; "" when nothing changed. */
export function lineDiff(a: string, b: string, labels = { before: "logship.yaml", after: "logship.yaml (new)" }): string {
  const x = a.split("\n");
  const y = b.split("\n");
  if (x[x.length - 1] === "") x.pop();
  if (y[y.length - 1] === "") y.pop();
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) { ops.push({ op: " ", line: x[i++] }); j++; }
    else if (i < x.length && (j >= y.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ op: "-", line: x[i++] });
    else ops.push({ op: "+", line: y[j++] });
  }
  if (!ops.some((o) => o.op !== " ")) return "";
  return [`--- ${labels.before}`, `+++ ${labels.after}`, ...hunks(ops, 3)].join("\n") + "\n";
}

function hunks(ops: Op[], context: number): string[] {
  const out: string[] = [];
  const changed = ops.map((o, k) => (o.op !== " " ? k : -1)).filter((k) => k >= 0);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k] - context);
    let end = changed[k];
    while (k + 1 < changed.length && changed[k + 1] - end <= 2 * context) end = changed[++k];
    k++;
    const stop = Math.min(ops.length, end + context + 1);
    const before = ops.slice(0, start);
    const aStart = before.filter((o) => o.op !== "+").length + 1;
    const bStart = before.filter((o) => o.op !== "-").length + 1;
    const body = ops.slice(start, stop);
    const aLen = body.filter((o) => o.op !== "+").length;
    const bLen = body.filter((o) => o.op !== "-").length;
    out.push(`@@ -${aLen ? aStart : aStart - 1},${aLen} +${bLen ? bStart : bStart - 1},${bLen} @@`, ...body.map((o) => `${o.op}${o.line}`));
  }
  return out;
}
