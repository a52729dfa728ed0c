// An MP3 file written as it is encoded: [ID3 tag][Info frame][audio frames]. The tag is known
// before the audio (chapters come from the first pass), the Info frame only after the last frame,
// so its bytes are reserved and written last. Encoder output is gathered into ~256 KB writes.
// The encoder's thread works while the caller prepares the next samples (mp3.ts).
import { open, rm, type FileHandle } from "node:fs/promises";
import { Mp3Encoder, type Mp3Bitrate, type Mp3Summary } from "./mp3.js";
import { writeAll } from "./spool.js";

const BATCH_BYTES = 256 * 1024;

export class Mp3File {
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #position: number;
  #encoder!: Mp3Encoder;

  readonly #fh: FileHandle;
  readonly #head: Buffer;
  private constructor(
    fh: FileHandle,
    readonly file: string,
    head: Buffer,
  ) {
    this.#head = head;
    this.#fh = fh;
    this.#position = head.length;
  }

  /** Creates `file` (replacing it) and writes `head`, the ID3 tag. */
  static async create(file: string, head: Buffer, sampleRate: number, bitrate: Mp3Bitrate): Promise<Mp3File> {
    const fh = await open(file, "w");
    const f = new Mp3File(fh, file, head);
    try {
      await writeAll(fh, head, 0);
      f.#encoder = await Mp3Encoder.create(sampleRate, bitrate, (b) => {
        f.#pending.push(b);
        f.#pendingBytes += b.length;
      });
    } catch (err) {
      await fh.close();
      throw err;
    }
    f.#position += f.#encoder.infoFrameLength;
    return f;
  }

  async write(samples: Float32Array): Promise<void> {
    await this.#encoder.encode(samples);
    if (this.#pendingBytes >= BATCH_BYTES) await this.#flush();
  }

  /** Encodes the last frames, writes the Info frame in front of them and closes the file. */
  async finish(): Promise<Mp3Summary & { fileBytes: number }> {
    const summary = await this.#encoder.finish();
    await this.#flush();
    await writeAll(this.#fh, this.#encoder.infoFrame(), this.#head.length);
    await this.#fh.close();
    return { ...summary, fileBytes: this.#position };
  }

  /** Stops the encoder, closes and removes the file (after a failure or a cancel). */
  async discard(): Promise<void> {
    await this.#encoder.abort().catch(() => undefined);
    await this.#fh.close().catch(() => undefined);
    await rm(this.file, { force: true });
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const bytes = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    await writeAll(this.#fh, bytes, this.#position);
    this.#position += bytes.length;
  }
}
