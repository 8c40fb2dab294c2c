// `destroy local`: remove the app's container, and a half-swapped `-next` one if a run left it.
import { dockerRemoveArgs } from "../../docker/args.js";
import type { Context, Step } from "../../steps/types.js";
import { containerName, inspectContainer, nextContainerName } from "./container.js";
import { lockLocal } from "./lock.js";

export function localRemoveStep(): Step {
  const names = (ctx: Context) => [containerName(ctx.config.app), nextContainerName(ctx.config.app)];
  return {
    id: "local.remove",
    group: "local",
    title: (ctx) => `Remove container ${containerName(ctx.config.app)}`,
    describe: (ctx) => [{ kind: "docker", command: dockerRemoveArgs(containerName(ctx.config.app)) }],
    async isDone(ctx) {
      await lockLocal(ctx, "destroy");
      for (const name of names(ctx)) if (await inspectContainer(ctx, name)) return false;
      return "no container to remove";
    },
    async run(ctx) {
      for (const name of names(ctx)) if (await inspectContainer(ctx, name)) await ctx.docker(dockerRemoveArgs(name), { signal: ctx.signal });
      return "removed";
    },
  };
}
