// What the HTTP server needs of a file to serve it with ranges and validators, and nothing more, so
// the same send code serves a file of the data dir today and an object of an S3-compatible store later
// (HEAD gives size, ETag and Last-Modified; GET with Range gives the bytes).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";

export interface ServedFile {
  size: number;
  /** A strong entity tag, quotes included (`"…"`): it changes whenever the bytes do. */
  etag: string;
  lastModified: Date;
  /** The bytes, or those from start to end inclusive. */
  open(range?: { start: number; end: number }): Promise<NodeJS.ReadableStream>;
}

/**
 * A file of the data dir, or undefined when there is none (or it is not a regular file). The tag is
 * size + mtime in ns: episode files are written whole to a temp name and renamed into place, so new
 * bytes always come with a new inode and mtime, which makes the tag strong enough for If-Range.
 */
export async function fileSource(file: string): Promise<ServedFile | undefined> {
  const st = await stat(file, { bigint: true }).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  const size = Number(st.size);
  return {
    size,
    etag: `"${st.size.toString(16)}-${st.mtimeNs.toString(16)}"`,
    lastModified: new Date(Number(st.mtimeMs)),
    open: async (range) => createReadStream(file, range ? { start: range.start, end: range.end } : {}),
  };
}

/** Bytes made in memory (the cover, the chapters), tagged by a hash of their content. */
export function bufferSource(bytes: Buffer, lastModified: Date): ServedFile {
  return {
    size: bytes.length,
    etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`,
    lastModified,
    open: async (range) => Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]),
  };
}
