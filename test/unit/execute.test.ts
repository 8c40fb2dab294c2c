// The one executor of AWS writes (src/aws/execute.ts): it keeps every write as a record with its
// secrets hidden, sends it in a real run, and sends nothing in a dry run.
import { describe, expect, it, vi } from "vitest";
import { awsCall, changing } from "../../src/aws/call.js";
import { execute, outcomeOf, recordOf, SECRET } from "../../src/aws/execute.js";
import { lambdaCalls } from "../../src/aws/lambda.js";
import { iamCalls } from "../../src/aws/iam.js";
import type { AwsClients } from "../../src/aws/clients.js";
import type { CallRecord } from "../../src/aws/call.js";

const aws = {} as AwsClients;

describe("execute", () => {
  it("a dry run sends nothing, answers what the caller planned, and keeps the record", async () => {
    const send = vi.fn(async () => "sent");
    const calls: CallRecord[] = [];
    const out = await execute({ dryRun: true, aws, calls }, awsCall("Lambda", "UpdateAlias", { Name: "live" }, send), () => "planned");
    expect(out).toBe("planned");
    expect(send).not.toHaveBeenCalled();
    expect(calls).toEqual([{ service: "Lambda", operation: "UpdateAlias", input: { Name: "live" } }]);
  });

  it("a real run sends it, with the clients, and keeps the same record", async () => {
    const send = vi.fn(async () => "sent");
    const calls: CallRecord[] = [];
    const planned = vi.fn(() => "planned");
    expect(await execute({ dryRun: false, aws, calls }, changing(awsCall("IAM", "AttachRolePolicy", { RoleName: "r" }, send), ["attach X"]), planned)).toBe("sent");
    expect(send).toHaveBeenCalledWith(aws);
    expect(planned).not.toHaveBeenCalled();
    expect(calls).toEqual([{ service: "IAM", operation: "AttachRolePolicy", input: { RoleName: "r" }, change: ["attach X"] }]);
  });

  it("an error of the send goes up as it came", async () => {
    const boom = new Error("AccessDenied");
    await expect(execute({ dryRun: false, aws }, awsCall("IAM", "CreateRole", {}, async () => { throw boom; }), () => undefined)).rejects.toBe(boom);
  });
});

describe("records", () => {
  it("Lambda's env values are shown as (secret), in a dry run and a real run alike; names and other fields stay", async () => {
    const input = { FunctionName: "demo-fn", MemorySize: 1024, Environment: { Variables: { API_TOKEN: "s3cret", MODE: "prod" } } };
    for (const dryRun of [true, false]) {
      const calls: CallRecord[] = [];
      const call = lambdaCalls.updateFunctionConfiguration(input);
      await execute({ dryRun, aws, calls }, { ...call, send: async () => ({}) }, () => ({}));
      expect(calls[0].input).toEqual({ FunctionName: "demo-fn", MemorySize: 1024, Environment: { Variables: { API_TOKEN: SECRET, MODE: SECRET } } });
      expect(JSON.stringify(calls)).not.toContain("s3cret");
      expect(calls[0]).not.toHaveProperty("send");
    }
    // The caller's input is left as it was: the real run sends the values.
    expect(input.Environment.Variables.API_TOKEN).toBe("s3cret");
  });

  it("CreateFunction hides env too; a call without secret paths is shown as built", () => {
    const create = recordOf(lambdaCalls.createFunction({ FunctionName: "f", Role: "r", Code: {}, Environment: { Variables: { K: "v" } } }));
    expect(create.input).toMatchObject({ Environment: { Variables: { K: SECRET } } });
    expect(recordOf(iamCalls.attachRolePolicy("role", "arn:aws:iam::aws:policy/P"))).toEqual({
      service: "IAM", operation: "AttachRolePolicy", input: { RoleName: "role", PolicyArn: "arn:aws:iam::aws:policy/P" },
    });
  });
});

describe("outcomeOf", () => {
  const rec = (operation: string, change?: string[]): CallRecord => ({ service: "Lambda", operation, input: {}, ...(change ? { change } : {}) });
  it("no write is up to date; a Create is a create; updates list their changes", () => {
    expect(outcomeOf([])).toBe("up to date");
    expect(outcomeOf([rec("CreateFunctionUrlConfig"), rec("AddPermission")])).toBe("create");
    expect(outcomeOf([rec("DeleteFunction"), rec("CreateFunction")])).toBe("recreate");
    expect(outcomeOf([rec("UpdateFunctionCode", ["image 3f2a… → 9c1b…"]), rec("UpdateFunctionConfiguration", ["memory 512 → 1024"])]))
      .toBe("update: image 3f2a… → 9c1b…, memory 512 → 1024");
    expect(outcomeOf([rec("UpdateAlias")])).toBe("update: Lambda.UpdateAlias");
  });
});
