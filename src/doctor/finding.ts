// What `logship doctor` reports: one finding per check, each saying what, why and how to fix.
export type Severity = "ok" | "info" | "warning" | "error";

export interface Finding {
  id: string;
  severity: Severity;
  what: string;
  why?: string;
  fix?: string;
  /** Set when --fix repaired it. */
  fixed?: boolean;
}

const SYMBOL: Record<Severity, string> = { ok: "✔", info: "ℹ", warning: "⚠", error: "✖" };

export function formatFinding(f: Finding): string {
  const lines = [`${SYMBOL[f.severity]} ${f.severity.toUpperCase().padEnd(7)} ${f.what}${f.fixed ? " — fixed" : ""}`];
  if (f.why && f.severity !== "ok") lines.push(`          why: ${f.why}`);
  if (f.fix && f.severity !== "ok" && !f.fixed) lines.push(`          fix: ${f.fix}`);
  return lines.join("\n");
}
