// templates/*: plain files with {{name}} placeholders. GitHub's own ${{ … }} expressions are left alone.
import { access, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** templates/ at the package root: ../../templates from src/init and from dist/init alike. */
export const TEMPLATES_DIR = fileURLToPath(new URL("../../templates/", import.meta.url));

/** strict: an unknown placeholder is a bug (our own templates); lenient leaves it as written. */
export function render(template: string, vars: Record<string, string>, strict = true): string {
  return template.replace(/(?<!\$)\{\{([a-z_]+)\}\}/g, (whole, name: string) => {
    if (name in vars) return vars[name];
    if (strict) throw new Error(`template placeholder {{${name}}} has no value`);
    return whole;
  });
}

export async function readTemplate(name: string): Promise<string | undefined> {
  const file = `${TEMPLATES_DIR}${name}`;
  if (!(await access(file).then(() => true, () => false))) return undefined;
  return readFile(file, "utf8");
}

export async function renderTemplate(name: string, vars: Record<string, string>): Promise<string> {
  const text = await readTemplate(name);
  if (text === undefined) throw new Error(`template ${name} is missing from ${TEMPLATES_DIR}`);
  return render(text, vars);
}
