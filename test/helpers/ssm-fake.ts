// Parameter Store at the SDK boundary, for the lock and release-record unit tests (the moto suite runs
// the same code against moto's SSM). It answers as the API reference documents:
// - PutParameter (API_PutParameter): Overwrite defaults to false; an existing name then fails with
//   ParameterAlreadyExists; each write makes the next Version (from 1); the newest 100 are kept.
// - GetParameter (API_GetParameter): ParameterNotFound for a missing name; LastModifiedDate is AWS's clock.
// - DeleteParameter (API_DeleteParameter): ParameterNotFound for a missing name; the history goes too.
// - GetParameterHistory (API_GetParameterHistory): oldest version first, MaxResults ≤ 50 with NextToken.
import { mockClient } from "aws-sdk-client-mock";
import {
  DeleteParameterCommand, GetParameterCommand, GetParameterHistoryCommand, ParameterAlreadyExists, ParameterNotFound,
  PutParameterCommand, SSMClient,
} from "@aws-sdk/client-ssm";

interface Version { Value: string; Version: number; LastModifiedDate: Date }

export function fakeSsm(clock: () => number = Date.now) {
  const mock = mockClient(SSMClient);
  const store = new Map<string, Version[]>();
  const notFound = () => new ParameterNotFound({ message: "", $metadata: { httpStatusCode: 400 } });
  mock.on(PutParameterCommand).callsFake((input) => {
    const versions = store.get(input.Name) ?? [];
    if (versions.length && !input.Overwrite) {
      throw new ParameterAlreadyExists({ message: "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.", $metadata: { httpStatusCode: 400 } });
    }
    const Version = (versions.at(-1)?.Version ?? 0) + 1;
    store.set(input.Name, [...versions, { Value: input.Value, Version, LastModifiedDate: new Date(clock()) }].slice(-100));
    return { Version, Tier: "Standard" };
  });
  mock.on(GetParameterCommand).callsFake((input) => {
    const latest = store.get(input.Name)?.at(-1);
    if (!latest) throw notFound();
    return { Parameter: { Name: input.Name, Type: "String", DataType: "text", ...latest } };
  });
  mock.on(DeleteParameterCommand).callsFake((input) => {
    if (!store.delete(input.Name)) throw notFound();
    return {};
  });
  mock.on(GetParameterHistoryCommand).callsFake((input) => {
    const versions = store.get(input.Name);
    if (!versions) throw notFound();
    const start = Number(input.NextToken ?? 0);
    const size = Math.min(input.MaxResults ?? 50, 50);
    const page = versions.slice(start, start + size).map((v) => ({ Name: input.Name, Type: "String", ...v }));
    return { Parameters: page, NextToken: start + size < versions.length ? String(start + size) : undefined };
  });
  return {
    mock,
    store,
    /** Writes a value as another run (or a person) would. */
    put(name: string, value: string) {
      const versions = store.get(name) ?? [];
      store.set(name, [...versions, { Value: value, Version: (versions.at(-1)?.Version ?? 0) + 1, LastModifiedDate: new Date(clock()) }]);
    },
    value: (name: string) => store.get(name)?.at(-1)?.Value,
    writes: () => mock.calls().filter((c) => ["PutParameterCommand", "DeleteParameterCommand"].includes(c.args[0].constructor.name)).map((c) => c.args[0].constructor.name.replace(/Command$/, "")),
  };
}
