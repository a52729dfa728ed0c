// Sample-rate conversion and raw PCM decoding for TTS output.
//
// Episode rate: 24 kHz. OpenAI (`pcm`) and ElevenLabs (`pcm_24000`) already deliver 24 kHz, so the
// common case needs no conversion at all; speech carries almost nothing above 10 kHz; and MP3 at
// 24 kHz (MPEG-2 layer III, 576-sample frames) gives clean mono speech at 64 kbps with half the
// samples to meter, limit and encode compared with 44.1 kHz.
import { AppError } from "../../errors.js";
import type { Pcm } from "../../core/model.js";
import { besselI0 } from "./kaiser.js";

export const EPISODE_SAMPLE_RATE = 24_000;

/** Signed 16-bit little-endian PCM → float samples in [-1, 1). */
export function pcm16ToFloat(buf: Buffer | Uint8Array): Float32Array {
  if (buf.byteLength % 2 !== 0) {
    throw new AppError("invalid_input", `pcm: 16-bit PCM must have an even byte length, got ${buf.byteLength}`, {
      field: "pcm",
    });
  }
  const n = buf.byteLength / 2;
  const out = new Float32Array(n);
  // DataView works whatever the alignment of the caller's buffer (Node Buffers from a pool often are odd-aligned).
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true) / 32768;
  return out;
}

/**
 * Kernel half-width in samples of the lower of the two rates. With a Kaiser window (beta 7.86,
 * ~80 dB stopband) this gives a transition band of ~0.16 × Nyquist, placed so the stopband starts
 * exactly at the lower Nyquist: nothing above it folds back (aliases on downsampling, images on
 * upsampling) by more than the stopband level, at the price of a gentle roll-off above ~0.84 × Nyquist
 * (≈ 10 kHz at 24 kHz, ≈ 6.7 kHz for 16 kHz input, where speech has little energy).
 */
const HALF_ZEROS = 32;
const KAISER_BETA = 7.857; // 0.1102 × (80 − 8.7): 80 dB design attenuation
const TRANSITION = 0.157; // of the lower Nyquist, Kaiser estimate for 2 × HALF_ZEROS taps at 80 dB
/** Above this many distinct phases (awkward rate pairs), phases are quantized to this many. */
const MAX_PHASES = 1024;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

interface PolyphaseBank {
  phases: number;
  taps: number;
  /** Index of the input sample that tap 0 applies to, relative to floor(position). */
  first: number;
  coeffs: Float32Array; // phases × taps, each phase normalized to unity DC gain
}

function designBank(inRate: number, outRate: number, phases: number): PolyphaseBank {
  const scale = Math.min(1, outRate / inRate); // lower rate / input rate
  // Cutoff as a fraction of the input Nyquist: the middle of the transition band, below the lower Nyquist.
  const cutoff = scale * (1 - TRANSITION / 2);
  const halfWidth = HALF_ZEROS / scale; // in input samples
  const taps = 2 * Math.ceil(halfWidth);
  const first = -taps / 2 + 1;
  const coeffs = new Float32Array(phases * taps);
  const i0Beta = besselI0(KAISER_BETA);
  for (let p = 0; p < phases; p++) {
    const frac = p / phases;
    let sum = 0;
    for (let t = 0; t < taps; t++) {
      const x = first + t - frac; // input-sample offset from the output position
      const r = x / halfWidth;
      let h = 0;
      if (Math.abs(r) < 1) {
        const arg = Math.PI * cutoff * x;
        const sinc = x === 0 ? 1 : Math.sin(arg) / arg;
        h = cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta);
      }
      coeffs[p * taps + t] = h;
      sum += h;
    }
    for (let t = 0; t < taps; t++) coeffs[p * taps + t]! /= sum;
  }
  return { phases, taps, first, coeffs };
}

/** Windowed-sinc (Kaiser) polyphase resampler. Returns the input unchanged when the rates match. */
export function resample(pcm: Pcm, rate: number): Pcm {
  if (!Number.isInteger(rate) || rate < 1000 || rate > 384_000) {
    throw new AppError("invalid_input", `rate: must be an integer sample rate between 1000 and 384000, got ${rate}`, {
      field: "rate",
    });
  }
  const inRate = pcm.sampleRate;
  if (!Number.isInteger(inRate) || inRate < 1000 || inRate > 384_000) {
    throw new AppError("invalid_input", `pcm.sampleRate: must be an integer between 1000 and 384000, got ${inRate}`, {
      field: "pcm.sampleRate",
    });
  }
  if (inRate === rate) return pcm;
  const x = pcm.samples;
  const g = gcd(inRate, rate);
  const up = rate / g; // L: output steps per period
  const down = inRate / g; // M: input steps per period
  const exact = up <= MAX_PHASES;
  const bank = designBank(inRate, rate, exact ? up : MAX_PHASES);
  const { taps, first, coeffs, phases } = bank;
  const outLen = Math.floor((x.length * up) / down);
  const y = new Float32Array(outLen);
  const n = x.length;
  for (let j = 0; j < outLen; j++) {
    let base: number;
    let phase: number;
    if (exact) {
      const pos = j * down; // exact integer position in units of 1/up input samples
      base = Math.floor(pos / up);
      phase = pos - base * up;
    } else {
      const pos = (j * down) / up;
      base = Math.floor(pos);
      phase = Math.round((pos - base) * phases);
      if (phase === phases) {
        phase = 0;
        base++;
      }
    }
    const c0 = phase * taps;
    const k0 = base + first;
    let acc = 0;
    if (k0 >= 0 && k0 + taps <= n) {
      for (let t = 0; t < taps; t++) acc += coeffs[c0 + t]! * x[k0 + t]!;
    } else {
      // Edges: samples outside the clip are silence.
      for (let t = 0; t < taps; t++) {
        const k = k0 + t;
        if (k >= 0 && k < n) acc += coeffs[c0 + t]! * x[k]!;
      }
    }
    y[j] = acc;
  }
  return { samples: y, sampleRate: rate };
}
