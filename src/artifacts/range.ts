// One rule for byte ranges in both stores, so the HTTP layer sees the same answer from either.
import { Transform, type Readable } from "node:stream";
import { invalidInput } from "../errors.js";
import type { ByteRange } from "./types.js";

/** Well-formed: whole numbers, 0 ≤ start ≤ end. Checked before any request or file is opened. */
export function checkRange(range: ByteRange): ByteRange {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw invalidInput("range", "must be whole numbers with 0 <= start <= end");
  }
  return range;
}

/** Clamp `end` to the last byte; a start at or past the size cannot be served (HTTP 416). */
export function clampRange(range: ByteRange, size: number): ByteRange {
  checkRange(range);
  if (range.start >= size) throw invalidInput("range", `start must be below the size (${size} bytes)`);
  return { start: range.start, end: Math.min(range.end, size - 1) };
}

/**
 * `length` bytes of `src` after skipping `skip`; the source is released as soon as they are out.
 * For servers that serve more than the Range asked for (s3rver 3.7 answers `bytes=0-0` with the
 * whole object; a server may ignore Range and send 200): HTTP callers promised exact bytes.
 */
export function sliceStream(src: Readable, skip: number, length: number): Readable {
  const end = skip + length;
  let pos = 0;
  let done = false;
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!done) {
        const from = Math.max(0, skip - pos);
        const to = Math.min(chunk.length, end - pos);
        pos += chunk.length;
        if (to > from) this.push(chunk.subarray(from, to));
        if (pos >= end) {
          done = true;
          this.push(null);
          src.unpipe(out);
          src.destroy();
        }
      }
      cb();
    },
  });
  src.on("error", (err) => {
    if (!done) out.destroy(err);
  });
  return src.pipe(out);
}
