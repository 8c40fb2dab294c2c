// Reads a config file's bytes as UTF-8 text, refusing anything that is not a small text file with
// one line naming the file: a directory, a file we may not read, a device like /dev/zero, a file over
// 1 MB, bytes that are not UTF-8. None of these is a bug in logship, so none may exit 70.
import { open, stat } from "node:fs/promises";
import { UserError } from "../errors.js";

/** A logship.yaml is a few kilobytes; a megabyte is already far more than any real one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const WHY: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOENT: "it does not exist",
  ELOOP: "it is a loop of symbolic links",
  ENOTDIR: "a folder on its path is a file",
};

/** One line for a failed open/stat/read (exported for its test: EACCES cannot be made as root). */
export function unreadable(err: unknown, display: string): UserError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why = (code && WHY[code]) ?? (code ? `error ${code}` : String((err as Error)?.message ?? err));
  const hint = code === "EACCES" || code === "EPERM" ? "check its permissions (ls -l), or run logship as a user who may read it" : undefined;
  return new UserError(`${display}: cannot read it: ${why}`, hint);
}

const tooBig = (display: string, size?: number) =>
  new UserError(
    `${display}: ${size === undefined ? "is longer than" : `is ${(size / 1024 / 1024).toFixed(1)} MB, over`} the ${MAX_CONFIG_BYTES / 1024 / 1024} MB a config file may have`,
    "pass the path of a logship.yaml or logship.json",
  );

/**
 * The first byte that is not UTF-8. A lenient decode puts U+FFFD where a bad sequence was; every
 * character before the first one is exact, so walking the decoded text counts bytes correctly up to
 * it. A real U+FFFD in the file is the three bytes EF BF BD and is passed over.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  let offset = 0;
  for (const ch of new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)) {
    const cp = ch.codePointAt(0)!;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (cp === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    offset += size;
  }
  return offset;
}

export function decodeUtf8(bytes: Uint8Array, display: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const lineStart = at === 0 ? 0 : bytes.lastIndexOf(0x0a, at - 1) + 1;
    const line = bytes.subarray(0, lineStart).filter((b) => b === 0x0a).length + 1;
    // Everything before `at` is valid UTF-8, so the column counts characters as an editor does.
    const col = [...new TextDecoder().decode(bytes.subarray(lineStart, at))].length + 1;
    throw new UserError(
      `${display}:${line}:${col}: not UTF-8 text: invalid byte 0x${bytes[at]?.toString(16).padStart(2, "0")} at offset ${at}`,
      "save the file as UTF-8 (most editors: \"Save with encoding\")",
    );
  }
}

export async function readConfigText(file: string, display: string): Promise<string> {
  const info = await stat(file).catch((e) => {
    throw unreadable(e, display);
  });
  if (info.isDirectory()) throw new UserError(`${display}: is a directory, not a config file`, "pass the path of a logship.yaml or logship.json");
  // A pipe or socket would block or never end; a character device (/dev/zero) is read with the cap below.
  if (info.isFIFO() || info.isSocket()) throw new UserError(`${display}: is not a file`, "pass the path of a logship.yaml or logship.json");
  if (info.isFile() && info.size > MAX_CONFIG_BYTES) throw tooBig(display, info.size);
  const handle = await open(file, "r").catch((e) => {
    throw unreadable(e, display);
  });
  try {
    // Read at most one byte past the cap: a file that grew since stat, or a device, stops there.
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null).catch((e) => {
        throw unreadable(e, display);
      });
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CONFIG_BYTES) throw tooBig(display);
    return decodeUtf8(buffer.subarray(0, length), display);
  } finally {
    await handle.close();
  }
}
