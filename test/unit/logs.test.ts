// `logship logs`: log group discovery per target, FilterLogEvents paging, --follow without repeats
// or gaps (aws-sdk-client-mock + fake timers), output formats, and `docker logs` for local.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from "@aws-sdk/client-cloudwatch-logs";
import { AppRunnerClient, ListServicesCommand } from "@aws-sdk/client-apprunner";
import { GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DescribeExpressGatewayServiceCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient,
} from "@aws-sdk/client-ecs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DeployError, InterruptedError, UserError } from "../../src/errors.js";
import { parseSince, filterPattern } from "../../src/logs/since.js";
import { formatEvent, shortStream } from "../../src/logs/format.js";
import { Cursor } from "../../src/logs/cursor.js";
import { LOOKBACK_MS, POLL_MS, readLogGroup } from "../../src/logs/cloudwatch.js";
import { showLogs } from "../../src/logs/show.js";
import { logGroupFor } from "../../src/logs/groups.js";
import { dockerLogsStreamArgs, parseDockerLine } from "../../src/targets/local/logs.js";
import { logs } from "../../src/commands/logs.js";
import type { Context } from "../../src/steps/types.js";
import type { Io } from "../../src/commands/globals.js";
import { captureStream, fakeDocker, testContext } from "../helpers/context.js";

const cwl = mockClient(CloudWatchLogsClient);
const ar = mockClient(AppRunnerClient);
const lambda = mockClient(LambdaClient);
const ecs = mockClient(ECSClient);

const NOW = Date.parse("2026-11-25T09:00:00.000Z");
const GROUP = "/aws/lambda/lambda-log-analyzer-v1";
const STREAM = "2026/11/25/[$LATEST]0f3c5e7a9b1d2c4e6f8a0b1c2d3e4f5a";

const TARGETS = {
  lambda: { function: "lambda-log-analyzer-v1" },
  apprunner: { service: "log-analyzer-v1" },
  ecs: { service: "log-analyzer", cluster: "apps" },
};

function setup(over: Partial<Context> = {}) {
  return testContext({ app: "log-analyzer", targets: TARGETS }, over);
}

const ev = (id: string, timestamp: number, message = `event ${id}`): FilteredLogEvent =>
  ({ eventId: id, timestamp, message: `${message}\n`, logStreamName: STREAM, ingestionTime: timestamp + 5 });

/** The text lines printed, without the time and stream columns. */
const messages = (text: string) => text.split("\n").filter(Boolean).map((l) => l.split(" ").slice(2).join(" "));

beforeEach(() => {
  cwl.reset();
  ar.reset();
  lambda.reset();
  ecs.reset();
  lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: "lambda-log-analyzer-v1" });
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => vi.useRealTimers());

describe("--since", () => {
  it.each([
    ["30s", NOW - 30_000, "30s"],
    ["10m", NOW - 600_000, "10m"],
    ["2h", NOW - 7_200_000, "2h"],
    ["1d", NOW - 86_400_000, "24h"],
    [undefined, NOW - 600_000, "10m"],
    ["2026-11-25T08:00:00Z", Date.parse("2026-11-25T08:00:00Z"), "2026-11-25T08:00:00.000Z"],
    ["2026-11-25T08:00:00.250+01:00", Date.parse("2026-11-25T07:00:00.250Z"), "2026-11-25T07:00:00.250Z"],
  ])("%s → startTime and docker's --since", (value, startTime, docker) => {
    expect(parseSince(value, NOW)).toEqual({ startTime, docker });
  });

  it.each(["10", "ten minutes", "5w", "", "-10m", "1.5h", "yesterday"])("rejects %j with a usage error", (value) => {
    expect(() => parseSince(value, NOW)).toThrow(UserError);
    expect(() => parseSince(value, NOW)).toThrow(`--since: "${value.trim()}" is not a duration or a time`);
  });
});

describe("--filter", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    ["ERROR", '"ERROR"'],
    ["user-id=42", '"user-id=42"'],
    ["GET /logs 500", '"GET /logs 500"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["a\\b", '"a\\\\b"'],
    ['"already quoted"', '"already quoted"'],
    ["{ $.level = \"error\" }", "{ $.level = \"error\" }"],
    ["[ip, user, status=5*]", "[ip, user, status=5*]"],
    ["%time.?out%", "%time.?out%"],
  ])("%j → filterPattern %j", (filter, pattern) => {
    expect(filterPattern(filter)).toBe(pattern);
  });
});

describe("output", () => {
  it.each([
    [STREAM, "0f3c5e7a"],
    ["ecs/Main/9b1e2d3c4b5a69788796a5b4c3d2e1f0", "9b1e2d3c"],
    ["instance/4d2a1b0c9e8f7a6b5c4d3e2f1a0b9c8d", "4d2a1b0c"],
    ["my-stream", "my-stream"],
  ])("short stream name of %s is %s", (stream, short) => {
    expect(shortStream(stream)).toBe(short);
  });

  it("text: ISO time, short stream, message without its trailing newline", () => {
    expect(formatEvent({ timestamp: NOW, stream: STREAM, message: "GET /logs 200\n" }, false))
      .toBe("2026-11-25T09:00:00.000Z 0f3c5e7a GET /logs 200\n");
  });

  it("--json: one object per line with the full stream name", () => {
    const line = formatEvent({ timestamp: NOW, stream: STREAM, message: "GET /logs 200\n", eventId: "x" }, true);
    expect(line.endsWith("\n")).toBe(true);
    expect(line.trimEnd()).not.toContain("\n");
    expect(JSON.parse(line)).toEqual({ timestamp: "2026-11-25T09:00:00.000Z", stream: STREAM, message: "GET /logs 200" });
  });
});

describe("CloudWatch targets", () => {
  it("pages through FilterLogEvents, passing the group, --since and the quoted --filter", async () => {
    cwl.on(FilterLogEventsCommand)
      .resolvesOnce({ events: [ev("a", NOW - 500), ev("b", NOW - 400)], nextToken: "page-2" })
      .resolvesOnce({ events: [], nextToken: "page-3" }) // CloudWatch may return empty pages mid-scan
      .resolvesOnce({ events: [ev("c", NOW - 300)] });
    const { ctx } = setup();
    const out = captureStream();
    const n = await showLogs(ctx, "lambda", { since: parseSince("10m", NOW), filter: "ERROR" }, out.stream);
    expect(n).toBe(3);
    expect(messages(out.text())).toEqual(["event a", "event b", "event c"]);
    const inputs = cwl.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    const base = { logGroupName: GROUP, startTime: NOW - 600_000, filterPattern: '"ERROR"' };
    expect(inputs).toEqual([
      { ...base, nextToken: undefined },
      { ...base, nextToken: "page-2" },
      { ...base, nextToken: "page-3" },
    ]);
  });

  it("--json prints one JSON object per event, one per line", async () => {
    cwl.on(FilterLogEventsCommand).resolves({ events: [ev("a", NOW - 2000, "first"), ev("b", NOW - 1000, 'say "hi"')] });
    const { ctx } = setup();
    const out = captureStream();
    await showLogs(ctx, "lambda", { since: parseSince("1m", NOW), json: true }, out.stream);
    const lines = out.text().split("\n").filter(Boolean);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { timestamp: new Date(NOW - 2000).toISOString(), stream: STREAM, message: "first" },
      { timestamp: new Date(NOW - 1000).toISOString(), stream: STREAM, message: 'say "hi"' },
    ]);
  });

  it("says so on stderr when nothing matched", async () => {
    cwl.on(FilterLogEventsCommand).resolves({ events: [] });
    const { ctx, stderr } = setup();
    const out = captureStream();
    expect(await showLogs(ctx, "lambda", { since: parseSince("10m", NOW), filter: "boom" }, out.stream)).toBe(0);
    expect(out.text()).toBe("");
    expect(stderr.text()).toContain(`no log events in ${GROUP} since 2026-11-25T08:50:00.000Z matching boom`);
  });

  it("a missing log group is a DeployError naming the target and the group, with a hint", async () => {
    cwl.on(FilterLogEventsCommand).rejects(Object.assign(new Error("The specified log group does not exist."), { name: "ResourceNotFoundException", $metadata: {} }));
    const { ctx } = setup();
    const err = await showLogs(ctx, "lambda", { since: parseSince("10m", NOW) }, captureStream().stream).catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err.message).toBe(`no logs yet for lambda (log group ${GROUP} does not exist)`);
    expect(err.hint).toContain("logship deploy lambda");
  });

  describe("--follow", () => {
    it("without look-back: each poll starts AT the newest timestamp, drops repeats there, misses nothing", async () => {
      const t = NOW - 1000;
      cwl.on(FilterLogEventsCommand)
        // first window, two pages; "b" and "c" share the newest timestamp
        .resolvesOnce({ events: [ev("a", t - 100)], nextToken: "p2" })
        .resolvesOnce({ events: [ev("b", t), ev("c", t)] })
        // poll 2 starts AT t: b and c come back, d arrived late with the same timestamp, e is newer
        .resolvesOnce({ events: [ev("b", t), ev("c", t), ev("d", t)], nextToken: "p2" })
        .resolvesOnce({ events: [ev("e", t + 50)] })
        // poll 3: nothing new
        .resolvesOnce({ events: [ev("e", t + 50)] })
        // poll 4: a second event at e's timestamp, then a newer one
        .resolves({ events: [ev("e", t + 50), ev("f", t + 50), ev("g", t + 900)] });
      const controller = new AbortController();
      const { aws } = setup().ctx;
      const printed: string[] = [];
      const done = readLogGroup(aws, {
        target: "lambda", group: GROUP, startTime: NOW - 600_000, follow: true, lookbackMs: 0,
        signal: controller.signal, onEvent: (e) => void printed.push(e.eventId!),
      }).catch((e) => e);

      await vi.advanceTimersByTimeAsync(0);
      expect(printed).toEqual(["a", "b", "c"]);
      expect(cwl.commandCalls(FilterLogEventsCommand)).toHaveLength(2);

      await vi.advanceTimersByTimeAsync(POLL_MS - 1);
      expect(cwl.commandCalls(FilterLogEventsCommand)).toHaveLength(2); // waits the full interval
      await vi.advanceTimersByTimeAsync(1);
      expect(printed).toEqual(["a", "b", "c", "d", "e"]);

      await vi.advanceTimersByTimeAsync(POLL_MS);
      await vi.advanceTimersByTimeAsync(POLL_MS);
      expect(printed).toEqual(["a", "b", "c", "d", "e", "f", "g"]);

      const starts = cwl.commandCalls(FilterLogEventsCommand).map((c) => [c.args[0].input.startTime, c.args[0].input.nextToken]);
      expect(starts).toEqual([
        [NOW - 600_000, undefined], [NOW - 600_000, "p2"],
        [t, undefined], [t, "p2"],
        [t + 50, undefined],
        [t + 50, undefined],
      ]);

      controller.abort();
      const err = await done;
      expect(err).toBeInstanceOf(InterruptedError);
      expect(err.message).toBe("stopped following the logs");
    });

    it("by default looks back 5 s for events ingested late, printing each event once", async () => {
      const t = NOW - 1000;
      cwl.on(FilterLogEventsCommand)
        .resolvesOnce({ events: [ev("a", t - 3000), ev("b", t)] })
        // another instance's event, 2 s older than b, became searchable only now
        .resolvesOnce({ events: [ev("a", t - 3000), ev("late", t - 2000), ev("b", t), ev("c", t + 10)] })
        .resolves({ events: [ev("late", t - 2000), ev("b", t), ev("c", t + 10)] });
      const controller = new AbortController();
      const { ctx } = setup({ signal: controller.signal });
      const out = captureStream();
      const done = showLogs(ctx, "lambda", { since: parseSince("10m", NOW), follow: true }, out.stream).catch((e) => e);
      await vi.advanceTimersByTimeAsync(0);
      await vi.advanceTimersByTimeAsync(POLL_MS);
      await vi.advanceTimersByTimeAsync(POLL_MS);
      expect(messages(out.text())).toEqual(["event a", "event b", "event late", "event c"]);
      expect(cwl.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.startTime))
        .toEqual([NOW - 600_000, t - LOOKBACK_MS, t + 10 - LOOKBACK_MS]);
      controller.abort();
      expect(await done).toBeInstanceOf(InterruptedError);
    });

    it("Ctrl-C during a request stops at once (exit 130)", async () => {
      const controller = new AbortController();
      cwl.on(FilterLogEventsCommand).callsFake(() => {
        controller.abort();
        return Promise.reject(Object.assign(new Error("Request aborted"), { name: "AbortError" }));
      });
      const { ctx } = setup({ signal: controller.signal });
      const err = await showLogs(ctx, "lambda", { since: parseSince("10m", NOW), follow: true }, captureStream().stream).catch((e) => e);
      expect(err).toBeInstanceOf(InterruptedError);
      expect(err.exitCode).toBe(130);
    });
  });

  describe("Cursor", () => {
    const e = (eventId: string, timestamp: number) => ({ eventId, timestamp, stream: "s", message: "" });

    it("without look-back: judges repeats at the window's start in any order across pages", () => {
      const c = new Cursor(100);
      expect(c.begin()).toBe(100);
      expect([e("a", 150), e("b", 200), e("c", 120), e("b", 200)].map((x) => c.accept(x))).toEqual([true, true, true, false]);
      expect(c.begin()).toBe(200);
      expect(c.accept(e("y", 250))).toBe(true);
      expect(c.accept(e("b", 200))).toBe(false); // after a newer event: still a repeat
      expect(c.accept(e("z", 200))).toBe(true);
      expect(c.begin()).toBe(250);
    });

    it("with look-back: the window never starts before --since, and keeps ids inside it", () => {
      const c = new Cursor(1000, 500);
      expect(c.begin()).toBe(1000);
      c.accept(e("a", 1200));
      c.accept(e("b", 1800));
      expect(c.begin()).toBe(1300);
      expect(c.accept(e("b", 1800))).toBe(false);
      expect(c.accept(e("a", 1200))).toBe(true); // left the window: the request no longer asks for it
    });
  });
});

describe("log group discovery", () => {
  it("Lambda: /aws/lambda/<function>", async () => {
    const { ctx } = setup();
    expect(await logGroupFor(ctx, "lambda")).toBe(GROUP);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0].args[0].input).toEqual({ FunctionName: "lambda-log-analyzer-v1" });
  });

  it("Lambda: a custom log group from LoggingConfig wins", async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ LoggingConfig: { LogGroup: "/shared/functions", LogFormat: "JSON" } });
    expect(await logGroupFor(setup().ctx, "lambda")).toBe("/shared/functions");
  });

  it("Lambda: without permission to read the function, the default group", async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
    expect(await logGroupFor(setup().ctx, "lambda")).toBe(GROUP);
  });

  it("Lambda: no function → not deployed", async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException" }));
    await expect(logGroupFor(setup().ctx, "lambda")).rejects.toThrow("lambda is not deployed: no Lambda function lambda-log-analyzer-v1");
  });

  it("App Runner: pages ListServices for the live service's id", async () => {
    // Each summary carries its ServiceArn, as ListServices always returns it (API_ServiceSummary).
    const arn = (name: string, id: string) => `arn:aws:apprunner:us-east-1:123456789012:service/${name}/${id}`;
    ar.on(ListServicesCommand)
      .resolvesOnce({
        ServiceSummaryList: [
          { ServiceName: "other-service", ServiceId: "111", ServiceArn: arn("other-service", "111") },
          { ServiceName: "log-analyzer-v1", ServiceId: "old000", ServiceArn: arn("log-analyzer-v1", "old000"), Status: "DELETED" },
        ],
        NextToken: "t2",
      })
      .resolvesOnce({ ServiceSummaryList: [{ ServiceName: "log-analyzer-v1", ServiceId: "8f1e2d3c4b5a", ServiceArn: arn("log-analyzer-v1", "8f1e2d3c4b5a"), Status: "RUNNING" }] });
    expect(await logGroupFor(setup().ctx, "apprunner")).toBe("/aws/apprunner/log-analyzer-v1/8f1e2d3c4b5a/application");
    expect(ar.commandCalls(ListServicesCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, "t2"]);
  });

  it("App Runner: no such service → DeployError not deployed", async () => {
    ar.on(ListServicesCommand).resolves({ ServiceSummaryList: [{ ServiceName: "log-analyzer-v1", ServiceId: "x", Status: "DELETED" }] });
    const err = await logGroupFor(setup().ctx, "apprunner").catch((e) => e);
    expect(err).toBeInstanceOf(DeployError);
    expect(err.message).toBe("apprunner is not deployed: no App Runner service log-analyzer-v1");
    expect(err.hint).toBe("deploy it first: `logship deploy apprunner`");
  });

  const SVC_ARN = "arn:aws:ecs:us-east-1:123456789012:service/apps/log-analyzer";
  const TD_ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/log-analyzer:7";

  it("ECS: the Express configuration's awsLogsConfiguration", async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: "log-analyzer", serviceArn: SVC_ARN, status: "ACTIVE", taskDefinition: TD_ARN }] });
    ecs.on(DescribeExpressGatewayServiceCommand).resolves({
      service: { activeConfigurations: [{ primaryContainer: { image: "x", awsLogsConfiguration: { logGroup: "/aws/ecs/apps/log-analyzer-ab12", logStreamPrefix: "ecs" } } }] },
    });
    expect(await logGroupFor(setup().ctx, "ecs")).toBe("/aws/ecs/apps/log-analyzer-ab12");
    expect(ecs.commandCalls(DescribeServicesCommand)[0].args[0].input).toEqual({ cluster: "apps", services: ["log-analyzer"] });
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0);
  });

  it("ECS: else the PRIMARY deployment's task definition → the Main container's awslogs-group", async () => {
    ecs.on(DescribeServicesCommand).resolves({
      services: [{
        serviceName: "log-analyzer", serviceArn: SVC_ARN, status: "ACTIVE", taskDefinition: "old",
        deployments: [{ status: "ACTIVE", taskDefinition: "older" }, { status: "PRIMARY", taskDefinition: TD_ARN }],
      }],
    });
    ecs.on(DescribeExpressGatewayServiceCommand).rejects(Object.assign(new Error("nope"), { name: "AccessDeniedException" }));
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: TD_ARN }).resolves({
      taskDefinition: {
        containerDefinitions: [
          { name: "sidecar", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/sidecar" } } },
          { name: "Main", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/log-analyzer", "awslogs-stream-prefix": "ecs" } } },
        ],
      },
    });
    expect(await logGroupFor(setup().ctx, "ecs")).toBe("/ecs/log-analyzer");
  });

  it("ECS: containers without awslogs → a DeployError that says so", async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: "log-analyzer", serviceArn: SVC_ARN, status: "ACTIVE", taskDefinition: TD_ARN }] });
    ecs.on(DescribeExpressGatewayServiceCommand).resolves({ service: { activeConfigurations: [] } });
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { containerDefinitions: [{ name: "Main", logConfiguration: { logDriver: "splunk" } }] } });
    await expect(logGroupFor(setup().ctx, "ecs")).rejects.toThrow(`ECS service log-analyzer does not send its logs to CloudWatch (no awslogs log configuration in ${TD_ARN})`);
  });

  it.each([
    ["a missing service", { services: [], failures: [{ arn: SVC_ARN, reason: "MISSING" }] }],
    ["a deleted service", { services: [{ serviceName: "log-analyzer", serviceArn: SVC_ARN, status: "INACTIVE" }] }],
  ])("ECS: %s → not deployed", async (_what, answer) => {
    ecs.on(DescribeServicesCommand).resolves(answer);
    await expect(logGroupFor(setup().ctx, "ecs")).rejects.toThrow("ecs is not deployed: no ECS service log-analyzer in cluster apps");
  });

  it("ECS: a missing cluster → not deployed", async () => {
    ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error("Cluster not found."), { name: "ClusterNotFoundException" }));
    await expect(logGroupFor(setup().ctx, "ecs")).rejects.toThrow("ecs is not deployed");
  });
});

describe("local target", () => {
  it.each([
    [{}, ["logs", "--timestamps", "logship-app"]],
    [{ since: "10m" }, ["logs", "--since", "10m", "--timestamps", "logship-app"]],
    [{ follow: true, since: "2026-11-25T08:00:00.000Z" }, ["logs", "--follow", "--since", "2026-11-25T08:00:00.000Z", "--timestamps", "logship-app"]],
  ])("docker logs argv for %j", (o, argv) => {
    expect(dockerLogsStreamArgs("logship-app", o)).toEqual(argv);
  });

  it.each([
    ["2026-11-25T08:50:31.123456789Z GET /logs 200", { timestamp: Date.parse("2026-11-25T08:50:31.123Z"), stream: "c", message: "GET /logs 200" }],
    ["2026-11-25T08:50:31Z ", { timestamp: Date.parse("2026-11-25T08:50:31Z"), stream: "c", message: "" }],
    ["Error response from daemon: No such container: c", undefined],
  ])("parses %j", (line, event) => {
    expect(parseDockerLine(line, "c")).toEqual(event);
  });

  it("streams `docker logs --follow --since 10m` of logship-<app>, filtering on this side", async () => {
    const controller = new AbortController();
    const { docker, calls } = fakeDocker((_args, opts) => {
      opts.onLine?.("2026-11-25T08:55:00.000000001Z INFO started");
      opts.onLine?.("2026-11-25T08:56:00.5Z ERROR db locked");
      opts.onLine?.("2026-11-25T08:57:00Z INFO GET /logs 200");
      return undefined;
    });
    const { ctx } = setup({ docker, signal: controller.signal });
    const out = captureStream();
    const n = await showLogs(ctx, "local", { since: parseSince("10m", NOW), follow: true, filter: "ERROR" }, out.stream);
    expect(n).toBe(1);
    expect(calls[0].args).toEqual(["logs", "--follow", "--since", "10m", "--timestamps", "logship-log-analyzer"]);
    expect(calls[0].opts.signal).toBe(controller.signal);
    expect(out.text()).toBe("2026-11-25T08:56:00.500Z logship-log-analyzer ERROR db locked\n");
  });

  it("no container → not deployed", async () => {
    const { docker } = fakeDocker(() => ({ exitCode: 1, stderr: "Error response from daemon: No such container: logship-log-analyzer" }));
    const { ctx } = setup({ docker });
    await expect(showLogs(ctx, "local", { since: parseSince("10m", NOW) }, captureStream().stream))
      .rejects.toThrow("local is not deployed: no container logship-log-analyzer");
  });
});

describe("logship logs (command)", () => {
  let dir: string;
  beforeEach(async () => {
    vi.useRealTimers(); // real file I/O below
    dir = await mkdtemp(path.join(os.tmpdir(), "logship-logs-"));
    await writeFile(path.join(dir, "logship.yaml"), "app: log-analyzer\ntargets:\n  lambda: { function: lambda-log-analyzer-v1 }\n");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const io = (): Io & { out: ReturnType<typeof captureStream>; err: ReturnType<typeof captureStream> } => {
    const out = captureStream();
    const err = captureStream();
    return { stdout: out.stream, stderr: err.stream, env: {}, cwd: dir, isTTY: false, signal: new AbortController().signal, interactive: false, out, err };
  };

  it("prints the Lambda function's events as JSON lines", async () => {
    cwl.on(FilterLogEventsCommand).resolves({ events: [ev("a", Date.now() - 1000, "hello")] });
    const i = io();
    await logs("lambda", { region: "us-east-1", json: true, since: "5m" }, i);
    expect(JSON.parse(i.out.text())).toMatchObject({ stream: STREAM, message: "hello" });
    expect(cwl.commandCalls(FilterLogEventsCommand)[0].args[0].input.logGroupName).toBe(GROUP);
  });

  it("a bad --since or target is a usage error; an unconfigured target says which block to add", async () => {
    await expect(logs("lambda", { since: "soon" }, io())).rejects.toThrow(UserError);
    await expect(logs("heroku", {}, io())).rejects.toThrow('target: "heroku" is not a target');
    await expect(logs("ecs", { region: "us-east-1" }, io())).rejects.toThrow("targets.ecs: not configured in");
  });
});
