// MPEG audio layer III frame headers, read as the encoder writes them: enough to count frames in
// the encoder's output as it streams by, and to build the Info frame that goes in front of them.
// (ISO/IEC 11172-3 and 13818-3 header layout; 2.5 is the common low-rate extension.)

export interface FrameHeader {
  /** 1 (MPEG-1), 2 (MPEG-2) or 2.5 (MPEG-2.5). */
  version: 1 | 2 | 2.5;
  bitrateKbps: number;
  sampleRate: number;
  padding: boolean;
  mono: boolean;
  /** Bytes of the whole frame, header included. */
  length: number;
  samplesPerFrame: number;
  /** Bytes of side information after the 4-byte header (where an Info tag starts). */
  sideInfoBytes: number;
}

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

/** The layer III header at `at`, or undefined when those 4 bytes are not one. */
export function parseFrameHeader(b: Uint8Array, at = 0): FrameHeader | undefined {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return undefined;
  const versionBits = (b[at + 1]! >> 3) & 3;
  const layerBits = (b[at + 1]! >> 1) & 3;
  if (versionBits === 1 || layerBits !== 1) return undefined; // reserved version, or not layer III
  const brIndex = b[at + 2]! >> 4;
  const srIndex = (b[at + 2]! >> 2) & 3;
  if (brIndex === 0 || brIndex === 15 || srIndex === 3) return undefined; // free format / reserved
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const bitrateKbps = (version === 1 ? BITRATES_V1 : BITRATES_V2)[brIndex]!;
  const sampleRate = RATES[versionBits]![srIndex]!;
  const padding = ((b[at + 2]! >> 1) & 1) === 1;
  const mono = b[at + 3]! >> 6 === 3;
  const perFrame = version === 1 ? 144_000 : 72_000;
  return {
    version,
    bitrateKbps,
    sampleRate,
    padding,
    mono,
    length: Math.floor((perFrame * bitrateKbps) / sampleRate) + (padding ? 1 : 0),
    samplesPerFrame: version === 1 ? 1152 : 576,
    sideInfoBytes: version === 1 ? (mono ? 17 : 32) : mono ? 9 : 17,
  };
}

/** Index of `kbps` in the bitrate table of `version`, or -1. */
export function bitrateIndex(version: 1 | 2 | 2.5, kbps: number): number {
  return (version === 1 ? BITRATES_V1 : BITRATES_V2).indexOf(kbps);
}

export function bitratesOf(version: 1 | 2 | 2.5): readonly number[] {
  return (version === 1 ? BITRATES_V1 : BITRATES_V2).slice(1);
}

/** CRC-16 as LAME computes it for its tag and "music CRC" (polynomial 0x8005, reflected, initial 0). */
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

export function crc16(bytes: Uint8Array, crc = 0): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = (c >>> 8) ^ CRC_TABLE[(c ^ bytes[i]!) & 0xff]!;
  return c;
}

/**
 * Follows a stream of whole frames handed over in arbitrary pieces (the encoder returns whatever
 * it has): counts frames and bytes, keeps the first header and the CRC of every byte. Throws on
 * anything that is not a frame, since the encoder writes nothing else.
 */
export class FrameCounter {
  frames = 0;
  bytes = 0;
  crc = 0;
  first: FrameHeader | undefined;
  /** Offset, in the stream, of the next frame header. */
  #next = 0;
  /** Up to 3 header bytes that arrived at the end of the previous piece. */
  #carry = new Uint8Array(4);
  #carried = 0;

  push(piece: Uint8Array): void {
    this.crc = crc16(piece, this.crc);
    const start = this.bytes;
    const end = start + piece.length;
    while (this.#next < end) {
      const rel = this.#next - start; // may be negative: the header began in an earlier piece
      let header: FrameHeader | undefined;
      if (rel >= 0 && rel + 4 <= piece.length) {
        header = parseFrameHeader(piece, rel);
      } else {
        // The header straddles pieces: gather its 4 bytes.
        const from = Math.max(0, rel);
        const take = Math.min(4 - this.#carried, piece.length - from);
        this.#carry.set(piece.subarray(from, from + take), this.#carried);
        this.#carried += take;
        if (this.#carried < 4) break;
        header = parseFrameHeader(this.#carry, 0);
        this.#carried = 0;
      }
      if (!header) throw new Error(`mp3: no frame header at byte ${this.#next} of the encoder's output`);
      this.first ??= header;
      this.frames++;
      this.#next += header.length;
    }
    this.bytes = end;
  }
}
