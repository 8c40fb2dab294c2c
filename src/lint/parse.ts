// Reads a Dockerfile for the linter, init and the stateful-app check with dockerfile-ast, the parser
// behind the Dockerfile language server: it knows the escape directive, line continuations (with
// comments inside them) and heredocs, so a script inside `RUN <<EOF` is never read as instructions.
// This file only flattens its tree into the few fields our checks need.
import { DockerfileParser, From, JSONInstruction, ModifiableInstruction, type Heredoc, type Instruction as AstInstruction } from "dockerfile-ast";

export interface Instruction {
  /** Upper-cased keyword: FROM, COPY, RUN, … */
  keyword: string;
  /** The words after the keyword (flags kept, continuations joined with one space), then one line per heredoc body. */
  args: string;
  /** The words after the keyword outside heredoc bodies, flags removed. */
  words: string[];
  /** `--name=value` flags (COPY --from, FROM --platform); a flag without "=" maps to null. */
  flags: Map<string, string | null>;
  /** The JSON (exec) form's strings: COPY ["a", "b"], VOLUME ["/data"]. */
  json?: string[];
  /** The bodies of the instruction's heredocs (`COPY <<EOF /dst`, `RUN <<EOF`). */
  heredocs: string[];
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

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

// Dockerfile reference: heredocs are read for RUN, COPY and ADD only.
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);

function toInstruction(ins: AstInstruction, text: string, starts: number[]): Instruction {
  const at = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  const keyword = ins.getKeyword().toUpperCase();
  // getHeredocs is public on Copy and Run, protected (same code) on the base class that Add uses.
  const docs = HEREDOC_KEYWORDS.has(keyword) ? (ins as unknown as { getHeredocs(): Heredoc[] }).getHeredocs() : [];
  // A heredoc body starts on the line after its `<<NAME`; arguments from there on belong to the body.
  const bodyLine = Math.min(...docs.map((d) => (d.getContentRange() ?? d.getDelimiterRange())?.start.line ?? Infinity));
  const words = ins.getArguments().filter((a) => a.getRange().start.line < bodyLine).map((a) => a.getValue());
  // ModifiableInstruction (FROM, COPY, RUN, …) leaves its --flags out of getArguments.
  const flagList = ins instanceof ModifiableInstruction ? ins.getFlags() : [];
  const flags = new Map(flagList.map((f) => [f.getName().toLowerCase(), f.getValue()] as const));
  const heredocs = docs.map((d) => {
    const r = d.getContentRange();
    return r ? text.slice(at(r.start), at(r.end)) : "";
  });
  const json = ins instanceof JSONInstruction && ins.getOpeningBracket() ? ins.getJSONStrings().map((s) => s.getJSONValue()) : undefined;
  return {
    keyword,
    args: [[...flagList.map((f) => f.toString()), ...words].join(" "), ...heredocs].filter(Boolean).join("\n"),
    words,
    flags,
    json,
    heredocs,
    line: ins.getRange().start.line + 1,
  };
}

export function parseInstructions(text: string): Instruction[] {
  const starts = lineStarts(text);
  return DockerfileParser.parse(text).getInstructions().map((ins) => toInstruction(ins, text, starts));
}

export function substituteArgs(value: string, args: Map<string, string | undefined>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a, dflt, b) => {
    const name = a ?? b;
    return args.get(name) ?? dflt ?? whole;
  });
}

export function parseStages(text: string): Stage[] {
  const starts = lineStarts(text);
  const dockerfile = DockerfileParser.parse(text);
  // ARG defaults declared before the first FROM, for `FROM python:${PY_VERSION}`.
  const args = new Map<string, string | undefined>();
  for (const arg of dockerfile.getInitialARGs()) {
    const p = arg.getProperty();
    if (p) args.set(p.getName(), p.getValue() ?? undefined);
  }
  const stages: Stage[] = [];
  for (const ins of dockerfile.getInstructions()) {
    const flat = toInstruction(ins, text, starts);
    if (ins instanceof From) {
      stages.push({ from: flat, image: substituteArgs(ins.getImage() ?? "", args), name: ins.getBuildStage()?.toLowerCase(), instructions: [] });
    } else if (stages.length) {
      stages.at(-1)!.instructions.push(flat);
    }
  }
  return stages;
}

/** COPY/ADD sources from the build context: flags, the destination and heredoc inline files dropped. */
export function copySources(ins: Instruction): { sources: string[]; from?: string } {
  const words = ins.json ?? ins.words;
  const sources = words.slice(0, -1).filter((w) => !(ins.heredocs.length && w.startsWith("<<")));
  return { sources, from: ins.flags.get("from") ?? undefined };
}
