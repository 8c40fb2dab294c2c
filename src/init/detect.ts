// What kind of app lives in a directory: language, framework, entry point, port, health route.
// Reads files only; never runs the project's code or its package manager.
import { detectPython } from "./python.js";
import { detectNode } from "./node.js";
import { parseInstructions } from "../lint/parse.js";
import { DEFAULT_PORT, listFiles, readText, type Detection } from "./sources.js";

const DOCKERFILES = ["Dockerfile", "docker/Dockerfile", "deploy/Dockerfile", "build/Dockerfile"];

/** The project's own Dockerfile and the port it EXPOSEs (or passes to the server as --port / -p). */
export async function existingDockerfile(root: string): Promise<Detection["dockerfile"]> {
  for (const rel of DOCKERFILES) {
    const text = await readText(root, rel);
    if (text === undefined) continue;
    const instructions = parseInstructions(text);
    for (const ins of [...instructions].reverse()) {
      const m = ins.keyword === "EXPOSE" ? /^(\d+)/.exec(ins.args.trim())
        : ins.keyword === "CMD" || ins.keyword === "ENTRYPOINT" ? /--port["',\s=]+(\d+)/.exec(ins.args) : null;
      if (m) return { path: rel, port: Number(m[1]), portSource: `${rel}:${ins.line} ${ins.keyword}` };
    }
    return { path: rel };
  }
  return undefined;
}

export async function detect(root: string): Promise<Detection> {
  const found = (await detectPython(root)) ?? (await detectNode(root));
  const dataFiles = await listFiles(root, [".db", ".sqlite", ".sqlite3"]);
  const dockerfile = await existingDockerfile(root);
  if (found) return { ...found, dataFiles, dockerfile };
  return {
    language: "unknown", framework: "unknown", port: DEFAULT_PORT, healthPath: "/",
    manifests: [], install: "", cmd: "", ignore: [], dataFiles, dockerfile,
    notes: ["no pyproject.toml, requirements.txt or package.json here: the config is generic, fill in the TODOs"],
  };
}
