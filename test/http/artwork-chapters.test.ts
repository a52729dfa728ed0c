// The cover is a valid PNG of at least 1400×1400, the same bytes every time; chapters follow the
// Podcasting 2.0 JSON chapters format.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { COVER_SIZE, coverPng } from "../../src/artwork/cover.js";
import { jsonChapters } from "../../src/http/chapters.js";

/** CRC-32 written out independently of the code under test (bitwise, no table). */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** PNG scanline filters undone (RFC 2083 §6), all five types, 3 bytes per pixel. */
function unfilter(raw: Buffer, w: number, h: number): Buffer {
  const stride = w * 3;
  const out = Buffer.alloc(stride * h);
  for (let y = 0; y < h; y++) {
    const type = raw[y * (stride + 1)]!;
    expect(type).toBeLessThanOrEqual(4);
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= 3 ? out[y * stride + i - 3]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= 3 && y > 0 ? out[(y - 1) * stride + i - 3]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][type]!;
      out[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return out;
}

describe("cover.png", () => {
  it("is a valid RGB PNG, square, at least 1400 px, deterministic", () => {
    const png = coverPng();
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length; ) {
      const len = png.readUInt32BE(at);
      const type = png.toString("ascii", at + 4, at + 8);
      const data = png.subarray(at + 8, at + 8 + len);
      expect(png.readUInt32BE(at + 8 + len), `${type} CRC`).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
      chunks.push({ type, data });
      at += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = chunks[0]!.data;
    const [w, h] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)];
    expect(w).toBe(h);
    expect(w).toBeGreaterThanOrEqual(1400);
    expect(w).toBe(COVER_SIZE);
    expect([...ihdr.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    const raw = inflateSync(chunks[1]!.data);
    expect(raw.length).toBe(h * (w * 3 + 1));
    const px = unfilter(raw, w, h);
    const at = (x: number, y: number) => [...px.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)];
    expect(at(0, 0)).toEqual([30, 27, 75]); // the gradient's top colour
    expect(at(700, 540)).toEqual([245, 158, 11]); // the amber disc
    expect(at(700, 700)).toEqual([30, 27, 75]); // a waveform bar
    expect(at(0, h - 1)).toEqual([109, 40, 217]); // the gradient's bottom colour
    expect(coverPng().equals(png)).toBe(true);
  });
});

describe("chapters.json", () => {
  it("maps the transcript's chapters to startTime/title/endTime, version 1.2.0", () => {
    const transcript = JSON.stringify({
      version: 1,
      title: "Tides",
      duration_seconds: 30,
      chapters: [
        { title: "Intro", start: 0.05, end: 10 },
        { title: "Moons", start: 10, end: 30 },
        { title: "broken", start: -1 },
      ],
      turns: [],
    });
    expect(JSON.parse(jsonChapters(transcript))).toEqual({
      version: "1.2.0",
      title: "Tides",
      chapters: [
        { startTime: 0.05, title: "Intro", endTime: 10 },
        { startTime: 10, title: "Moons", endTime: 30 },
      ],
    });
    expect(JSON.parse(jsonChapters("{}"))).toEqual({ version: "1.2.0", chapters: [] });
  });
});
