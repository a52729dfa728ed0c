// Decoding for the audio tests: mpg123 (WASM), with or without its gapless handling. With it (its
// default), mpg123 reads the LAME tag and trims the encoder delay and padding; without it, the
// decoded audio starts late by delay + 529 samples (the decoder's own delay) and ends padded.
import { spawnSync } from "node:child_process";
import { MPEGDecoder } from "mpg123-decoder";
import type { Pcm, TimedTurn } from "../../src/core/model.js";
import { integratedLoudness } from "../../src/pipeline/audio/loudness.js";

export const MPG123_DECODER_DELAY = 529;

export async function decodeMp3(mp3: Buffer, opts: { gapless?: boolean } = {}): Promise<Pcm & { errors: number }> {
  const decoder = new MPEGDecoder({ enableGapless: opts.gapless ?? true });
  await decoder.ready;
  try {
    const r = decoder.decode(new Uint8Array(mp3));
    return { samples: r.channelData[0]!, sampleRate: r.sampleRate, errors: r.errors.length };
  } finally {
    decoder.free();
  }
}

/** Index of the largest |sample|. */
export function loudestAt(x: Float32Array): number {
  let at = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i]!) > Math.abs(x[at]!)) at = i;
  return at;
}

/** Integrated loudness of each speaker's turns, cut from `pcm` at the turns' timings and played back to back. */
export function speakerLoudness(pcm: Pcm, turns: TimedTurn[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of new Set(turns.map((t) => t.speaker))) {
    const spans = turns
      .filter((t) => t.speaker === name)
      .map((t) => pcm.samples.subarray(Math.round(t.start * pcm.sampleRate), Math.round(t.end * pcm.sampleRate)));
    const joined = new Float32Array(spans.reduce((n, s) => n + s.length, 0));
    let o = 0;
    for (const s of spans) {
      joined.set(s, o);
      o += s.length;
    }
    out.set(name, integratedLoudness({ samples: joined, sampleRate: pcm.sampleRate }));
  }
  return out;
}

/** ffprobe's duration line for a file, or undefined when ffprobe is not installed. */
export function ffprobe(file: string): { duration: number; stderr: string } | undefined {
  const r = spawnSync("ffprobe", ["-v", "info", "-show_entries", "format=duration", "-of", "csv=p=0", file], {
    encoding: "utf8",
    timeout: 20_000,
  });
  if (r.error) return undefined;
  return { duration: Number(r.stdout.trim()), stderr: r.stderr };
}

export const HAS_FFPROBE = !spawnSync("ffprobe", ["-version"], { timeout: 10_000 }).error;
