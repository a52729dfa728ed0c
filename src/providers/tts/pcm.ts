// Byte formats the speech providers return, turned into the pipeline's float Pcm.
import { AppError } from "../../errors.js";
import type { Pcm } from "../../core/model.js";

/** Signed 16-bit little-endian mono (OpenAI `pcm`, ElevenLabs `pcm_*`). A trailing odd byte is dropped. */
export function s16leToPcm(bytes: Uint8Array, sampleRate: number): Pcm {
  const n = bytes.byteLength >> 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, n * 2);
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
  return { samples, sampleRate };
}

/** Float samples to signed 16-bit little-endian bytes (used by the fakes to speak the real wire format). */
export function pcmToS16le(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    view.setInt16(i * 2, Math.round(s < 0 ? s * 32768 : s * 32767), true);
  }
  return out;
}

/** A RIFF/WAVE file with 16-bit PCM mono (what Flite writes). Walks the chunks instead of assuming a 44-byte header. */
export function wavToPcm(bytes: Uint8Array): Pcm {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") {
    throw new AppError("internal", "wav: not a RIFF/WAVE file");
  }
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt ") {
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
    } else if (id === "data") {
      if (bits !== 16 || channels !== 1)
        throw new AppError("internal", `wav: expected 16-bit mono, got ${bits}-bit ${channels}-channel`);
      const end = Math.min(bytes.byteLength, body + size);
      return s16leToPcm(bytes.subarray(body, end), sampleRate);
    }
    at = body + size + (size & 1);
  }
  throw new AppError("internal", "wav: no data chunk");
}
