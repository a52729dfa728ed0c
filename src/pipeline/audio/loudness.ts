// ITU-R BS.1770-4 loudness and true peak, for mono PCM.
//
// Mono convention: the one channel is measured as-is, weight G = 1.0, as libebur128 and ffmpeg's
// ebur128/loudnorm do for a one-channel file. No +3 dB is added for playback on two speakers (the
// same signal copied into both channels of a stereo file would read 3.01 LU higher). So -16 LUFS
// here means -16 LUFS in those tools. AES TD1004 suggests about 3 LU less for mono (-19); the
// target is a parameter of normalize() for whoever prefers that.
import type { Pcm } from "../../core/model.js";
import { besselI0 } from "./kaiser.js";

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/**
 * The two K-weighting stages for any sample rate. BS.1770 lists coefficients only for 48 kHz; these
 * are the analog prototypes behind them (shelf f0, gain, Q; high-pass f0, Q) re-derived through the
 * bilinear transform, as libebur128 does. At 48 kHz they reproduce the standard's table.
 */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  // Stage 1: high shelf (+4 dB above ~1.7 kHz), modelling the acoustic effect of the head.
  const f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  const q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
  // Stage 2: RLB high-pass (~38 Hz).
  const hpF0 = 38.13547087602444;
  const hpQ = 0.5003270373238773;
  k = Math.tan((Math.PI * hpF0) / sampleRate);
  a0 = 1 + k / hpQ + k * k;
  const highpass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / hpQ + k * k) / a0 };
  return [shelf, highpass];
}

/**
 * The K-weighting filter with its state, for a signal that arrives in pieces (clip by clip, pause
 * by pause): squares() continues exactly where the previous call stopped, so metering a whole
 * signal in pieces gives the same numbers as metering it at once.
 */
export class KWeighting {
  readonly #s: Biquad;
  readonly #h: Biquad;
  // Direct form I state, in double precision: the high-pass pole sits very close to z = 1.
  #x1 = 0;
  #x2 = 0;
  #y1 = 0;
  #y2 = 0;
  #z1 = 0;
  #z2 = 0;

  constructor(readonly sampleRate: number) {
    [this.#s, this.#h] = kWeightingFilters(sampleRate);
  }

  /** out[i] = (K-weighted x[i])², for i < x.length (x may be undefined: that many zeros). */
  squares(x: Float32Array | undefined, n: number, out: Float64Array): void {
    // The state in locals for the loop, written back after it.
    const s = this.#s;
    const h = this.#h;
    let x1 = this.#x1;
    let x2 = this.#x2;
    let y1 = this.#y1;
    let y2 = this.#y2;
    let z1 = this.#z1;
    let z2 = this.#z2;
    for (let i = 0; i < n; i++) {
      const x0 = x ? x[i]! : 0;
      const y0 = s.b0 * x0 + s.b1 * x1 + s.b2 * x2 - s.a1 * y1 - s.a2 * y2;
      x2 = x1;
      x1 = x0;
      const z0 = y0 - 2 * y1 + y2 - h.a1 * z1 - h.a2 * z2; // b = [1, -2, 1]
      y2 = y1;
      y1 = y0;
      z2 = z1;
      z1 = z0;
      out[i] = z0 * z0;
    }
    this.#x1 = x1;
    this.#x2 = x2;
    this.#y1 = y1;
    this.#y2 = y2;
    this.#z1 = z1;
    this.#z2 = z2;
  }
}

/** First sample of 100 ms sub-block b (the grid BS.1770's 400 ms blocks with 75 % overlap sit on). */
export const subBlockStart = (b: number, sampleRate: number) => Math.round((b * sampleRate) / 10);

/**
 * Mean square of the K-weighted signal in consecutive 100 ms sub-blocks. 400 ms gating blocks with
 * 75 % overlap are sums of four neighbouring sub-blocks, so the filter runs once over the signal.
 */
function subBlockEnergies(pcm: Pcm): { sums: Float64Array; lengths: Float64Array } {
  const fs = pcm.sampleRate;
  const count = Math.floor((pcm.samples.length * 10) / fs);
  const sums = new Float64Array(count);
  const lengths = new Float64Array(count);
  const k = new KWeighting(fs);
  const sq = new Float64Array(subBlockStart(1, fs) + 1); // one sub-block at a time: no full-length copy
  for (let b = 0; b < count; b++) {
    const from = subBlockStart(b, fs);
    const to = subBlockStart(b + 1, fs);
    k.squares(pcm.samples.subarray(from, to), to - from, sq);
    let acc = 0;
    for (let i = 0; i < to - from; i++) acc += sq[i]!;
    sums[b] = acc;
    lengths[b] = to - from;
  }
  return { sums, lengths };
}

const ABSOLUTE_GATE = -70; // LUFS
const RELATIVE_GATE = -10; // LU below the absolute-gated level

export const toLufs = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/** Mean squares of the 400 ms gating blocks (75 % overlap) made of consecutive sub-blocks. */
export function blockPowers(sums: ArrayLike<number>, lengths: ArrayLike<number>): Float64Array {
  const blocks = Math.max(0, sums.length - 3);
  const power = new Float64Array(blocks);
  for (let j = 0; j < blocks; j++) {
    power[j] =
      (sums[j]! + sums[j + 1]! + sums[j + 2]! + sums[j + 3]!) /
      (lengths[j]! + lengths[j + 1]! + lengths[j + 2]! + lengths[j + 3]!);
  }
  return power;
}

/** BS.1770-4 gating over block mean squares: absolute gate, then relative. -Infinity when nothing passes. */
export function gatedLoudness(power: ArrayLike<number>): number {
  const gatedMean = (threshold: number) => {
    let total = 0;
    let n = 0;
    for (let j = 0; j < power.length; j++) {
      if (power[j]! > 0 && toLufs(power[j]!) > threshold) {
        total += power[j]!;
        n++;
      }
    }
    return n === 0 ? 0 : total / n;
  };
  const absMean = gatedMean(ABSOLUTE_GATE);
  if (absMean === 0) return -Infinity;
  const relMean = gatedMean(toLufs(absMean) + RELATIVE_GATE);
  return relMean === 0 ? -Infinity : toLufs(relMean);
}

/**
 * Meters a timeline that arrives in pieces (a clip, a pause, the next clip): one K-weighting state
 * across all of them and 100 ms sub-blocks on the timeline's own grid, so integrated() is what
 * integratedLoudness() says of the whole timeline, with no more than one piece in memory.
 */
export class TimelineMeter {
  readonly #k: KWeighting;
  #sums = new Float64Array(1024);
  #position = 0;
  #scratch = new Float64Array(0);

  constructor(readonly sampleRate: number) {
    this.#k = new KWeighting(sampleRate);
  }

  /** Meters the next n samples (x, or silence when x is undefined); returns their K-weighted squares. */
  push(x: Float32Array | undefined, n: number): Float64Array {
    if (this.#scratch.length < n) this.#scratch = new Float64Array(Math.max(n, this.#scratch.length * 2));
    const sq = this.#scratch.subarray(0, n);
    this.#k.squares(x, n, sq);
    const fs = this.sampleRate;
    let b = Math.floor((this.#position * 10) / fs);
    while (subBlockStart(b + 1, fs) <= this.#position) b++;
    let i = 0;
    while (i < n) {
      const end = Math.min(n, subBlockStart(b + 1, fs) - this.#position);
      let acc = 0;
      for (; i < end; i++) acc += sq[i]!;
      if (b >= this.#sums.length) {
        const grown = new Float64Array(Math.max(b + 1, this.#sums.length * 2));
        grown.set(this.#sums);
        this.#sums = grown;
      }
      this.#sums[b]! += acc;
      b++;
    }
    this.#position += n;
    return sq;
  }

  /** Integrated loudness (LUFS) of everything pushed so far; a last partial sub-block is left out. */
  integrated(): number {
    const fs = this.sampleRate;
    const count = Math.floor((this.#position * 10) / fs);
    const lengths = new Float64Array(count);
    for (let b = 0; b < count; b++) lengths[b] = subBlockStart(b + 1, fs) - subBlockStart(b, fs);
    return gatedLoudness(blockPowers(this.#sums.subarray(0, count), lengths));
  }
}

/** Integrated loudness in LUFS (BS.1770-4, gated). -Infinity for silence or less than 400 ms. */
export function integratedLoudness(pcm: Pcm): number {
  const { sums, lengths } = subBlockEnergies(pcm);
  return gatedLoudness(blockPowers(sums, lengths));
}

// ---------- true peak ----------

/** 4× oversampling interpolator: 3 fractional phases (phase 0 is the sample itself), Kaiser-windowed sinc. */
const OS = 4;
const TP_HALF = 12; // taps per side: 24 per phase, more than the 12 of the standard's example filter
const TP_TAPS = 2 * TP_HALF;
function designInterpolator(): { p1: Float64Array; p2: Float64Array; p3: Float64Array; l1: number } {
  const phases: Float64Array[] = [];
  const beta = 7;
  const i0b = besselI0(beta);
  let l1 = 0;
  for (let p = 1; p < OS; p++) {
    const frac = p / OS;
    const c = new Float64Array(TP_TAPS);
    let sum = 0;
    for (let t = 0; t < TP_TAPS; t++) {
      const x = t - TP_HALF + 1 - frac; // offset of input sample from the interpolated point
      const r = x / (TP_HALF + 1);
      const arg = Math.PI * x;
      const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
      c[t] = (Math.sin(arg) / arg) * w;
      sum += c[t]!;
    }
    let abs = 0;
    for (let t = 0; t < TP_TAPS; t++) {
      c[t]! /= sum;
      abs += Math.abs(c[t]!);
    }
    l1 = Math.max(l1, abs);
    phases.push(c);
  }
  return { p1: phases[0]!, p2: phases[1]!, p3: phases[2]!, l1 };
}

const { p1: C1, p2: C2, p3: C3, l1: L1 } = designInterpolator();
/** An interpolated value can exceed the largest |sample| under the kernel by at most this factor. */
export const INTERPOLATION_BOUND = L1;
/** How far, in samples on each side, the interpolator reads. */
export const INTERPOLATION_REACH = TP_HALF;

/**
 * Largest |value| among the 3 interpolated points between sample i and i+1 (samples outside the
 * buffer are zero). One pass over the taps computes all three phases.
 */
export function interSamplePeak(x: Float32Array, i: number): number {
  const n = x.length;
  const k0 = i - TP_HALF + 1;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  if (k0 >= 0 && k0 + TP_TAPS <= n) {
    for (let t = 0; t < TP_TAPS; t++) {
      const v = x[k0 + t]!;
      a1 += C1[t]! * v;
      a2 += C2[t]! * v;
      a3 += C3[t]! * v;
    }
  } else {
    for (let t = 0; t < TP_TAPS; t++) {
      const k = k0 + t;
      if (k < 0 || k >= n) continue;
      const v = x[k]!;
      a1 += C1[t]! * v;
      a2 += C2[t]! * v;
      a3 += C3[t]! * v;
    }
  }
  a1 = Math.abs(a1);
  a2 = Math.abs(a2);
  a3 = Math.abs(a3);
  return a1 > a2 ? Math.max(a1, a3) : Math.max(a2, a3);
}

const BLOCK = 256;

/**
 * True peak in dBTP via 4× oversampling. Exact for the interpolator used, but fast on speech: a
 * block is interpolated only when its largest sample (with the kernel's reach) times the kernel's
 * L1 norm could beat the peak found so far, since no interpolated value can exceed that bound.
 */
export function truePeak(pcm: Pcm): number {
  return 20 * Math.log10(truePeakLinear(pcm.samples));
}

/**
 * With `floor`, blocks that cannot beat it are skipped: the result is exact when above the floor
 * and the floor otherwise (the assembler passes the episode's peak so far, so after the first loud
 * clip it interpolates only near the loudest samples: 10 % of its time before, measured).
 */
export function truePeakLinear(x: Float32Array, floor = 0): number {
  let peak = floor;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > peak) peak = a;
  }
  for (let b = 0; b < x.length; b += BLOCK) {
    const end = Math.min(x.length, b + BLOCK);
    let reach = 0;
    for (let i = Math.max(0, b - TP_HALF); i < Math.min(x.length, end + TP_HALF); i++) {
      const a = Math.abs(x[i]!);
      if (a > reach) reach = a;
    }
    if (reach * INTERPOLATION_BOUND <= peak) continue;
    for (let i = b; i < end; i++) {
      const v = interSamplePeak(x, i);
      if (v > peak) peak = v;
    }
  }
  return peak;
}

export const dbToGain = (db: number) => 10 ** (db / 20);
export const gainToDb = (g: number) => 20 * Math.log10(g);
