// MP3 encoding in-process (LAME compiled to WASM by wasm-media-encoders): no ffmpeg to install.
// Mono CBR: constant bitrate lets every player compute duration and seek positions from the file
// size alone (the encoder writes no Xing/LAME header), which chapter jumps rely on.
import { createMp3Encoder } from "wasm-media-encoders";
import { AppError } from "../../errors.js";
import type { Pcm } from "../../core/model.js";

export type Mp3Bitrate = 48 | 64 | 80 | 96 | 112 | 128;

export interface Mp3Options {
  /** kbps, constant. 64 is transparent enough for mono speech at 24 kHz. */
  bitrate?: Mp3Bitrate;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

const SUPPORTED_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
type Mp3Rate = (typeof SUPPORTED_RATES)[number];

/**
 * Samples of silence the encoded stream starts with, as decoded by mpg123/libmad-style decoders
 * without gapless info: LAME's encoder delay (576) plus the decoder's (529). Timings we publish are
 * of the PCM; a decoded file is late by this much (46 ms at 24 kHz), well under what a listener notices.
 */
export const MP3_CODEC_DELAY_SAMPLES = 1105;

/** Samples per chunk handed to the encoder: 64 MPEG-2 frames, so memory stays flat on long episodes. */
const CHUNK = 576 * 64;

export async function encodeMp3(pcm: Pcm, opts: Mp3Options = {}): Promise<Buffer> {
  if (!(SUPPORTED_RATES as readonly number[]).includes(pcm.sampleRate)) {
    throw new AppError("invalid_input", `pcm.sampleRate: MP3 supports ${SUPPORTED_RATES.join(", ")} Hz, got ${pcm.sampleRate}`, { field: "pcm.sampleRate" });
  }
  const encoder = await createMp3Encoder();
  encoder.configure({ channels: 1, sampleRate: pcm.sampleRate as Mp3Rate, bitrate: opts.bitrate ?? 64 });
  const x = pcm.samples;
  const parts: Buffer[] = [];
  let sinceYield = 0;
  for (let i = 0; i < x.length; i += CHUNK) {
    if (opts.signal?.aborted) throw new AppError("canceled", "audio: encoding canceled");
    // encode() copies the view into WASM memory and returns a view of its output buffer, which the
    // next call overwrites: copy it out at once.
    const out = encoder.encode([x.subarray(i, Math.min(x.length, i + CHUNK))]);
    if (out.length > 0) parts.push(Buffer.from(out));
    if (++sinceYield === 8) {
      // Let heartbeats and cancellation through on long episodes (~12 s of audio, ~50 ms of CPU, between yields).
      sinceYield = 0;
      opts.onProgress?.(Math.min(1, (i + CHUNK) / x.length));
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  const tail = encoder.finalize();
  if (tail.length > 0) parts.push(Buffer.from(tail));
  opts.onProgress?.(1);
  return Buffer.concat(parts);
}
