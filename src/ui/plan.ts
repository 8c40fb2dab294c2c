// --dry-run in text mode: the exact commands and AWS calls, numbered, secrets already left out.
import type { StepResult } from "../pipeline.js";

const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

export function formatPlan(command: string, results: StepResult[]): string {
  const lines = [`Dry run of \`logship ${command}\`: nothing was run. The plan:`];
  results.forEach((r, i) => {
    lines.push(`${i + 1}. ${r.group ? `[${r.group}] ` : ""}${r.title}`);
    for (const a of r.actions ?? []) {
      const what = Array.isArray(a.command) ? `$ docker ${a.command.map(quote).join(" ")}` : a.kind === "aws" ? `aws ${a.command}` : a.command;
      lines.push(`   ${what}${a.input !== undefined ? ` ${JSON.stringify(a.input)}` : ""}`);
      if (a.note) lines.push(`     (${a.note})`);
    }
  });
  return `${lines.join("\n")}\n`;
}
