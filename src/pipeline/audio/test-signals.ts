// Deterministic synthetic signals for tests and the benchmark: pure tones and a cheap speech-like
// sound (a pitched pulse train plus noise through a formant resonator, cut into syllables and
// phrases), so loudness gating, pauses and the limiter see something with speech's crest factor.
import type { Pcm } from "../../core/model.js";

/** Small seeded PRNG (mulberry32): the same seed gives the same signal on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sine(freq: number, seconds: number, sampleRate: number, amplitude = 1, phase = 0): Pcm {
  const n = Math.round(seconds * sampleRate);
  const samples = new Float32Array(n);
  const w = (2 * Math.PI * freq) / sampleRate;
  for (let i = 0; i < n; i++) samples[i] = amplitude * Math.sin(w * i + phase);
  return { samples, sampleRate };
}

export interface SpeechLikeOptions {
  seed?: number;
  /** Fundamental in Hz (~110 male, ~200 female). */
  pitch?: number;
  /** Peak level of the result, linear. */
  peak?: number;
  /** Silence before and after, seconds (what TTS engines often leave and join.ts trims). */
  padding?: number;
}

export function speechLike(seconds: number, sampleRate: number, opts: SpeechLikeOptions = {}): Pcm {
  const rand = rng(opts.seed ?? 1);
  const pad = Math.round((opts.padding ?? 0) * sampleRate);
  const body = Math.round(seconds * sampleRate);
  const samples = new Float32Array(body + 2 * pad);
  const f0Base = opts.pitch ?? 140;
  let i = 0;
  let phase = 0;
  let y1 = 0;
  let y2 = 0;
  while (i < body) {
    // A syllable of 120–300 ms, sometimes followed by a short gap (word or phrase boundary).
    const syl = Math.round((0.12 + 0.18 * rand()) * sampleRate);
    const formant = 300 + 2200 * rand();
    const voiced = rand() < 0.8;
    const r = Math.exp((-Math.PI * 150) / sampleRate); // ~150 Hz bandwidth
    const a1 = -2 * r * Math.cos((2 * Math.PI * formant) / sampleRate);
    const a2 = r * r;
    const f0 = f0Base * (0.85 + 0.3 * rand());
    // Equalise the resonator's peak gain across formants (low ones ring far louder), then give each
    // syllable its own level within ±4 dB, as stressed and unstressed syllables have.
    const w2 = (4 * Math.PI * formant) / sampleRate;
    const level = Math.hypot(1 - r * Math.cos(w2), r * Math.sin(w2)) * 10 ** ((rand() * 8 - 4) / 20);
    for (let k = 0; k < syl && i < body; k++, i++) {
      const env = Math.sin((Math.PI * k) / syl) ** 2;
      let exc = (rand() * 2 - 1) * (voiced ? 0.3 : 0.6);
      phase += f0 / sampleRate;
      if (phase >= 1) {
        phase -= 1;
        if (voiced) exc += 0.8;
      }
      const y = exc * env * level - a1 * y1 - a2 * y2;
      y2 = y1;
      y1 = y;
      samples[pad + i] = y;
    }
    const gap = rand() < 0.25 ? Math.round((0.05 + 0.25 * rand()) * sampleRate) : 0;
    i += gap; // samples stay zero
    y1 = y2 = 0;
  }
  let peak = 0;
  for (let k = 0; k < samples.length; k++) peak = Math.max(peak, Math.abs(samples[k]!));
  const g = peak > 0 ? (opts.peak ?? 0.5) / peak : 0;
  for (let k = 0; k < samples.length; k++) samples[k]! *= g;
  return { samples, sampleRate };
}
