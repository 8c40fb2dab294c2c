import { afterEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { AddPermissionCommand, GetFunctionUrlConfigCommand, GetPolicyCommand, LambdaClient, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand } from "@aws-sdk/client-apprunner";
import { appRunnerAudit } from "../../src/targets/apprunner/doctor.js";
import { lambdaUrlAudit, missingUrlPermissions } from "../../src/targets/lambda/doctor.js";
import { architectureChecks } from "../../src/doctor/image-checks.js";
import { formatFinding } from "../../src/doctor/finding.js";
import { imagesFor } from "../../src/images.js";
import { fakeDocker, testContext } from "../helpers/context.js";

const lambda = mockClient(LambdaClient);
const apprunner = mockClient(AppRunnerClient);
afterEach(() => {
  lambda.reset();
  apprunner.reset();
});

const urlStatement = {
  Sid: "logship-public-url", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunctionUrl",
  Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } },
};
const invokeStatement = {
  Sid: "logship-public-url-invoke", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction",
  Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } },
};
const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const lambdaConfig = { app: "shop", targets: { lambda: { function: "shop-fn", url: { public: true } } } };

describe("missingUrlPermissions", () => {
  it.each([
    ["both present", policy(urlStatement, invokeStatement), { urlPermission: false, invokePermission: false }],
    ["only the old URL permission (pre-Oct 2025 URL)", policy(urlStatement), { urlPermission: false, invokePermission: true }],
    ["invoke without the URL condition does not count", policy(urlStatement, { ...invokeStatement, Condition: undefined }), { urlPermission: false, invokePermission: true }],
    ["no policy", undefined, { urlPermission: true, invokePermission: true }],
  ])("%s", (_name, json, expected) => {
    expect(missingUrlPermissions(json)).toEqual(expected);
  });
});

describe("doctor: Lambda function URL audit", () => {
  it("flags a public URL missing InvokeFunction as an error, and --fix adds exactly that permission", async () => {
    lambda.on(GetFunctionUrlConfigCommand).resolves({ AuthType: "NONE", FunctionUrl: "https://x.lambda-url.us-east-1.on.aws/" });
    lambda.on(GetPolicyCommand).resolves({ Policy: policy(urlStatement) });
    lambda.on(AddPermissionCommand).resolves({});
    const { ctx } = testContext(lambdaConfig);

    const report = await lambdaUrlAudit(ctx, false);
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ id: "lambda.url-invoke-permission", severity: "error" });
    expect(report[0].what).toBe("lambda: the public function URL of shop-fn:live lacks the lambda:InvokeFunction permission");
    expect(lambda.commandCalls(AddPermissionCommand)).toHaveLength(0);

    const fixed = await lambdaUrlAudit(ctx, true);
    expect(fixed[0].fixed).toBe(true);
    const calls = lambda.commandCalls(AddPermissionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input).toEqual({
      FunctionName: "shop-fn", Qualifier: "live", StatementId: "logship-public-url-invoke",
      Action: "lambda:InvokeFunction", Principal: "*", InvokedViaFunctionUrl: true,
    });
    expect(formatFinding(fixed[0]).split("\n")[0]).toMatch(/— fixed$/);
  });

  it("a URL with both permissions, an IAM URL and no URL are not errors", async () => {
    const { ctx } = testContext(lambdaConfig);
    lambda.on(GetFunctionUrlConfigCommand).resolves({ AuthType: "NONE" });
    lambda.on(GetPolicyCommand).resolves({ Policy: policy(urlStatement, invokeStatement) });
    expect((await lambdaUrlAudit(ctx, true)).map((f) => f.severity)).toEqual(["ok"]);
    lambda.on(GetFunctionUrlConfigCommand).resolves({ AuthType: "AWS_IAM" });
    expect((await lambdaUrlAudit(ctx, true))[0].what).toBe("lambda: function URL uses AWS_IAM auth");
    lambda.on(GetFunctionUrlConfigCommand).rejects(new ResourceNotFoundException({ message: "no url", $metadata: {} }));
    expect((await lambdaUrlAudit(ctx, true))[0].severity).toBe("info");
    expect(lambda.commandCalls(AddPermissionCommand)).toHaveLength(0);
  });
});

describe("doctor: App Runner audit", () => {
  it("warns when automatic deployments are on (found across ListServices pages)", async () => {
    apprunner.on(ListServicesCommand)
      .resolvesOnce({ ServiceSummaryList: [{ ServiceName: "other", ServiceArn: "arn:1" }], NextToken: "p2" })
      .resolvesOnce({ ServiceSummaryList: [{ ServiceName: "shop-svc", ServiceArn: "arn:2" }] });
    apprunner.on(DescribeServiceCommand, { ServiceArn: "arn:2" }).resolves({
      Service: { SourceConfiguration: { AutoDeploymentsEnabled: true } } as never,
    });
    const { ctx } = testContext({ app: "shop", targets: { apprunner: { service: "shop-svc" } } });
    const [finding] = await appRunnerAudit(ctx);
    expect(finding).toMatchObject({ id: "apprunner.auto-deploy", severity: "warning" });
    // The same look-up deploy makes (src/aws/apprunner.ts findService): 20 per page.
    expect(apprunner.commandCalls(ListServicesCommand)[1].args[0].input).toEqual({ NextToken: "p2", MaxResults: 20 });
  });

  it("a DELETED service of the same name is not the target's (ListServices keeps deleted services for a while)", async () => {
    // API_ServiceSummary: Status may be DELETED; such a service is gone, and a new one may reuse the name.
    apprunner.on(ListServicesCommand).resolves({ ServiceSummaryList: [{ ServiceName: "shop-svc", ServiceArn: "arn:old", ServiceId: "old", Status: "DELETED" }] });
    apprunner.on(DescribeServiceCommand).resolves({ Service: { SourceConfiguration: { AutoDeploymentsEnabled: true } } as never });
    const { ctx } = testContext({ app: "shop", targets: { apprunner: { service: "shop-svc" } } });
    expect(await appRunnerAudit(ctx)).toEqual([{ id: "apprunner.service", severity: "info", what: "apprunner: service shop-svc is not deployed yet" }]);
    expect(apprunner.commandCalls(DescribeServiceCommand)).toHaveLength(0);
  });
});

describe("doctor: image architecture", () => {
  it("an arm64 image is an error for App Runner and fine for an arm64 Lambda", async () => {
    const config = { app: "shop", targets: { apprunner: { service: "shop-svc" }, lambda: { function: "f", architecture: "arm64", image: { dockerfile: "Dockerfile.lambda" } } } };
    const { docker } = fakeDocker((args) => (args[0] === "image" ? { stdout: JSON.stringify([{ Architecture: "arm64" }]) } : undefined));
    const { ctx } = testContext(config, { docker });
    for (const spec of imagesFor(ctx.config, "/project", ["apprunner", "lambda"])) {
      ctx.images.set(spec.key, { spec, tag: "1", localRefs: [`${spec.name}:1`] });
    }
    const findings = await architectureChecks(ctx);
    expect(findings.map((f) => [f.id, f.severity])).toEqual([["image.arch.apprunner", "error"], ["image.arch.lambda", "ok"]]);
    expect(findings[0].fix).toBe("rebuild with `logship build --platform linux/amd64` (or set image.platform)");
  });
});
