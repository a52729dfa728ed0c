// Local files as sources: text, Markdown, HTML, PDF, Word (.docx) and EPUB. Anything else is
// refused by name, so the caller knows to paste the text instead of getting garbage read aloud.
//
// The file judged is the one that would be read, not the name given (issue 8 §7):
// - symbolic links are resolved first (realpath), and the extension, the type and the place of
//   the target decide: a link "notes.txt" to a password file or to the server's own state is
//   refused by what it points at;
// - only regular files are opened: a FIFO, socket, device or directory is refused from stat,
//   without opening it. open() on a FIFO waits for a writer and holds one of libuv's four pool
//   threads while it waits, so four FIFOs used to stall every file read, DNS lookup and audio
//   serve of the process. The open itself is O_NONBLOCK | O_NOFOLLOW, and the opened descriptor
//   must be the file that was checked (same device and inode), so a FIFO or link swapped in
//   between the check and the open is refused without blocking either;
// - the size from stat is not trusted: procfs-style files say 0 and have content, so the file is
//   read to its end, up to the cap.
import { constants, type Stats } from "node:fs";
import { type FileHandle, open, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { AppError, invalidInput } from "../errors.js";
import { EXTENSION_FORMATS, FILE_EXTENSIONS, isDocumentFormat, type Format } from "./formats.js";
import { MAX_DOCUMENT_BYTES, MAX_SOURCE_BYTES } from "./limits.js";

export { FILE_EXTENSIONS };

export interface RawFile {
  /** The name the caller gave (its base name): messages never show where a link points. */
  name: string;
  format: Format;
  data: Buffer;
}

export interface ReadFileOptions {
  /** Cap on the bytes read, for every format (default: 5 MB for text and HTML, 50 MB for documents). */
  maxBytes?: number;
  /** Directories no source may come from, such as the server's data dir (it holds the DB secret). */
  deniedDirs?: readonly string[];
}

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function openError(name: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return invalidInput("file", `${name}: no such file`);
  if (code === "EACCES" || code === "EPERM") return invalidInput("file", `${name}: permission denied`);
  if (code === "EISDIR") return invalidInput("file", `${name}: is a directory, not a file`);
  if (code === "ELOOP") return invalidInput("file", `${name}: too many levels of symbolic links`);
  return new AppError("internal", `file: ${name}: cannot open (${code ?? String(err)})`, { field: "file", cause: err });
}

function notRegular(name: string, st: Stats): AppError | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return invalidInput("file", `${name}: is a directory, not a file`);
  if (st.isFIFO()) return invalidInput("file", `${name}: is a named pipe (FIFO), not a regular file`);
  if (st.isSocket()) return invalidInput("file", `${name}: is a socket, not a regular file`);
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    return invalidInput("file", `${name}: is a device, not a regular file`);
  }
  return invalidInput("file", `${name}: is not a regular file`);
}

async function isInside(target: string, dirs: readonly string[]): Promise<boolean> {
  for (const dir of dirs) {
    const real = await realpath(dir).catch(() => path.resolve(dir));
    if (target === real || target.startsWith(real.endsWith(path.sep) ? real : real + path.sep)) return true;
  }
  return false;
}

export async function readSourceFile(filePath: string, opts: ReadFileOptions = {}): Promise<RawFile> {
  if (typeof filePath !== "string" || filePath.trim() === "" || filePath.includes("\0"))
    throw invalidInput("file", "must be a file path");
  const name = path.basename(filePath);
  let target: string;
  try {
    target = await realpath(filePath);
  } catch (err) {
    throw openError(name, err);
  }
  if (opts.deniedDirs?.length && (await isInside(target, opts.deniedDirs))) {
    throw invalidInput("file", `${name}: is inside the server's data directory, which is never read as a source`);
  }
  const ext = path.extname(target).toLowerCase();
  const format = EXTENSION_FORMATS[ext];
  if (!format) {
    const got = ext || "no extension";
    const linked = path.basename(target) !== name ? `links to a file of another type (${got})` : `got "${got}"`;
    throw invalidInput("file", `${name}: only ${FILE_EXTENSIONS.join(", ")} files are supported (${linked})`);
  }
  const maxBytes = opts.maxBytes ?? (isDocumentFormat(format) ? MAX_DOCUMENT_BYTES : MAX_SOURCE_BYTES);
  let checked: Stats;
  try {
    checked = await stat(target);
  } catch (err) {
    throw openError(name, err);
  }
  const refusal = notRegular(name, checked);
  if (refusal) throw refusal;
  if (checked.size > maxBytes) {
    throw invalidInput("file", `${name}: must be at most ${maxBytes} bytes (got ${checked.size})`);
  }
  const data = await readRegularFile(target, maxBytes, { name, expect: checked });
  return { name, format, data };
}

/**
 * Read a regular file to its end, at most maxBytes, without ever blocking on what is not one.
 * `expect`: the stat taken before, which the opened file must match.
 */
export async function readRegularFile(
  file: string,
  maxBytes: number,
  opts: { name?: string; expect?: Stats } = {},
): Promise<Buffer> {
  const name = opts.name ?? path.basename(file);
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  } catch (err) {
    throw openError(name, err);
  }
  try {
    const st = await handle.stat();
    const refusal = notRegular(name, st);
    if (refusal) throw refusal;
    if (opts.expect && (st.dev !== opts.expect.dev || st.ino !== opts.expect.ino)) {
      throw invalidInput("file", `${name}: changed while it was being opened; try again`);
    }
    // Sized from stat, grown as needed: a file that reports 0 bytes (procfs) may still hold some.
    let buf = Buffer.alloc(Math.min(Math.max(st.size, 0), maxBytes) + 1 || 64 * 1024);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (buf.length > maxBytes) break;
        const bigger = Buffer.alloc(Math.min(Math.max(buf.length * 2, 64 * 1024), maxBytes + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) throw invalidInput("file", `${name}: must be at most ${maxBytes} bytes`);
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}
