// `logship schema`: the JSON Schema of logship.yaml, for editor completion. It is the command's data:
// the text on stdout, and with --json the `schema` field of the envelope.
import { jsonSchema } from "../config/schema.js";
import type { CommandResult } from "../ui/result.js";

export function schema(opts: { dryRun?: boolean }): CommandResult {
  const doc = jsonSchema();
  return { command: "schema", dryRun: !!opts.dryRun, fields: { schema: doc }, text: JSON.stringify(doc, null, 2) };
}
