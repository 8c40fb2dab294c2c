// src/aws/apprunner.ts findService, the one "App Runner service by name" look-up (issue 11: three
// copies had drifted, and the doctor's lost the DELETED filter). ListServices can still list a deleted
// service, as Status DELETED (API_ServiceSummary.html), and pages up to MaxResults 20 at a time with a
// NextToken for the next page (API_ListServices.html).
import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { AppRunnerClient, ListServicesCommand, type ServiceSummary } from "@aws-sdk/client-apprunner";
import { AwsClients } from "../../src/aws/clients.js";
import { findService } from "../../src/aws/apprunner.js";

const ar = mockClient(AppRunnerClient);
const aws = () => new AwsClients({ region: "us-east-1", regionSource: "flag", env: {} });
const arn = (name: string, id: string) => `arn:aws:apprunner:us-east-1:123456789012:service/${name}/${id}`;
const summary = (name: string, id: string, Status: ServiceSummary["Status"]): ServiceSummary => ({
  ServiceName: name, ServiceId: id, ServiceArn: arn(name, id), ServiceUrl: `${id}.us-east-1.awsapprunner.com`,
  CreatedAt: new Date("2026-11-01T10:00:00Z"), UpdatedAt: new Date("2026-11-20T10:00:00Z"), Status,
});

afterEach(() => ar.reset());

describe("findService", () => {
  it("skips a DELETED service of the same name and finds the live one on a later page", async () => {
    ar.on(ListServicesCommand, { NextToken: undefined, MaxResults: 20 }).resolves({
      ServiceSummaryList: [summary("other-svc", "a1", "RUNNING"), summary("log-analyzer-v1", "old1", "DELETED")], NextToken: "page-2",
    });
    ar.on(ListServicesCommand, { NextToken: "page-2", MaxResults: 20 }).resolves({
      ServiceSummaryList: [summary("log-analyzer-v1", "new2", "RUNNING")],
    });
    expect(await findService(aws(), "log-analyzer-v1")).toEqual({ arn: arn("log-analyzer-v1", "new2"), id: "new2", status: "RUNNING" });
    expect(ar.commandCalls(ListServicesCommand).map((c) => c.args[0].input)).toEqual([
      { NextToken: undefined, MaxResults: 20 }, { NextToken: "page-2", MaxResults: 20 },
    ]);
  });

  it("is undefined when the only service of that name is DELETED, after reading every page", async () => {
    ar.on(ListServicesCommand, { NextToken: undefined }).resolves({ ServiceSummaryList: [summary("log-analyzer-v1", "old1", "DELETED")], NextToken: "page-2" });
    ar.on(ListServicesCommand, { NextToken: "page-2" }).resolves({ ServiceSummaryList: [] });
    expect(await findService(aws(), "log-analyzer-v1")).toBeUndefined();
    expect(ar.commandCalls(ListServicesCommand)).toHaveLength(2);
  });

  it("stops at the first page that has the service", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [summary("log-analyzer-v1", "svc1", "OPERATION_IN_PROGRESS")], NextToken: "page-2" });
    expect(await findService(aws(), "log-analyzer-v1")).toEqual({ arn: arn("log-analyzer-v1", "svc1"), id: "svc1", status: "OPERATION_IN_PROGRESS" });
    expect(ar.commandCalls(ListServicesCommand)).toHaveLength(1);
  });

  it("sends the caller's abort signal with each page", async () => {
    const signal = new AbortController().signal;
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [] });
    await findService(aws(), "log-analyzer-v1", signal);
    expect((ar.commandCalls(ListServicesCommand)[0].args as unknown[])[1]).toEqual({ abortSignal: signal });
  });
});
