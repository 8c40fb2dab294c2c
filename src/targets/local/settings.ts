// Where the local container listens and under which names it runs, from targets.local (or the
// defaults when logship.yaml has no local block): shared by the run and smoke steps.
import { targetEnv } from "../../config/env.js";
import { containerName, nextContainerName } from "./container.js";
import type { Context, ImageState } from "../../steps/types.js";

export const localEnv = (ctx: Context): Record<string, string> => targetEnv(ctx.config, "local");

export function settings(ctx: Context, image: ImageState) {
  const t = ctx.config.targets.local ?? { port: 8000, bind: "127.0.0.1", env: {} };
  const host = t.bind === "0.0.0.0" || t.bind === "::" ? "127.0.0.1" : t.bind;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${t.port}`;
  return {
    base,
    url: `${base}${ctx.config.smoke.path}`,
    name: containerName(ctx.config.app),
    next: nextContainerName(ctx.config.app),
    image: image.imageId ?? image.localRefs[0],
    bind: t.bind,
    hostPort: t.port,
    containerPort: t.containerPort,
  };
}
