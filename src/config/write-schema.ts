// Build step: writes the JSON Schema generated from the zod schema into the package (schema/).
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { jsonSchema } from "./schema.js";

const dir = fileURLToPath(new URL("../../schema/", import.meta.url));
await mkdir(dir, { recursive: true });
await writeFile(`${dir}logship.schema.json`, `${JSON.stringify(jsonSchema(), null, 2)}\n`);
