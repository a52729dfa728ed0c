// The speech cache's clips on the store: `cache/tts/<hash>.pcm`, raw little-endian float32 samples,
// the same bytes the data-dir cache has always written. The hash is speechCacheKey (provider,
// model, voice, settings, language, text), so equal requests meet the same object from any
// machine: with the store shared and the tts_cache record in the shared database, a retry on
// another worker finds every clip already spoken and re-bills nothing.
// Order for writers: put the clip first, then the record, so a record always points at a whole
// clip. Two workers that speak the same line write identical bytes; the last write wins harmlessly.
import { AppError } from "../errors.js";
import { speechClipKey } from "./keys.js";
import type { ArtifactStore } from "./types.js";

export async function putSpeechClip(store: ArtifactStore, hash: string, samples: Float32Array): Promise<void> {
  const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  await store.put(speechClipKey(hash), bytes, { contentType: "application/octet-stream" });
}

/**
 * The clip's samples, or undefined when the store has none. A clip of another length than the
 * record says is an error (the caller logs it and speaks the line again).
 */
export async function getSpeechClip(
  store: ArtifactStore,
  hash: string,
  expectedSamples: number,
): Promise<Float32Array | undefined> {
  const buf = await store.get(speechClipKey(hash));
  if (!buf) return undefined;
  if (buf.byteLength !== expectedSamples * 4) {
    throw new AppError(
      "internal",
      `speech clip ${hash}: expected ${expectedSamples * 4} bytes, found ${buf.byteLength}`,
    );
  }
  // Copy into an aligned buffer: a Buffer may start at an offset that is not a multiple of 4.
  const samples = new Float32Array(expectedSamples);
  new Uint8Array(samples.buffer).set(buf);
  return samples;
}
