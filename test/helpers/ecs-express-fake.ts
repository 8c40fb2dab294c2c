// ECS Express Mode as AWS documents it, for aws-sdk-client-mock: no emulator models Express, so this
// fake is written from the sources below and never from logship's code. It keeps the service's own
// state (a revision is what AWS would store: defaults filled in, never the request handed back),
// moves deployments through their states with the (fake) clock, and answers errors by name and text.
//  - Shapes and defaults: @aws-sdk/client-ecs 3.1142.0 models (CreateExpressGatewayServiceRequest:
//    containerPort 80, healthCheckPath "/ping", cpuArchitecture X86_64, autoScalingTargetValue 60,
//    awsLogsConfiguration logStreamPrefix "ecs"; UpdateExpressGatewayServiceRequest: a field left out
//    keeps the service's value — documented for cpuArchitecture, assumed for the others).
//  - cpu 1024 / memory 2048 and min 1 / max 20 tasks by default: terraform-provider-aws#47919 (docs
//    fix) and express-service-work.html; Express adds its own security group: terraform-provider-aws#47908.
//  - The canary: 5% of traffic, 3 min, 100%, 3 min bake, clean-up (express-service-update-full.html).
//  - "Gone" and "draining" answers: terraform-provider-aws internal/service/ecs/express_gateway_service.go.
//  - Bad cpu/memory pairs: ClientException "No Fargate configuration exists for given values."
//    (AmazonECS userguide task-cpu-memory-error.html).
import type {
  CreateExpressGatewayServiceRequest, ECSExpressGatewayService, ExpressGatewayServiceConfiguration, ServiceDeployment,
  ServiceDeploymentStatus, ServiceDeploymentLifecycleStage, Tag, UpdateExpressGatewayServiceRequest,
} from "@aws-sdk/client-ecs";
import { fargateOk, TIMELINE } from "./ecs-express-facts.js";

export const ACCOUNT = "123456789012";
const REGION = "us-east-1";
export const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $metadata: {} });

/** How a deployment ends; "circuit-breaker" stops a first deployment whose tasks never start. */
export type Outcome = "success" | "canary-alarm" | "circuit-breaker";

interface Deployment {
  arn: string;
  createdAt: Date;
  target: ExpressGatewayServiceConfiguration;
  source?: ExpressGatewayServiceConfiguration;
  outcome: Outcome;
  finishedAt?: Date;
  status?: ServiceDeploymentStatus;
}

export interface FakeOptions {
  /** How DescribeExpressGatewayService says "gone" once a deleted service has drained. */
  goneAs?: "ResourceNotFoundException" | "InvalidParameterException" | "ServiceNotActiveException";
  /** A draining service answers DescribeExpressGatewayService with ServiceNotActiveException, not a description. */
  drainingAsError?: boolean;
  /** An update identical to the live revision makes no revision and no deployment (issue 9 §3). */
  identicalStartsNothing?: boolean;
}

export class ExpressFake {
  service?: ECSExpressGatewayService & { tags: Tag[] };
  deployments: Deployment[] = [];
  /** Errors the next Create/Update calls throw, in order (IAM propagation, missing PassRole…). */
  createErrors: Error[] = [];
  updateErrors: Error[] = [];
  /** How the next deployment ends. */
  outcome: Outcome = "success";
  private drainingUntil?: number;
  private revisions = 0;

  constructor(readonly name = "log-analyzer", readonly options: FakeOptions = {}) {}

  get arn() { return `arn:aws:ecs:${REGION}:${ACCOUNT}:service/default/${this.name}`; }

  /** A service that already runs `config` (made through Create, deployed, finished). */
  seed(input: Omit<CreateExpressGatewayServiceRequest, "serviceName" | "cluster">, outcome: Outcome = "success") {
    this.outcome = outcome;
    this.create({ ...input, serviceName: this.name });
    this.settle(this.deployments[0]);
  }

  private revision(input: Omit<UpdateExpressGatewayServiceRequest, "serviceArn">, prev?: ExpressGatewayServiceConfiguration): ExpressGatewayServiceConfiguration {
    const n = ++this.revisions;
    const c = input.primaryContainer ?? prev?.primaryContainer;
    const subnets = input.networkConfiguration?.subnets ?? prev?.networkConfiguration?.subnets ?? ["subnet-0default1", "subnet-0default2"];
    const groups = input.networkConfiguration?.securityGroups ?? prev?.networkConfiguration?.securityGroups?.filter((g) => g !== "sg-0express");
    return {
      serviceRevisionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/default/${this.name}/${1000 + n}`,
      executionRoleArn: input.executionRoleArn ?? prev?.executionRoleArn,
      taskRoleArn: input.taskRoleArn ?? prev?.taskRoleArn,
      taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/default-${this.name}:${n}`,
      cpu: input.cpu ?? prev?.cpu ?? "1024",
      memory: input.memory ?? prev?.memory ?? "2048",
      cpuArchitecture: input.cpuArchitecture ?? prev?.cpuArchitecture ?? "X86_64",
      networkConfiguration: { subnets, securityGroups: [...(groups ?? []), "sg-0express"] },
      healthCheckPath: input.healthCheckPath ?? prev?.healthCheckPath ?? "/ping",
      primaryContainer: {
        image: c?.image,
        containerPort: c?.containerPort ?? 80,
        awsLogsConfiguration: c?.awsLogsConfiguration ?? { logGroup: `/aws/ecs/default/${this.name}-3f9a`, logStreamPrefix: "ecs" },
        ...(c?.command ? { command: c.command } : {}),
        environment: c?.environment ?? [],
        secrets: c?.secrets ?? [],
      },
      scalingTarget: input.scalingTarget ?? prev?.scalingTarget ?? { minTaskCount: 1, maxTaskCount: 20, autoScalingMetric: "AVERAGE_CPU", autoScalingTargetValue: 60 },
      ingressPaths: [{ accessType: "PUBLIC", endpoint: `https://${this.name.slice(0, 20)}-8c41a2.ecs.${REGION}.on.aws/` }],
      createdAt: new Date(),
    };
  }

  private start(target: ExpressGatewayServiceConfiguration, source?: ExpressGatewayServiceConfiguration) {
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/default/${this.name}/dep${this.deployments.length + 1}`;
    this.deployments.push({ arn, createdAt: new Date(), target, source, outcome: this.outcome });
    this.service!.currentDeployment = arn;
    this.service!.activeConfigurations = source ? [source, target] : [target];
    this.outcome = "success";
  }

  /** Where a deployment is now, from the time since it started; a finished one updates the service. */
  private state(d: Deployment): { status: ServiceDeploymentStatus; stage?: ServiceDeploymentLifecycleStage } {
    if (d.status) return { status: d.status };
    const s = (Date.now() - d.createdAt.getTime()) / 1000;
    if (d.outcome === "circuit-breaker" && s >= 60) return this.finish(d, "STOPPED");
    if (d.outcome === "canary-alarm" && s >= 120) return s >= 150 ? this.finish(d, "ROLLBACK_SUCCESSFUL") : { status: "ROLLBACK_IN_PROGRESS" };
    const [, status, stage] = [...TIMELINE].reverse().find(([at]) => s >= at)!;
    return status === "SUCCESSFUL" ? this.finish(d, "SUCCESSFUL") : { status, stage };
  }

  private settle(d: Deployment) {
    d.createdAt = new Date(Math.min(d.createdAt.getTime(), Date.now() - 3_600_000));
    this.state(d);
    d.finishedAt = new Date(Date.now() - 3_000_000);
  }

  private finish(d: Deployment, status: ServiceDeploymentStatus) {
    d.status = status;
    d.finishedAt = new Date();
    const svc = this.service!;
    // Success leaves the new revision; a rollback the old one; a stopped first deployment keeps its own.
    svc.activeConfigurations = status === "ROLLBACK_SUCCESSFUL" && d.source ? [d.source] : [d.target];
    svc.updatedAt = new Date();
    return { status };
  }

  private live(): ECSExpressGatewayService & { tags: Tag[] } {
    const svc = this.service;
    if (svc && this.drainingUntil !== undefined && Date.now() >= this.drainingUntil) {
      svc.status = { statusCode: "INACTIVE" };
      this.drainingUntil = undefined;
    }
    const code = svc?.status?.statusCode;
    if (!svc || code === "INACTIVE") {
      const as = this.options.goneAs ?? "ResourceNotFoundException";
      throw as === "InvalidParameterException" ? awsError(as, "Resource not found.")
        : as === "ServiceNotActiveException" ? awsError(as, "Cannot perform this operation on a service in INACTIVE status.")
        : awsError(as, "The specified service could not be found.");
    }
    return svc;
  }

  create(input: CreateExpressGatewayServiceRequest) {
    const fail = this.createErrors.shift();
    if (fail) throw fail;
    if (!fargateOk(Number(input.cpu ?? 1024), Number(input.memory ?? 2048))) throw awsError("ClientException", "No Fargate configuration exists for given values.");
    const now = new Date();
    this.drainingUntil = undefined;
    this.service = {
      cluster: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${input.cluster ?? "default"}`, serviceName: input.serviceName, serviceArn: this.arn,
      infrastructureRoleArn: input.infrastructureRoleArn, status: { statusCode: "ACTIVE" }, createdAt: now, updatedAt: now, tags: input.tags ?? [],
    };
    this.start(this.revision(input));
    return { service: this.view() };
  }

  update(input: UpdateExpressGatewayServiceRequest) {
    const fail = this.updateErrors.shift();
    if (fail) throw fail;
    if (input.serviceArn !== this.arn || !this.service) throw awsError("ServiceNotFoundException", "Service not found.");
    if (this.service.status?.statusCode === "DRAINING") throw awsError("ServiceNotActiveException", "Service is in DRAINING status.");
    const live = this.service.activeConfigurations!.at(-1)!;
    const next = this.revision(input, live);
    const same = (c: ExpressGatewayServiceConfiguration) => JSON.stringify({ ...c, serviceRevisionArn: 0, taskDefinitionArn: 0, createdAt: 0 });
    if (this.options.identicalStartsNothing && same(next) === same(live)) {
      return { service: { serviceArn: this.arn, cluster: this.service.cluster, serviceName: this.name, status: this.service.status, targetConfiguration: live } };
    }
    this.start(next, live);
    this.service.updatedAt = new Date();
    return { service: { serviceArn: this.arn, cluster: this.service.cluster, serviceName: this.name, status: this.service.status, targetConfiguration: next } };
  }

  delete(serviceArn: string) {
    const svc = this.live();
    if (serviceArn !== this.arn) throw awsError("ServiceNotFoundException", "Service not found.");
    if (svc.status?.statusCode === "DRAINING") throw awsError("ServiceNotActiveException", "Service is in DRAINING status.");
    svc.status = { statusCode: "DRAINING" };
    this.drainingUntil = Date.now() + 45_000;
    return { service: this.view() };
  }

  view(include?: string[]): ECSExpressGatewayService {
    const { tags, ...svc } = this.service!;
    return structuredClone({ ...svc, ...(include?.includes("TAGS") ? { tags } : {}) });
  }

  describe(serviceArn: string, include?: string[]) {
    if (serviceArn !== this.arn) throw awsError("InvalidParameterException", "Resource not found.");
    const svc = this.live();
    this.deployments.forEach((d) => this.state(d));
    if (svc.status?.statusCode === "DRAINING" && this.options.drainingAsError) throw awsError("ServiceNotActiveException", "Service is in DRAINING status.");
    return { service: this.view(include) };
  }

  /** DescribeServices: the classic view, with the circuit breaker's verdict on the primary deployment. */
  describeServices(name: string) {
    try { this.live(); } catch { /* an INACTIVE or missing one is still answered below */ }
    const svc = this.service;
    if (!svc || name !== this.name) return { services: [], failures: [{ arn: this.arn, reason: "MISSING" }] };
    const last = this.deployments.at(-1);
    if (last) this.state(last);
    return {
      services: [{
        serviceName: this.name, serviceArn: this.arn, status: svc.status?.statusCode, resourceManagementType: "ECS" as const,
        deployments: [{
          status: "PRIMARY", rolloutState: last?.status === "STOPPED" ? "FAILED" as const : last?.status === "SUCCESSFUL" ? "COMPLETED" as const : "IN_PROGRESS" as const,
          ...(last?.status === "STOPPED" ? { rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start." } : {}),
        }],
      }],
      failures: [],
    };
  }

  list(input: { status?: ServiceDeploymentStatus[]; createdAt?: { after?: Date } }) {
    const rows = this.deployments.map((d) => ({ d, s: this.state(d) }))
      .filter(({ d, s }) => (!input.status || input.status.includes(s.status)) && (!input.createdAt?.after || d.createdAt > input.createdAt.after));
    return {
      serviceDeployments: rows.reverse().map(({ d, s }) => ({
        serviceDeploymentArn: d.arn, serviceArn: this.arn, targetServiceRevisionArn: d.target.serviceRevisionArn,
        status: s.status, createdAt: d.createdAt, ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
      })),
    };
  }

  describeDeployments(arns: string[]): { serviceDeployments: ServiceDeployment[] } {
    return {
      serviceDeployments: this.deployments.filter((d) => arns.includes(d.arn)).map((d) => {
        const s = this.state(d);
        return {
          serviceDeploymentArn: d.arn, serviceArn: this.arn, status: s.status, lifecycleStage: s.stage, createdAt: d.createdAt,
          targetServiceRevision: { arn: d.target.serviceRevisionArn },
          sourceServiceRevisions: d.source ? [{ arn: d.source.serviceRevisionArn }] : [],
          deploymentConfiguration: { strategy: "CANARY", canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: 3 }, bakeTimeInMinutes: 3 },
          ...(s.status === "ROLLBACK_SUCCESSFUL" || s.status === "ROLLBACK_IN_PROGRESS"
            ? { rollback: { reason: "Rolling back because of alarm ecs-express-log-analyzer-5xx in ALARM state." } } : {}),
          ...(s.status === "STOPPED" ? { statusReason: "ECS deployment circuit breaker: tasks failed to start." } : {}),
          ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
        };
      }),
    };
  }

  tag(tags: Tag[]) {
    const svc = this.live();
    svc.tags = [...svc.tags.filter((t) => !tags.some((n) => n.key === t.key)), ...tags];
    return {};
  }
}

