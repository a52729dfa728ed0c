// The episode's MP3 as a data: URL, read through the host in parts (podcast://episodes/{id}/audio/parts).
// A data: URL because the spec's default CSP for a frame allows `media-src 'self' data:` and
// nothing else (no blob:, no network). Parts are 3 MiB, a multiple of 3 bytes, so their base64
// texts join into the file's base64 without decoding.
import type { Host } from "./host.js";

interface PartIndex {
  parts: number;
  size: number;
  uris: string[];
  mime_type: string;
}

export interface LoadedAudio {
  dataUrl: string;
  base64: string;
  mimeType: string;
  size: number;
}

export async function loadAudio(
  host: Host,
  episodeId: string,
  onPart: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<LoadedAudio> {
  const index = (await host.readJson(`podcast://episodes/${episodeId}/audio/parts`)) as PartIndex;
  if (!Array.isArray(index.uris) || index.uris.length === 0) throw new Error("the episode's audio has no parts");
  const texts: string[] = [];
  onPart(0, index.uris.length);
  for (const uri of index.uris) {
    if (signal.aborted) throw new Error("stopped");
    texts.push((await host.readBase64(uri)).base64);
    onPart(texts.length, index.uris.length);
  }
  const base64 = texts.join("");
  const mimeType = index.mime_type || "audio/mpeg";
  return { dataUrl: `data:${mimeType};base64,${base64}`, base64, mimeType, size: index.size };
}
