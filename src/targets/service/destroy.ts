// The destroy shape every AWS target shares: find the resource (absent is already done), delete it
// (gone meanwhile is as good as deleted: the adapter's delete swallows that), wait until AWS says it
// is gone. Then, with --with-roles, the roles logship made for it (src/steps/iam-role.ts).
import type { Context, PlannedAction, Step } from "../../steps/types.js";

export interface DeleteAdapter<H> {
  id: string;
  group: string;
  title(ctx: Context): string;
  describe(ctx: Context): PlannedAction[];
  /** The resource to delete, or undefined when there is none (the step is then done). */
  find(ctx: Context): Promise<H | undefined>;
  /** Why the step is done when find() found nothing ("no service"). */
  absent: string;
  delete(ctx: Context, found: H): Promise<void>;
  /** Until AWS reports it gone; omitted where the delete is immediate. */
  waitGone?(ctx: Context, found: H): Promise<void>;
  /** The result line ("deleted shop"). */
  deleted(ctx: Context): string;
}

export function deleteStep<H>(a: DeleteAdapter<H>): Step {
  let found: H | undefined;
  return {
    id: a.id,
    group: a.group,
    title: (ctx) => a.title(ctx),
    describe: (ctx) => a.describe(ctx),
    async isDone(ctx) {
      found = await a.find(ctx);
      return found === undefined ? a.absent : false;
    },
    async run(ctx) {
      await a.delete(ctx, found!);
      await a.waitGone?.(ctx, found!);
      return a.deleted(ctx);
    },
  };
}

/** The resource first (it uses the roles), then the roles when --with-roles asks for them. */
export function destroyList(ctx: Context, resource: Step[], roles: () => Step[]): Step[] {
  return [...resource, ...(ctx.options.withRoles ? roles() : [])];
}
