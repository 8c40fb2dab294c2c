// Lambda answers ResourceConflictException for two different things: "it already exists" (a
// duplicate alias, URL config or statement id) and "The operation cannot be performed at this time.
// An update is in progress for resource: …" (another change to the function is under way). The
// message is not a contract, so the resource is read back to tell which: there → done; not there →
// another operation holds the function, so wait and try again, a bounded number of times.
// aws-apis.md §4.4–§4.6; https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html (Errors).
import { DeployError } from "../../errors.js";
import { errName } from "../../util/err-name.js";
import { sleep } from "../../util/retry.js";
import type { Context } from "../../steps/types.js";

const CONFLICT_RETRY = { tries: 6, baseMs: 2000, maxMs: 10_000 };

/**
 * Runs `create`; on ResourceConflictException asks `exists()`. Returns "created", or "existed" when
 * the thing turned out to be there (made by an earlier or concurrent run).
 */
export async function createOrFind(
  ctx: Context, what: string, create: () => Promise<unknown>, exists: () => Promise<boolean>,
): Promise<"created" | "existed"> {
  const { tries, baseMs, maxMs } = CONFLICT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      await create();
      return "created";
    } catch (e) {
      if (errName(e) !== "ResourceConflictException") throw e;
      if (await exists()) return "existed";
      if (attempt >= tries) {
        throw new DeployError(
          `${what}: Lambda kept answering that another operation on the function is in progress (${tries} tries)`,
          "let the other deploy or change finish, then re-run this command",
          { cause: e },
        );
      }
      const delay = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
      ctx.progress(`${what}: another operation on the function is in progress; trying again in ${Math.round(delay / 1000)}s`);
      await sleep(delay, ctx.signal);
    }
  }
}
