// What a dry run needs beside the real run's code: the field-level changes a write makes (for the
// plan: "memory 512 → 1024", never an env value), and the configuration a write would leave, so the
// steps after it (the alias) decide as they would in a real run. A real run waits for Lambda instead.
import type { FunctionConfiguration } from "../../aws/lambda.js";
import type { Context } from "../../steps/types.js";
import { configDrift, type DesiredConfig } from "./shared.js";
import { waitForFunction } from "./wait.js";
import { namedChanges, roleName } from "../service/changes.js";

/** A dry run's RevisionId of $LATEST after a planned write: Lambda gives a new one on every change. */
export const NEW_REVISION = "<revision after the write>";

/** The settings UpdateFunctionConfiguration changes, each as "what before → after". */
export function configChanges(cfg: FunctionConfiguration, want: DesiredConfig): string[] {
  return configDrift(cfg, want).map((name) => {
    switch (name) {
      case "role": return `role ${roleName(cfg.Role)} → ${roleName(want.Role)}`;
      case "memory": return `memory ${cfg.MemorySize ?? "?"} → ${want.MemorySize}`;
      case "timeout": return `timeout ${cfg.Timeout ?? "?"} → ${want.Timeout}`;
      case "ephemeralStorage": return `ephemeral storage ${cfg.EphemeralStorage?.Size ?? 512} → ${want.EphemeralStorage.Size}`;
      case "env": return namedChanges("env", cfg.Environment?.Variables ?? {}, want.Environment.Variables);
      default: return name;
    }
  });
}

/** $LATEST as CreateFunction would leave it, once Active. An image function's CodeSha256 is its image digest. */
export function createdConfig(
  input: Omit<DesiredConfig, "ImageConfig"> & { FunctionName: string; Architectures: string[]; ImageConfig?: DesiredConfig["ImageConfig"] },
  digest: string,
): FunctionConfiguration {
  const { ImageConfig, ...rest } = input;
  return <FunctionConfiguration>{
    ...rest, ImageConfigResponse: { ImageConfig: ImageConfig ?? {} },
    Version: "$LATEST", State: "Active", LastUpdateStatus: "Successful", CodeSha256: digest.replace(/^sha256:/, ""), RevisionId: NEW_REVISION,
  };
}

/**
 * After a write: the settled configuration. A real run waits for Lambda (wait.ts); a dry run sent
 * nothing, so it waits for nothing and goes on with what the write would leave.
 */
export async function settled(ctx: Context, name: string, projected: FunctionConfiguration): Promise<FunctionConfiguration> {
  return ctx.dryRun ? projected : waitForFunction(ctx, name);
}
