// A small Dockerfile reader for the linter: joins line continuations, drops comments, splits stages.
// Not a full parser (no heredocs, no escape directive): enough to see FROM/COPY/RUN/USER/VOLUME.

export interface Instruction {
  /** Upper-cased keyword: FROM, COPY, RUN, … */
  keyword: string;
  /** Everything after the keyword, continuations joined with a space. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface Stage {
  from: Instruction;
  /** The base image as written, ARGs substituted where they have defaults. */
  image: string;
  /** `FROM … AS name`, lower-cased. */
  name?: string;
  instructions: Instruction[];
}

export function parseInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let current: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comment lines inside a continuation are skipped by Docker too.
    if (trimmed.startsWith("#")) return;
    if (!current) {
      if (!trimmed) return;
      current = { parts: [], line: i + 1 };
    }
    const continued = /\\\s*$/.test(raw);
    current.parts.push(continued ? trimmed.replace(/\\\s*$/, "").trim() : trimmed);
    if (!continued) {
      out.push(toInstruction(current.parts.filter(Boolean).join(" "), current.line));
      current = undefined;
    }
  });
  if (current) out.push(toInstruction(current.parts.filter(Boolean).join(" "), current.line));
  return out;
}

function toInstruction(text: string, line: number): Instruction {
  const m = /^(\S+)\s*(.*)$/.exec(text)!;
  return { keyword: m[1].toUpperCase(), args: m[2], line };
}

/** ARG defaults declared before the first FROM, for `FROM python:${PY_VERSION}`. */
function globalArgs(instructions: Instruction[]): Map<string, string | undefined> {
  const args = new Map<string, string | undefined>();
  for (const ins of instructions) {
    if (ins.keyword === "FROM") break;
    if (ins.keyword !== "ARG") continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(ins.args.trim());
    if (m) args.set(m[1], m[2]?.replace(/^["']|["']$/g, ""));
  }
  return args;
}

export function substituteArgs(value: string, args: Map<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a, dflt, b) => {
    const name = a ?? b;
    return args.get(name) ?? dflt ?? whole;
  });
}

export function parseStages(text: string): Stage[] {
  const instructions = parseInstructions(text);
  const args = globalArgs(instructions);
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const asAt = words.findIndex((w) => w.toLowerCase() === "as");
      stages.push({
        from: ins,
        image: substituteArgs(words[0] ?? "", args),
        name: asAt > 0 ? words[asAt + 1]?.toLowerCase() : undefined,
        instructions: [],
      });
    } else if (stages.length) {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return stages;
}

/** COPY/ADD sources (flags and the destination dropped); JSON form too. */
export function copySources(ins: Instruction): { sources: string[]; from?: string } {
  let args = ins.args.trim();
  let from: string | undefined;
  const flags = /^(--[a-z-]+(?:=\S+)?\s+)*/i.exec(args)?.[0] ?? "";
  for (const f of flags.split(/\s+/)) {
    const m = /^--from=(\S+)$/i.exec(f);
    if (m) from = m[1];
  }
  args = args.slice(flags.length);
  let words: string[];
  if (args.startsWith("[")) {
    try {
      words = JSON.parse(args);
    } catch {
      words = args.split(/\s+/);
    }
  } else {
    words = args.split(/\s+/);
  }
  return { sources: words.slice(0, -1), from };
}
