// --dry-run in text mode, numbered by step. A step that read live state says what a real run would do
// ("up to date", "create", "update: memory 512 → 1024") and lists the writes the executor kept
// (src/aws/execute.ts, secrets already hidden); any other step lists the calls its describe() plans.
import type { StepResult } from "../pipeline.js";

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
const json = (input: unknown) => (input !== undefined ? ` ${JSON.stringify(input)}` : "");

export function formatPlan(command: string, results: StepResult[]): string {
  const live = results.some((r) => r.outcome !== undefined);
  const lines = [live
    ? `Dry run of \`logship ${command}\`: live state read, nothing written. What a real run would do:`
    : `Dry run of \`logship ${command}\`: nothing was run. The plan:`];
  results.forEach((r, i) => {
    lines.push(`${i + 1}. ${r.group ? `[${r.group}] ` : ""}${r.title}${r.outcome !== undefined ? `: ${r.outcome}` : ""}`);
    if (r.why) lines.push(`   (${r.why})`);
    for (const w of r.writes ?? []) lines.push(`   aws ${w.service}.${w.operation}${json(w.input)}`);
    if (r.outcome !== undefined && !r.outcome.startsWith("would fail")) return;
    for (const a of r.actions ?? []) {
      const what = Array.isArray(a.command) ? `$ docker ${a.command.map(quote).join(" ")}` : a.kind === "aws" ? `aws ${a.command}` : a.command;
      lines.push(`   ${what}${json(a.input)}`);
      if (a.note) lines.push(`     (${a.note})`);
    }
  });
  return `${lines.join("\n")}\n`;
}
