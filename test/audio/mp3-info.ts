// A small reader of what a player reads first in an MP3: the ID3v2 tag's size, the first frame's
// header, and the Xing/Info tag with its LAME extension (delay, padding, lengths, CRCs). Written
// from the format descriptions (ID3v2.3 header; MPEG audio frame header; LAME's "Mp3 Info Tag rev 1"
// layout), independently of src/pipeline/audio/info-frame.ts, so the tests check the writer against it.

export interface Mp3Info {
  id3Bytes: number;
  /** Offset of the Info frame (the first MPEG frame). */
  frameAt: number;
  frameBytes: number;
  sampleRate: number;
  samplesPerFrame: number;
  bitrateKbps: number;
  tag: "Info" | "Xing";
  flags: number;
  frames: number;
  bytes: number;
  toc: number[];
  encoder: string;
  method: number;
  delay: number;
  padding: number;
  musicLength: number;
  musicCrc: number;
  tagCrc: number;
  /** CRC-16 of the frame up to the tag CRC, computed here: equals tagCrc when the tag is intact. */
  tagCrcComputed: number;
  /** CRC-16 of the audio frames after the Info frame. */
  musicCrcComputed: number;
  /** Exact PCM length the tag describes: frames × samples per frame − delay − padding. */
  pcmSamples: number;
}

const V1_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const V2_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

export function crc16Arc(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function readMp3Info(file: Buffer): Mp3Info {
  let at = 0;
  if (file.subarray(0, 3).toString("latin1") === "ID3") {
    const size = ((file[6]! & 0x7f) << 21) | ((file[7]! & 0x7f) << 14) | ((file[8]! & 0x7f) << 7) | (file[9]! & 0x7f);
    at = 10 + size;
  }
  const id3Bytes = at;
  if (file[at] !== 0xff || (file[at + 1]! & 0xe0) !== 0xe0)
    throw new Error(`no MPEG frame after the ID3 tag (byte ${at})`);
  const versionBits = (file[at + 1]! >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const mpeg1 = versionBits === 3;
  const rates =
    versionBits === 3 ? [44100, 48000, 32000] : versionBits === 2 ? [22050, 24000, 16000] : [11025, 12000, 8000];
  const sampleRate = rates[(file[at + 2]! >> 2) & 3]!;
  const bitrateKbps = (mpeg1 ? V1_KBPS : V2_KBPS)[file[at + 2]! >> 4]!;
  const padding = (file[at + 2]! >> 1) & 1;
  const mono = file[at + 3]! >> 6 === 3;
  const frameBytes = Math.floor(((mpeg1 ? 144_000 : 72_000) * bitrateKbps) / sampleRate) + padding;
  const side = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  let p = at + 4 + side;
  const tag = file.subarray(p, p + 4).toString("latin1");
  if (tag !== "Info" && tag !== "Xing")
    throw new Error(`no Xing/Info tag in the first frame (found ${JSON.stringify(tag)})`);
  p += 4;
  const flags = file.readUInt32BE(p);
  p += 4;
  const frames = flags & 1 ? file.readUInt32BE(p) : -1;
  if (flags & 1) p += 4;
  const bytes = flags & 2 ? file.readUInt32BE(p) : -1;
  if (flags & 2) p += 4;
  const toc = flags & 4 ? [...file.subarray(p, p + 100)] : [];
  if (flags & 4) p += 100;
  if (flags & 8) p += 4; // quality
  const lame = p;
  const encoder = file.subarray(lame, lame + 9).toString("latin1");
  const method = file[lame + 9]! & 0x0f;
  const dp = lame + 21;
  const delay = (file[dp]! << 4) | (file[dp + 1]! >> 4);
  const pad = ((file[dp + 1]! & 0x0f) << 8) | file[dp + 2]!;
  const musicLength = file.readUInt32BE(lame + 28);
  const musicCrc = file.readUInt16BE(lame + 32);
  const tagCrc = file.readUInt16BE(lame + 34);
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  return {
    id3Bytes,
    frameAt: at,
    frameBytes,
    sampleRate,
    samplesPerFrame,
    bitrateKbps,
    tag,
    flags,
    frames,
    bytes,
    toc,
    encoder,
    method,
    delay,
    padding: pad,
    musicLength,
    musicCrc,
    tagCrc,
    tagCrcComputed: crc16Arc(file.subarray(at, lame + 34)),
    musicCrcComputed: crc16Arc(file.subarray(at + frameBytes)),
    pcmSamples: frames * samplesPerFrame - delay - pad,
  };
}

/** Counts the MPEG frames after the Info frame by walking their headers. */
export function countAudioFrames(file: Buffer, info: Mp3Info): number {
  let at = info.frameAt + info.frameBytes;
  let n = 0;
  while (at + 4 <= file.length) {
    if (file[at] !== 0xff || (file[at + 1]! & 0xe0) !== 0xe0) throw new Error(`lost frame sync at byte ${at}`);
    const mpeg1 = ((file[at + 1]! >> 3) & 3) === 3;
    const kbps = (mpeg1 ? V1_KBPS : V2_KBPS)[file[at + 2]! >> 4]!;
    const pad = (file[at + 2]! >> 1) & 1;
    at += Math.floor(((mpeg1 ? 144_000 : 72_000) * kbps) / info.sampleRate) + pad;
    n++;
  }
  if (at !== file.length) throw new Error(`the last frame runs past the end of the file (${at} > ${file.length})`);
  return n;
}
