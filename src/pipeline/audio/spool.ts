// Prepared clips (resampled, trimmed, faded) parked on disk between the passes of assembly, as raw
// float32: resampling happens once, and the episode is never in memory. A 60-minute episode at
// 24 kHz is 345 MB here, read back at page-cache speed; the file is removed when assembly ends.
import { open, readdir, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";

export interface SpooledClip {
  /** Offset and length, in samples. */
  offset: number;
  length: number;
}

export class Spool {
  #size = 0;
  readonly #fh: FileHandle;
  private constructor(
    fh: FileHandle,
    readonly file: string,
  ) {
    this.#fh = fh;
  }

  static async create(file: string): Promise<Spool> {
    return new Spool(await open(file, "w+"), file);
  }

  async append(x: Float32Array): Promise<SpooledClip> {
    const at = { offset: this.#size, length: x.length };
    await writeAll(this.#fh, new Uint8Array(x.buffer, x.byteOffset, x.byteLength), this.#size * 4);
    this.#size += x.length;
    return at;
  }

  /** Reads a clip into `into` (at least clip.length long); returns the filled view. */
  async read(clip: SpooledClip, into: Float32Array): Promise<Float32Array> {
    const view = into.subarray(0, clip.length);
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await this.#fh.read(bytes, done, bytes.length - done, clip.offset * 4 + done);
      if (bytesRead === 0) throw new Error(`spool: ${this.file} ended early`);
      done += bytesRead;
    }
    return view;
  }

  /** Closes and deletes the file; safe to call twice. */
  async dispose(): Promise<void> {
    await this.#fh.close().catch(() => undefined);
    await rm(this.file, { force: true });
  }
}

export async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Removes the temporary files (`<file>.<pid>.<time>.<what>.tmp`) that a process which died while
 * assembling `file` left beside it: a spool is 345 MB per hour of audio, and a retry writes new ones.
 * Files of a process that is still running are left alone.
 */
export async function removeLeftovers(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^(\d+)\.\d+\.[a-z0-9]+\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : "");
    if (m && !isRunning(Number(m[1]))) await rm(path.join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}
