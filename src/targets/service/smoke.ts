// The smoke test of a target reached over a URL (App Runner, ECS; Lambda's function URL can use it
// too): once the deploy step recorded the URL, GET it until it answers smoke.expectStatus. Honours
// --no-smoke / smoke.enabled: false through switchableSmoke (src/steps/smoke-http.ts).
import { smokeDetail, smokeExpectation, smokeGet, switchableSmoke } from "../../steps/smoke-http.js";
import type { Context, Step } from "../../steps/types.js";
import { outputOf, recordOutput } from "../../steps/outputs.js";

export interface SmokeDeps {
  /** Injected by tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

/** The URL the deploy step recorded under ctx.targets.<group>, plus smoke.path; undefined before. */
export function recordedUrl(ctx: Context, group: string): string | undefined {
  const base = outputOf(ctx, group)?.url;
  return base ? `${base}${ctx.config.smoke.path}` : undefined;
}

export interface UrlSmoke extends SmokeDeps {
  /** The target: the step is `<group>.smoke-test` and its status lands in ctx.targets.<group>. */
  group: string;
  /** The URL to GET, once the deploy step recorded one. */
  url(ctx: Context): string | undefined;
  /** What the title and plan show before there is a URL ("https://<service url>/health"). */
  placeholder(ctx: Context): string;
  /** Why nothing is tested when url() has nothing. */
  noUrl(ctx: Context): string;
  /** Where the app's own output is, for the hint when the URL never answers. */
  logsHint?(ctx: Context): string | undefined;
}

export function urlSmokeStep(s: UrlSmoke): Step {
  const shown = (ctx: Context) => s.url(ctx) ?? s.placeholder(ctx);
  return switchableSmoke({
    id: `${s.group}.smoke-test`,
    group: s.group,
    // A dry run plans the GET: nothing after it reads what it would answer.
    dryRun: "inert",
    title: (ctx) => `Smoke test ${shown(ctx)}`,
    describe: (ctx) => [{ kind: "http", command: `GET ${shown(ctx)}`, note: smokeExpectation(ctx) }],
    async isDone(ctx) {
      return s.url(ctx) ? false : s.noUrl(ctx);
    },
    async run(ctx) {
      const answer = await smokeGet(ctx, s.url(ctx)!, { fetch: s.fetch, logsHint: s.logsHint?.(ctx) });
      recordOutput(ctx, s.group, { status: answer.status });
      return smokeDetail(answer);
    },
  });
}
