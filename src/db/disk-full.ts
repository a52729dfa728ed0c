// A full disk, as the embedded engine reports it, turned into words a person can act on. Measured on
// a 8 MB tmpfs: once RocksDB cannot append to its write-ahead log, every write fails within ~10 ms
// with "IO error: No space left on device: While appending to file: …/000004.log" (RLIMIT_FSIZE
// gives the same with "File too large"), reads keep working, and writes keep failing even after
// space is freed: the store recovers only when it is opened again, and the engine keeps its lock
// until the process exits (measured: a reopen in the same process fails with "lock hold by current
// process" for 10 s and more). So the host keeps serving, says "disk full", and asks to be restarted
// once there is room again (see host.ts).
import { codec, isEngineError } from "./rpc-envelope.js";

const DISK_FULL = /No space left on device|Disk quota exceeded|File too large/i;
/** Cheap pre-check on the raw bytes: every engine IO error message contains it. */
const IO_ERROR = Buffer.from("IO error");

export function isDiskFull(message: string): boolean {
  return DISK_FULL.test(message);
}

export function diskFullMessage(storeDir: string, original: string): string {
  return (
    `disk full: the local DB host could not write to ${storeDir} (${original}). ` +
    "Free space on that disk; reads still work meanwhile"
  );
}

/**
 * The engine's answer with every disk-full error message reworded, and the original message of
 * the first one; undefined when the answer holds none (the common case costs one byte search).
 */
export function rewordDiskFull(raw: Uint8Array, storeDir: string): { raw: Uint8Array; original: string } | undefined {
  if (Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).indexOf(IO_ERROR) < 0) return undefined;
  let original: string | undefined;
  const reword = (message: string): string => {
    if (!isDiskFull(message)) return message;
    original ??= message;
    return diskFullMessage(storeDir, message);
  };
  if (isEngineError(raw)) {
    const body = codec.decode(raw) as { error: { message: string } };
    body.error.message = reword(body.error.message);
    return original === undefined ? undefined : { raw: codec.encode(body) as Uint8Array, original };
  }
  const decoded = codec.decode(raw) as unknown;
  if (!Array.isArray(decoded)) return undefined;
  // `query` answers one {status, result} per statement; a failed one carries its message as result.
  for (const r of decoded as Array<{ status?: unknown; result?: unknown }>) {
    if (r && r.status === "ERR" && typeof r.result === "string") r.result = reword(r.result);
  }
  return original === undefined ? undefined : { raw: codec.encode(decoded) as Uint8Array, original };
}
