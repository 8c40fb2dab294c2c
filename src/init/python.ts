// Python apps: requirements.txt / pyproject.toml → FastAPI, Flask or a plain script.
import { DEFAULT_PORT, findPort, pickHealthPath, readSources, readText, type Detection, type SourceFile } from "./sources.js";

/** Dependency names, lower-case, `_`/`.` normalised to `-` (PEP 503). */
export function requirementNames(text: string): string[] {
  return text.split(/\r?\n/)
    .map((l) => l.replace(/#.*/, "").trim())
    .filter((l) => l && !l.startsWith("-"))
    .map((l) => normalise(l.split(/[\s<>=!~;[@(]/)[0]))
    .filter(Boolean);
}

const normalise = (name: string) => name.toLowerCase().replace(/[_.]+/g, "-");

/** [project].dependencies strings and [tool.poetry.dependencies] keys. */
export function pyprojectInfo(text: string): { name?: string; deps: string[] } {
  let section = "";
  const deps: string[] = [];
  let name: string | undefined;
  let inArray = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, "").trim();
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) { section = header[1].trim(); inArray = false; continue; }
    if (section === "project") {
      const n = /^name\s*=\s*["']([^"']+)["']/.exec(line);
      if (n) name = n[1];
      if (/^dependencies\s*=\s*\[/.test(line)) inArray = true;
      if (inArray) {
        for (const m of line.matchAll(/["']([^"']+)["']/g)) deps.push(...requirementNames(m[1]));
        if (line.includes("]")) inArray = false;
      }
    } else if (section === "tool.poetry") {
      const n = /^name\s*=\s*["']([^"']+)["']/.exec(line);
      if (n) name ??= n[1];
    } else if (section === "tool.poetry.dependencies") {
      const k = /^([A-Za-z0-9_.-]+)\s*=/.exec(line);
      if (k && k[1] !== "python") deps.push(normalise(k[1]));
    }
  }
  return { name, deps };
}

/** `app = FastAPI(` in src/main.py → "src.main:app"; main.py and app.py win ties. */
export function findAppObject(files: SourceFile[], ctor: string): string | undefined {
  const re = new RegExp(`^([A-Za-z_][A-Za-z0-9_]*)\\s*(?::[^=]*)?=\\s*(?:[A-Za-z_.]*\\.)?${ctor}\\(`, "m");
  const rank = (f: SourceFile) => (/^(main|app)\.py$/.test(f.rel) ? 0 : f.rel.includes("/") ? 2 : 1);
  for (const f of [...files].sort((a, b) => rank(a) - rank(b))) {
    const m = re.exec(f.text);
    if (m) return `${f.rel.replace(/\.py$/, "").replace(/\//g, ".")}:${m[1]}`;
  }
  return undefined;
}

const PORT_PATTERNS = [
  /uvicorn\.run\([^)]*port\s*=\s*(\d+)/,
  /\.run\([^)]*port\s*=\s*(\d+)/,
  /(?:environ\.get|getenv)\(\s*["']PORT["']\s*,\s*["']?(\d+)/,
  /--port[= ](\d+)/,
];

export async function detectPython(root: string): Promise<Omit<Detection, "dataFiles"> | undefined> {
  const requirements = await readText(root, "requirements.txt");
  const pyproject = await readText(root, "pyproject.toml");
  if (requirements === undefined && pyproject === undefined) return undefined;
  const info = pyproject ? pyprojectInfo(pyproject) : { deps: [] as string[] };
  const deps = new Set([...(requirements ? requirementNames(requirements) : []), ...info.deps]);
  const sources = await readSources(root, [".py"]);
  const scripts = await Promise.all(["Procfile", "Makefile", "start.sh"].map(async (rel) => ({ rel, text: (await readText(root, rel)) ?? "" })));
  const notes: string[] = [];

  const fastapiApp = findAppObject(sources, "FastAPI");
  const flaskApp = findAppObject(sources, "Flask");
  const framework = deps.has("fastapi") || (fastapiApp && !deps.has("flask")) ? "fastapi" : deps.has("flask") || flaskApp ? "flask" : "plain";
  const found = findPort([...sources, ...scripts], PORT_PATTERNS);

  const manifests = requirements !== undefined ? ["requirements.txt"] : ["pyproject.toml"];
  let install = requirements !== undefined
    ? "pip install -r requirements.txt"
    // pyproject.toml alone: install its [project] dependencies without the source, so the layer stays cached.
    : `python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb')).get('project', {}).get('dependencies', [])))" > /tmp/requirements.txt && pip install -r /tmp/requirements.txt`;
  if (requirements === undefined && !/^\s*\[project\]/m.test(pyproject ?? "")) {
    notes.push("pyproject.toml has no [project] table (Poetry?): change the Dockerfile's install line to your tool's (e.g. poetry export, uv sync)");
  }

  let entry: string | undefined;
  let cmd: string;
  if (framework === "fastapi") {
    entry = fastapiApp ?? "main:app";
    if (!fastapiApp) notes.push("no `FastAPI(` found in *.py: the Dockerfile assumes main:app");
    if (!deps.has("uvicorn")) {
      install += " && pip install uvicorn";
      notes.push("uvicorn is not in your dependencies: the Dockerfile installs it; better add it to requirements");
    }
    cmd = `exec uvicorn ${entry} --host 0.0.0.0 --port \${PORT}`;
  } else if (framework === "flask") {
    entry = flaskApp ?? "app:app";
    if (!flaskApp) notes.push("no `Flask(` found in *.py: the Dockerfile assumes app:app");
    if (deps.has("gunicorn")) {
      cmd = `exec gunicorn --bind 0.0.0.0:\${PORT} ${entry}`;
    } else {
      cmd = `exec flask --app ${entry} run --host 0.0.0.0 --port \${PORT}`;
      notes.push("Flask's development server runs the app: add gunicorn to your dependencies and re-run `logship init --force` for a production server");
    }
  } else {
    const main = sources.find((f) => /__name__\s*==\s*["']__main__["']/.test(f.text)) ?? sources.find((f) => /^(main|app|server)\.py$/.test(f.rel));
    entry = main?.rel ?? "main.py";
    if (!main) notes.push("no entry script found: the Dockerfile runs main.py");
    cmd = JSON.stringify(["python", entry]).replace(/","/g, "\", \"");
    if (!found) notes.push(`the port could not be read: the app must listen on $PORT (${DEFAULT_PORT})`);
  }

  const routeRe = /@\w+\.(?:get|route|api_route)\(\s*["'](\/[^"'?]*)["']/g;
  const health = pickHealthPath(sources, routeRe, framework === "fastapi" ? "/docs" : "/");
  return {
    language: "python", framework, name: info.name, entry,
    port: found?.port ?? DEFAULT_PORT, portSource: found?.source,
    healthPath: health.path, healthSource: health.source ?? (framework === "fastapi" ? "FastAPI serves /docs by default" : undefined),
    manifests, install, cmd,
    ignore: ["__pycache__", "*.pyc", ".venv", "venv", ".pytest_cache", ".mypy_cache"],
    notes,
  };
}
