// The Xing "Info" frame with a LAME tag: the first frame of the file, silent for decoders that do
// not know it, and the one place where a player learns the exact length and what to trim.
//
// Without it, ffprobe says "Estimating duration from bitrate" and players play the encoder's delay
// (46 ms at 24 kHz) and its end padding as sound. With it (layout of LAME 3.100's VbrTag.c, read
// by ffmpeg, mpg123, Apple's and Android's decoders):
//   "Info" (CBR) · flags 0x0F · frames · bytes · 100-byte seek table · quality
//   "LAME3.100" · method · lowpass · replay gain · flags · bitrate · delay|padding (12 + 12 bits)
//   · misc · mp3 gain · preset · music length · music CRC · tag CRC
// A player then plays frames × samples per frame − delay − padding samples: exactly the PCM.
//
// Values written, and why:
// - delay = 576: what wasm-media-encoders' LAME 3.100 puts before the first input sample. A decoder
//   adds its own 529 (decoder delay) to it; test/audio/gapless.test.ts measures 576 + 529 = 1105
//   on a click decoded without gapless trimming, which is what LAME's own tag would say.
// - padding = frames × samples per frame − delay − PCM length, from the frames actually written.
// - frames: audio frames only (not this one); bytes: this frame plus every audio frame, as LAME
//   and ffmpeg's muxer count them.
// - "LAME3.100": the encoder that made the frames; ffmpeg and mpg123 read delay and padding only
//   from a tag whose encoder string starts with "LAME" (or "Lavf"/"Lavc").
// - quality, lowpass, replay gain, preset: 0 (unknown): nothing reads them to decode.
import { bitrateIndex, bitratesOf, crc16, type FrameHeader } from "./mp3-frames.js";

/** LAME's encoder delay (its ENCDELAY), in samples. */
export const ENCODER_DELAY_SAMPLES = 576;
/** What mpg123/ffmpeg-style decoders add to it (the synthesis filterbank's delay, 528 + 1). */
export const DECODER_DELAY_SAMPLES = 529;

const XING_BYTES = 4 + 4 + 4 + 4 + 100 + 4; // tag, flags, frames, bytes, TOC, quality
const LAME_BYTES = 36;
const MAX_FIELD = 0xfff; // delay and padding are 12-bit fields

export interface InfoFrameInput {
  /** Header of the audio frames: version, sample rate and mode are copied from it. */
  audio: FrameHeader;
  /** Bytes 1 and 3 of the audio frames' header, as the encoder wrote them (mode, flags). */
  audioHeaderBytes: Uint8Array;
  frames: number;
  /** Bytes of the audio frames (without this frame). */
  audioBytes: number;
  /** CRC-16 of the audio frames' bytes. */
  audioCrc: number;
  /** Samples of PCM that went in. */
  pcmSamples: number;
}

/** The bitrate of the Info frame: the stream's own when the tag fits in it, else the next that does. */
export function infoFrameBitrate(version: 1 | 2 | 2.5, sampleRate: number, mono: boolean, streamKbps: number): number {
  const side = version === 1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const need = 4 + side + XING_BYTES + LAME_BYTES;
  const per = version === 1 ? 144_000 : 72_000;
  const fits = (kbps: number) => Math.floor((per * kbps) / sampleRate) >= need;
  if (fits(streamKbps)) return streamKbps;
  const kbps = bitratesOf(version).find((k) => k > streamKbps && fits(k));
  if (kbps === undefined) throw new Error(`mp3: no bitrate at ${sampleRate} Hz holds an Info frame`);
  return kbps;
}

/** Bytes of the Info frame for a stream of these parameters (known before encoding: space is reserved). */
export function infoFrameLength(version: 1 | 2 | 2.5, sampleRate: number, mono: boolean, streamKbps: number): number {
  const kbps = infoFrameBitrate(version, sampleRate, mono, streamKbps);
  return Math.floor(((version === 1 ? 144_000 : 72_000) * kbps) / sampleRate);
}

export function buildInfoFrame(input: InfoFrameInput): Buffer {
  const { audio } = input;
  const kbps = infoFrameBitrate(audio.version, audio.sampleRate, audio.mono, audio.bitrateKbps);
  const length = infoFrameLength(audio.version, audio.sampleRate, audio.mono, audio.bitrateKbps);
  const padding = input.frames * audio.samplesPerFrame - ENCODER_DELAY_SAMPLES - input.pcmSamples;
  if (padding < 0 || padding > MAX_FIELD) {
    throw new Error(
      `mp3: end padding of ${padding} samples does not fit the LAME tag ` +
        `(${input.frames} frames for ${input.pcmSamples} samples)`,
    );
  }
  const f = Buffer.alloc(length);
  f[0] = 0xff;
  f[1] = input.audioHeaderBytes[1]! | 0x01; // same version and layer; no CRC protection
  // Bitrate index of this frame, the stream's sample-rate index and private bit, no padding.
  f[2] = (bitrateIndex(audio.version, kbps) << 4) | (input.audioHeaderBytes[2]! & 0x0d);
  f[3] = input.audioHeaderBytes[3]!;
  let at = 4 + audio.sideInfoBytes; // side information stays zero: the frame decodes as silence
  at += f.write("Info", at, "latin1");
  at = f.writeUInt32BE(0x0f, at); // frames, bytes, TOC and quality present
  at = f.writeUInt32BE(input.frames, at);
  const streamBytes = length + input.audioBytes;
  at = f.writeUInt32BE(streamBytes, at);
  for (let i = 0; i < 100; i++) f[at + i] = Math.floor((i * 256) / 100); // CBR: position is linear in time
  at += 100;
  at = f.writeUInt32BE(0, at); // quality
  const lameStart = at;
  at += f.write("LAME3.100", at, "latin1");
  f[at++] = 0x01; // tag revision 0, method 1 = CBR
  f[at++] = 0; // lowpass, unknown
  at += 4 + 2 + 2; // peak amplitude, radio and audiophile replay gain: none
  f[at++] = 0; // encoding flags and ATH type
  f[at++] = Math.min(255, audio.bitrateKbps);
  f[at++] = ENCODER_DELAY_SAMPLES >> 4;
  f[at++] = ((ENCODER_DELAY_SAMPLES & 0x0f) << 4) | (padding >> 8);
  f[at++] = padding & 0xff;
  // misc: noise shaping 0, stereo mode (0 mono, 1 stereo), source rate (0 ≤ 32 kHz, 1 44.1, 2 48 kHz)
  const sourceRate = audio.sampleRate <= 32_000 ? 0 : audio.sampleRate === 48_000 ? 2 : 1;
  f[at++] = ((audio.mono ? 0 : 1) << 2) | (sourceRate << 6);
  f[at++] = 0; // mp3 gain
  at += 2; // surround and preset
  at = f.writeUInt32BE(streamBytes, at); // music length, this frame included (as LAME writes it)
  at = f.writeUInt16BE(input.audioCrc, at);
  f.writeUInt16BE(crc16(f.subarray(0, at)), at);
  if (at + 2 - lameStart !== LAME_BYTES) throw new Error("mp3: LAME tag layout is off");
  return f;
}
