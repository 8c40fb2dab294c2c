// The local target: the image runs as a container on this machine's Docker engine (no registry).
// Deploy runs it beside the old one and swaps on a good smoke test; destroy removes it; logs reads
// `docker logs`. No audit: doctor's Docker checks (src/doctor/local-checks.ts) serve every command.
import { localLogs } from "./logs.js";
import { localRemoveStep } from "./remove.js";
import { localRunStep } from "./run.js";
import { localSmokeStep } from "./smoke.js";
import { localStatus } from "./status.js";
import type { Target } from "../types.js";

export const local: Target = {
  needsRegistry: false,
  deploySteps: (_ctx, image) => [localRunStep(image), localSmokeStep(image)],
  destroySteps: () => [localRemoveStep()],
  status: localStatus,
  // No CloudWatch: `docker logs` of the container.
  readLogs: localLogs,
};
