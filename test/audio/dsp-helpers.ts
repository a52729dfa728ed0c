// Measurement helpers for the audio tests (independent of the code under test).

/** Amplitude of the component at `freq` (Goertzel, Hann-windowed), relative to a full-scale sine = 1. */
export function toneAmplitude(x: Float32Array, sampleRate: number, freq: number): number {
  const n = x.length;
  const w = (2 * Math.PI * freq) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    const win = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    wsum += win;
    const s0 = x[i]! * win + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / wsum;
}

/** Frequency from upward zero crossings, linearly interpolated, over the whole buffer. */
export function zeroCrossingFrequency(x: Float32Array, sampleRate: number): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 1; i < x.length; i++) {
    if (x[i - 1]! < 0 && x[i]! >= 0) {
      const t = i - 1 + x[i - 1]! / (x[i - 1]! - x[i]!);
      if (first < 0) first = t;
      else count++;
      last = t;
    }
  }
  return (count * sampleRate) / (last - first);
}

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const db = (x: number) => 20 * Math.log10(x);
