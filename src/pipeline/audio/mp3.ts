// MP3 encoding in-process (LAME 3.100 compiled to WASM by wasm-media-encoders): no ffmpeg to install.
// Mono CBR, so every player can seek by byte position (chapter jumps rely on it), behind a Xing
// "Info" frame with a LAME tag (info-frame.ts) so players know the exact length and skip the
// encoder's delay and padding: published timings are those of the PCM, with no shift.
//
// LAME runs on its own thread. It is half of the audio stage's CPU time (measured on a 10-minute
// episode of Flite speech: 51 % of samples in the WASM encoder), so while it encodes one slice the
// main thread limits and meters the next; and the event loop stays free for heartbeats.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { AppError } from "../../errors.js";
import type { Pcm } from "../../core/model.js";
import { buildInfoFrame, ENCODER_DELAY_SAMPLES, infoFrameLength } from "./info-frame.js";
import { FrameCounter } from "./mp3-frames.js";

export type Mp3Bitrate = 48 | 64 | 80 | 96 | 112 | 128;

const SUPPORTED_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;

/** Samples per message to the encoder: 64 MPEG-2 frames, so its WASM memory stays small. */
const CHUNK = 576 * 64;
/** Slices in flight before encode() waits: ~6 s of audio at 24 kHz, a few hundred KB. */
const MAX_IN_FLIGHT = 4;

export function checkMp3Rate(sampleRate: number): void {
  if (!(SUPPORTED_RATES as readonly number[]).includes(sampleRate)) {
    const rule = `MP3 supports ${SUPPORTED_RATES.join(", ")} Hz, got ${sampleRate}`;
    throw new AppError("invalid_input", `pcm.sampleRate: ${rule}`, { field: "pcm.sampleRate" });
  }
}

/** The gapless facts of a finished stream, as its Info frame states them. */
export interface Mp3Summary {
  frames: number;
  samplesPerFrame: number;
  /** Bytes of the MPEG stream: Info frame plus audio frames (tags excluded). */
  bytes: number;
  pcmSamples: number;
  delay: number;
  padding: number;
}

/**
 * The encoder thread, an eval'd CommonJS script (it runs the same from src/ under the test runner
 * and from dist/): each message is a slice of samples, or the end; each answer the bytes made.
 */
const ENCODER_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const { createMp3Encoder } = require(workerData.encoderPath);
createMp3Encoder().then((lame) => {
  lame.configure({ channels: 1, sampleRate: workerData.sampleRate, bitrate: workerData.bitrate });
  parentPort.on("message", (samples) => {
    try {
      const bytes = (samples ? lame.encode([samples]) : lame.finalize()).slice();
      parentPort.postMessage(bytes, [bytes.buffer]);
    } catch (err) {
      parentPort.postMessage({ error: String((err && err.stack) || err) });
    }
  });
}, (err) => parentPort.postMessage({ error: String((err && err.stack) || err) }));
`;

const encoderPath = () => createRequire(import.meta.url).resolve("wasm-media-encoders");

/**
 * One mono CBR stream. Output goes to `sink` in order, as buffers the sink may keep; infoFrame()
 * is the frame that belongs in front, once finish() has returned.
 */
export class Mp3Encoder {
  readonly #counter = new FrameCounter();
  #header = new Uint8Array(4);
  #pcmSamples = 0;
  #finished = false;
  #failure: Error | undefined;
  /** One entry per message sent, answered in order. */
  readonly #waiting: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void }[] = [];

  readonly #worker: Worker;
  readonly #sink: (bytes: Uint8Array) => void;
  private constructor(
    worker: Worker,
    readonly sampleRate: number,
    readonly bitrate: Mp3Bitrate,
    sink: (bytes: Uint8Array) => void,
  ) {
    this.#sink = sink;
    this.#worker = worker;
    worker.on("message", (m: Uint8Array | { error: string }) => {
      if (!(m instanceof Uint8Array)) return this.#fail(new Error(`mp3 encoder: ${m.error}`));
      if (m.length > 0) this.#emit(m);
      this.#waiting.shift()?.resolve();
    });
    worker.on("error", (err) => this.#fail(err));
    worker.on("exit", (code) => {
      if (!this.#finished) this.#fail(new Error(`mp3 encoder thread exited (${code})`));
    });
  }

  static async create(sampleRate: number, bitrate: Mp3Bitrate, sink: (bytes: Uint8Array) => void): Promise<Mp3Encoder> {
    checkMp3Rate(sampleRate);
    const workerData = { encoderPath: encoderPath(), sampleRate, bitrate };
    return new Mp3Encoder(new Worker(ENCODER_THREAD, { eval: true, workerData }), sampleRate, bitrate, sink);
  }

  /** Bytes the Info frame will take: known before encoding, so a file can reserve them. */
  get infoFrameLength(): number {
    const version = this.sampleRate >= 32_000 ? 1 : this.sampleRate >= 16_000 ? 2 : 2.5;
    return infoFrameLength(version, this.sampleRate, true, this.bitrate);
  }

  /** Queues the samples (copied); waits only when the encoder is several slices behind. */
  async encode(samples: Float32Array): Promise<void> {
    if (this.#finished) throw new Error("mp3: encode after finish");
    for (let i = 0; i < samples.length; i += CHUNK) {
      const slice = samples.slice(i, Math.min(samples.length, i + CHUNK));
      this.#pcmSamples += slice.length; // before sending: the transfer empties the slice
      this.#send(slice);
      while (this.#waiting.length > MAX_IN_FLIGHT) await this.#waiting[0]!.promise;
    }
    if (this.#failure) throw this.#failure;
  }

  /** Encodes what is left and the last frames; every byte has reached the sink when it returns. */
  async finish(): Promise<Mp3Summary> {
    if (!this.#finished) {
      this.#send(undefined);
      await Promise.all(this.#waiting.map((w) => w.promise));
      this.#finished = true;
      await this.#worker.terminate();
    }
    const first = this.#counter.first;
    if (!first) throw new Error("mp3: the encoder wrote no frame");
    const delay = ENCODER_DELAY_SAMPLES;
    return {
      frames: this.#counter.frames,
      samplesPerFrame: first.samplesPerFrame,
      bytes: this.infoFrameLength + this.#counter.bytes,
      pcmSamples: this.#pcmSamples,
      delay,
      padding: this.#counter.frames * first.samplesPerFrame - delay - this.#pcmSamples,
    };
  }

  /** The Info frame for what was encoded; call after finish(). */
  infoFrame(): Buffer {
    const first = this.#counter.first;
    if (!this.#finished || !first) throw new Error("mp3: infoFrame before finish");
    return buildInfoFrame({
      audio: first,
      audioHeaderBytes: this.#header,
      frames: this.#counter.frames,
      audioBytes: this.#counter.bytes,
      audioCrc: this.#counter.crc,
      pcmSamples: this.#pcmSamples,
    });
  }

  /** Stops the thread (after a failure or a cancel); nothing more reaches the sink. */
  async abort(): Promise<void> {
    this.#finished = true;
    await this.#worker.terminate();
  }

  #send(samples: Float32Array | undefined): void {
    if (this.#failure) throw this.#failure;
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // a failure is reported by the next call, not as an unhandled rejection
    this.#waiting.push({ promise, resolve, reject });
    if (samples) this.#worker.postMessage(samples, [samples.buffer as ArrayBuffer]);
    else this.#worker.postMessage(null);
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const w of this.#waiting.splice(0)) w.reject(this.#failure);
  }

  #emit(out: Uint8Array): void {
    if (this.#counter.bytes === 0) this.#header = out.slice(0, 4);
    this.#counter.push(out);
    this.#sink(out);
  }
}

/** A whole clip to a whole MP3 (Info frame first), in memory: for short audio and tests. */
export async function encodeMp3(pcm: Pcm, opts: { bitrate?: Mp3Bitrate } = {}): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const enc = await Mp3Encoder.create(pcm.sampleRate, opts.bitrate ?? 64, (b) => parts.push(b));
  try {
    await enc.encode(pcm.samples);
    await enc.finish();
  } catch (err) {
    await enc.abort();
    throw err;
  }
  return Buffer.concat([enc.infoFrame(), ...parts]);
}
