// The show's cover art, drawn here rather than downloaded: podcast apps (Apple's directory first) want
// `itunes:image` to be a square JPEG or PNG of 1400–3000 px. A deterministic 1400×1400 RGB PNG: an
// indigo-to-violet gradient, sound-wave rings and a waveform on an amber disc. Encoded with node:zlib;
// the CRC-32 is computed here because zlib.crc32 only exists from Node 20.15. Made once per process on
// first use: ~0.3–0.5 s on a busy 2-core machine (painting, mostly), 150 KB.
import { deflateSync } from "node:zlib";

export const COVER_SIZE = 1400;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

type Rgb = [number, number, number];
const TOP: Rgb = [30, 27, 75];
const BOTTOM: Rgb = [109, 40, 217];
const RING: Rgb = [196, 181, 253];
const DISC: Rgb = [245, 158, 11];
const BARS: Rgb = [30, 27, 75];
const RINGS = [300, 400, 500, 600];
const BAR_HEIGHTS = [90, 170, 250, 170, 90];

/** 0 outside, 1 inside, a one-pixel ramp across the edge (anti-aliasing). */
const inside = (distanceOutside: number) => Math.min(1, Math.max(0, 0.5 - distanceOutside));

const px = new Float64Array(3); // the pixel being painted (a scratch array: no allocation per pixel)

function over(rgb: Rgb, a: number): void {
  for (let k = 0; k < 3; k++) px[k]! += (rgb[k]! - px[k]!) * a;
}

/** Writes the RGB of (x, y) at out[at..at+2]. */
function paint(x: number, y: number, size: number, out: Buffer, at: number): void {
  const c = size / 2;
  const t = y / (size - 1);
  for (let k = 0; k < 3; k++) px[k] = TOP[k]! + (BOTTOM[k]! - TOP[k]!) * t;
  const dx = x + 0.5 - c;
  const dy = y + 0.5 - c;
  const d = Math.sqrt(dx * dx + dy * dy);
  for (let i = 0; i < RINGS.length; i++) {
    const ring = inside(Math.abs(d - RINGS[i]!) - 10);
    if (ring > 0) over(RING, ring * (0.8 - i * 0.15));
  }
  const disc = inside(d - 200);
  if (disc > 0) over(DISC, disc);
  const bx = x - (c - 150);
  const bar = Math.floor(bx / 60);
  if (bar >= 0 && bar < BAR_HEIGHTS.length && bx % 60 < 36 && Math.abs(dy) < BAR_HEIGHTS[bar]! / 2) over(BARS, 1);
  for (let k = 0; k < 3; k++) out[at + k] = Math.round(px[k]!);
}

let cached: Buffer | undefined;

/** The cover as PNG bytes; the same bytes on every call and every machine. */
export function coverPng(): Buffer {
  if (cached) return cached;
  const size = COVER_SIZE;
  const stride = size * 3;
  let prev = Buffer.alloc(stride);
  let row = Buffer.alloc(stride);
  const raw = Buffer.alloc(size * (stride + 1));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) paint(x, y, size, row, x * 3);
    // Filter "Up" (each byte minus the one above): the gradient's rows become runs of small numbers,
    // which deflate to a fraction of the size and time of unfiltered rows.
    const at = y * (stride + 1);
    raw[at] = 2;
    for (let i = 0; i < stride; i++) raw[at + 1 + i] = (row[i]! - prev[i]!) & 0xff;
    [prev, row] = [row, prev];
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit depth, RGB, deflate, adaptive filtering, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  cached = Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return cached;
}
