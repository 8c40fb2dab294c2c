// App Runner as its API reference documents it (no emulator exists): CreateService and UpdateService
// start an operation and leave the service OPERATION_IN_PROGRESS; ListOperations reports the operation
// IN_PROGRESS, then SUCCEEDED, and only then is the service RUNNING (API_CreateService.html,
// API_ListOperations.html, API_Service.html#apprunner-Type-Service-Status). DescribeService answers the
// full Service: defaults filled in, sizes normalised, ServiceUrl a bare host name.
import { randomUUID } from "node:crypto";
import * as sdk from "@aws-sdk/client-apprunner";
import type { AwsStub } from "aws-sdk-client-mock";

const ACCOUNT = "123456789012"; // moto's default account, so the ARNs agree with the moto side of a test
const REGION = "us-east-1";

/** A modelled AWS error: the SDK's exception class with AWS's message text. */
function awsError<E>(Exc: new (o: any) => E, message: string): E {
  return new Exc({ message, $metadata: {} });
}

export const SERVICE_URL_HOST = "e2etest123.us-east-1.awsapprunner.com";

/**
 * App Runner answers sizes in CPU units and MB whichever form was sent ("1 vCPU" → "1024", "2 GB" → "2048"):
 * Terraform's provider suppresses the diff for exactly that ("App Runner API always returns the amount
 * in multiples of 1024 units" / "in MB", internal/service/apprunner/service.go). Both forms are valid
 * input (API_InstanceConfiguration.html).
 */
export function normalisedSize(v: string): string {
  const m = /^([\d.]+)\s*(vCPU|GB)$/i.exec(v.trim());
  return m ? String(Math.round(Number(m[1]) * 1024)) : v.trim();
}

/** Health-check defaults: TCP, path /, interval 5, timeout 2, healthy 1, unhealthy 5 (API_HealthCheckConfiguration.html). */
const HEALTH_DEFAULTS = { Protocol: "TCP", Path: "/", Interval: 5, Timeout: 2, HealthyThreshold: 1, UnhealthyThreshold: 5 } as const;

/** Every service without its own is associated with the account's DefaultConfiguration, revision 1 (API_AutoScalingConfigurationSummary.html). */
const DEFAULT_AUTOSCALING: sdk.AutoScalingConfigurationSummary = {
  AutoScalingConfigurationArn: `arn:aws:apprunner:${REGION}:${ACCOUNT}:autoscalingconfiguration/DefaultConfiguration/1/00000000000000000000000000000001`,
  AutoScalingConfigurationName: "DefaultConfiguration", AutoScalingConfigurationRevision: 1, Status: "ACTIVE",
  CreatedAt: new Date("2021-05-18T00:00:00Z"), HasAssociatedService: true, IsDefault: true,
};

const OPERATION_READS = 1;

export interface AppRunnerWorld {
  service?: sdk.Service;
  tags: sdk.Tag[];
  operations: (sdk.OperationSummary & { busyReads: number })[];
}

/** What App Runner stores of a source: the image's settings with empty maps left out; auto-deployments default to true for same-account ECR (API_SourceConfiguration.html). */
function storedSource(s: sdk.SourceConfiguration): sdk.SourceConfiguration {
  const img = s.ImageRepository!;
  const c = img.ImageConfiguration ?? {};
  const nonEmpty = (m: Record<string, string> | undefined) => (m && Object.keys(m).length ? { ...m } : undefined);
  return {
    ImageRepository: {
      ImageIdentifier: img.ImageIdentifier, ImageRepositoryType: img.ImageRepositoryType,
      ImageConfiguration: {
        Port: c.Port ?? "8080", RuntimeEnvironmentVariables: nonEmpty(c.RuntimeEnvironmentVariables),
        RuntimeEnvironmentSecrets: nonEmpty(c.RuntimeEnvironmentSecrets), StartCommand: c.StartCommand,
      },
    },
    AutoDeploymentsEnabled: s.AutoDeploymentsEnabled ?? img.ImageRepositoryType === "ECR",
    AuthenticationConfiguration: structuredClone(s.AuthenticationConfiguration),
  };
}

const storedInstance = (i: sdk.InstanceConfiguration | undefined): sdk.InstanceConfiguration => ({
  Cpu: normalisedSize(i?.Cpu ?? "1 vCPU"), Memory: normalisedSize(i?.Memory ?? "2 GB"), ...(i?.InstanceRoleArn ? { InstanceRoleArn: i.InstanceRoleArn } : {}),
});

export function fakeAppRunner(apprunner: AwsStub<any, any, any>, w: AppRunnerWorld) {
  const svcOr404 = (arn: string | undefined) => {
    // The exception is documented (API_DescribeService.html#API_DescribeService_Errors); its message text is not.
    if (!w.service || arn !== w.service.ServiceArn) throw awsError(sdk.ResourceNotFoundException, `Resource not found: ${arn}`);
    return w.service;
  };
  /** A read moves the newest operation on; when it ends, the service is RUNNING again. */
  const tick = () => {
    const op = w.operations[0];
    if (!op || op.Status !== "IN_PROGRESS") return;
    if (op.busyReads-- > 0) return;
    Object.assign(op, { Status: "SUCCEEDED", EndedAt: new Date(), UpdatedAt: new Date() });
    if (w.service) w.service = { ...w.service, Status: "RUNNING", UpdatedAt: new Date() };
  };
  const start = (Type: sdk.OperationType): string => {
    const Id = randomUUID();
    w.operations.unshift({ Id, Type, Status: "IN_PROGRESS", TargetArn: w.service!.ServiceArn, StartedAt: new Date(), UpdatedAt: new Date(), busyReads: OPERATION_READS });
    w.service = { ...w.service!, Status: "OPERATION_IN_PROGRESS" };
    return Id;
  };
  const view = (s: sdk.Service): sdk.Service => structuredClone(s);

  apprunner.on(sdk.ListServicesCommand).callsFake(async () => ({
    ServiceSummaryList: w.service
      ? [{ ServiceName: w.service.ServiceName, ServiceArn: w.service.ServiceArn, ServiceId: w.service.ServiceId, ServiceUrl: w.service.ServiceUrl, CreatedAt: w.service.CreatedAt, UpdatedAt: w.service.UpdatedAt, Status: w.service.Status }]
      : [],
  }));
  apprunner.on(sdk.CreateServiceCommand).callsFake(async (input: sdk.CreateServiceCommandInput) => {
    if (w.service) throw awsError(sdk.InvalidRequestException, `Service with the provided name already exists: ${input.ServiceName}`);
    const ServiceId = randomUUID().replace(/-/g, "");
    w.service = {
      ServiceName: input.ServiceName, ServiceId, ServiceArn: `arn:aws:apprunner:${REGION}:${ACCOUNT}:service/${input.ServiceName}/${ServiceId}`,
      ServiceUrl: SERVICE_URL_HOST, CreatedAt: new Date(), UpdatedAt: new Date(), Status: "OPERATION_IN_PROGRESS",
      SourceConfiguration: storedSource(input.SourceConfiguration!), InstanceConfiguration: storedInstance(input.InstanceConfiguration),
      HealthCheckConfiguration: { ...HEALTH_DEFAULTS, ...input.HealthCheckConfiguration },
      AutoScalingConfigurationSummary: DEFAULT_AUTOSCALING,
      NetworkConfiguration: { EgressConfiguration: { EgressType: "DEFAULT" }, IngressConfiguration: { IsPubliclyAccessible: true }, IpAddressType: "IPV4" },
      ObservabilityConfiguration: { ObservabilityEnabled: false },
    };
    w.tags = [...(input.Tags ?? [])];
    const OperationId = start("CREATE_SERVICE");
    return { Service: view(w.service), OperationId };
  });
  apprunner.on(sdk.UpdateServiceCommand).callsFake(async (input: sdk.UpdateServiceCommandInput) => {
    const svc = svcOr404(input.ServiceArn);
    // "Service status must be RUNNING or PAUSED to be updated" (aws-apis.md §5.4; the SDK's InvalidStateException text).
    if (svc.Status !== "RUNNING" && svc.Status !== "PAUSED") throw awsError(sdk.InvalidStateException, "You can't perform this action when the resource is in its current state");
    w.service = {
      ...svc,
      ...(input.SourceConfiguration ? { SourceConfiguration: storedSource(input.SourceConfiguration) } : {}),
      ...(input.InstanceConfiguration ? { InstanceConfiguration: storedInstance({ ...svc.InstanceConfiguration, ...input.InstanceConfiguration }) } : {}),
      ...(input.HealthCheckConfiguration ? { HealthCheckConfiguration: { ...HEALTH_DEFAULTS, ...input.HealthCheckConfiguration } } : {}),
      UpdatedAt: new Date(),
    };
    const OperationId = start("UPDATE_SERVICE");
    return { Service: view(w.service!), OperationId };
  });
  apprunner.on(sdk.TagResourceCommand).callsFake(async (input: sdk.TagResourceCommandInput) => {
    svcOr404(input.ResourceArn);
    for (const t of input.Tags ?? []) w.tags = [...w.tags.filter((x) => x.Key !== t.Key), t];
    return {};
  });
  apprunner.on(sdk.ListOperationsCommand).callsFake(async (input: sdk.ListOperationsCommandInput) => {
    svcOr404(input.ServiceArn);
    tick();
    return { OperationSummaryList: w.operations.map(({ busyReads: _, ...o }) => ({ ...o })) };
  });
  apprunner.on(sdk.DescribeServiceCommand).callsFake(async (input: sdk.DescribeServiceCommandInput) => {
    svcOr404(input.ServiceArn);
    tick();
    return { Service: view(w.service!) };
  });
}
