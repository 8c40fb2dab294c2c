// What docker printed that explains a failure. Docker puts its real error on one line and
// follows it with a pointer to --help ("Run 'docker run --help' for more information" after a
// daemon error, "See 'docker run --help'." after a usage error); only the real line helps.

/** Lines docker adds to every failure of a command; they never say what went wrong. */
const BOILERPLATE = [
  /^Run '.*--help' for more information\.?$/,
  /^See '.*--help'( for more information)?\.?$/,
  // `docker start` repeats the names it could not start after the daemon's own reason.
  /^Error: failed to start containers?:/,
  // A foreground `docker run` whose create failed also logs that it stopped waiting.
  /^ERRO\[\d+\] error waiting for container: context canceled$/,
];

/** Lines that state an error (BuildKit prints its progress on stderr too; these stand out of it). */
const ERROR_LINE = /^(docker: )?(Error|ERROR|error)\b/;

const MAX = 600;

/**
 * docker's own error lines from a failed command's stderr, without the boilerplate: the lines
 * that say "error", else the last line that is left. `docker: ` is dropped (the caller names the
 * command); nothing else is reworded.
 */
export function dockerErrorLines(stderr: string): string[] {
  const all = stderr.split(/\r?\n/);
  // A usage error prints the command's synopsis (newer CLIs also its description) after the
  // error: from "Usage:" on, nothing says what went wrong.
  const usage = all.findIndex((l) => /^Usage:\s/.test(l.trim()));
  const lines = (usage >= 0 ? all.slice(0, usage) : all)
    .map((l) => l.trim())
    .filter((l) => l && !BOILERPLATE.some((re) => re.test(l)));
  if (!lines.length) return [];
  const errors = lines.filter((l) => ERROR_LINE.test(l));
  const chosen = errors.length ? errors : [lines.at(-1)!];
  // The same error twice (an engine that retries) says nothing new.
  return [...new Set(chosen.map((l) => l.replace(/^docker: /, "")))];
}

/** The error lines as one line, for a message; `fallback` when docker printed nothing useful. */
export function dockerErrorText(stderr: string, fallback = "no output"): string {
  const text = dockerErrorLines(stderr).join("; ") || fallback;
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}
