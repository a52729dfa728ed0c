// Local files as sources: plain text, Markdown and HTML only. Anything else (PDF, Word, images) is
// refused by name, so the caller knows to paste the text instead of getting garbage read aloud.
import { open } from "node:fs/promises";
import path from "node:path";
import { AppError, invalidInput } from "../../errors.js";
import { MAX_SOURCE_BYTES } from "./limits.js";

export type TextFormat = "text" | "markdown" | "html";

const FORMATS: Record<string, TextFormat> = {
  ".txt": "text", ".text": "text",
  ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
  ".html": "html", ".htm": "html", ".xhtml": "html",
};
export const FILE_EXTENSIONS = Object.keys(FORMATS);

export interface RawFile {
  name: string;
  format: TextFormat;
  text: string;
  bytes: number;
}

export async function readTextFile(filePath: string, maxBytes = MAX_SOURCE_BYTES): Promise<RawFile> {
  if (typeof filePath !== "string" || filePath.trim() === "" || filePath.includes("\0")) throw invalidInput("file", "must be a file path");
  const ext = path.extname(filePath).toLowerCase();
  const format = FORMATS[ext];
  const name = path.basename(filePath);
  if (!format) {
    throw invalidInput("file", `${name}: only ${FILE_EXTENSIONS.join(", ")} files are supported (got "${ext || "no extension"}")`);
  }
  let handle;
  try {
    handle = await open(filePath, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw invalidInput("file", `${name}: no such file`);
    if (code === "EACCES" || code === "EPERM") throw invalidInput("file", `${name}: permission denied`);
    if (code === "EISDIR") throw invalidInput("file", `${name}: is a directory, not a file`);
    throw new AppError("internal", `file: ${name}: cannot open (${code ?? String(err)})`, { field: "file", cause: err });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw invalidInput("file", `${name}: is not a regular file`);
    if (st.size > maxBytes) throw invalidInput("file", `${name}: must be at most ${maxBytes} bytes (got ${st.size})`);
    // Read at most maxBytes + 1 even if the file grows meanwhile.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    if (bytesRead > maxBytes) throw invalidInput("file", `${name}: must be at most ${maxBytes} bytes`);
    const data = buf.subarray(0, bytesRead);
    if (data.includes(0)) throw invalidInput("file", `${name}: looks binary (contains NUL bytes), expected text`);
    return { name, format, text: new TextDecoder("utf-8").decode(data), bytes: bytesRead };
  } finally {
    await handle.close();
  }
}
