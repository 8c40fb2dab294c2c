// What AWS documents about Fargate sizes and an Express deployment's course, as data for the fake
// in ecs-express-fake.ts (kept apart from logship's own table in src/config/rules.ts on purpose).
import type { ServiceDeploymentLifecycleStage, ServiceDeploymentStatus } from "@aws-sdk/client-ecs";

/** Fargate's task size table (fargate-tasks-services.html#fargate-tasks-size). */
export function fargateOk(cpu: number, memory: number): boolean {
  const range = (min: number, max: number, step: number) => memory >= min && memory <= max && (memory - min) % step === 0;
  switch (cpu) {
    case 256: return [512, 1024, 2048].includes(memory);
    case 512: return range(1024, 4096, 1024);
    case 1024: return range(2048, 8192, 1024);
    case 2048: return range(4096, 16384, 1024);
    case 4096: return range(8192, 30720, 1024);
    case 8192: return range(16384, 61440, 4096);
    case 16384: return range(32768, 122880, 8192);
    default: return false;
  }
}

/** Seconds after its start at which a deployment enters each stage, for the canary of the docs. */
export const TIMELINE: [number, ServiceDeploymentStatus, ServiceDeploymentLifecycleStage | undefined][] = [
  [0, "PENDING", undefined],
  [10, "IN_PROGRESS", "SCALE_UP"],
  [60, "IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT"], // 5% for 3 min
  [240, "IN_PROGRESS", "BAKE_TIME"], // 100%, 3 min bake
  [420, "IN_PROGRESS", "CLEAN_UP"],
  [450, "SUCCESSFUL", undefined],
];

