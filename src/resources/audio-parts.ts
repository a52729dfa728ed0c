// An episode's audio in parts, for readers that cannot take it in one message (the player frame,
// which gets audio only as resource reads through its host). podcast://episodes/{id}/audio/parts
// says how many parts there are; podcast://episodes/{id}/audio/parts/{n} is part n as a blob.
import { type McpServer, ResourceTemplate, type ReadResourceResult } from "@modelcontextprotocol/server";
import { AppError } from "../errors.js";
import { withTable } from "../core/ids.js";
import type { EpisodeFile } from "../podcasts/artifacts.js";
import type { ResourceDeps } from "./deps.js";
import { json, one, reading } from "./util.js";

/**
 * 3 MiB: base64 makes each part 4 MiB of text, well under the 10 MiB message limit of the SDKs'
 * stdio readers. A multiple of 3, so no part but the last has base64 padding and the parts'
 * base64 strings joined are the whole file's base64 (the frame joins them without decoding).
 */
export const AUDIO_PART_BYTES = 3 * 1024 * 1024;

export interface AudioPartIndex {
  episode_id: string;
  mime_type: "audio/mpeg";
  size: number;
  part_bytes: number;
  parts: number;
  uris: string[];
}

export function partIndex(episodeId: string, size: number, partBytes = AUDIO_PART_BYTES): AudioPartIndex {
  const parts = Math.max(1, Math.ceil(size / partBytes));
  const base = `podcast://episodes/${episodeId}/audio/parts`;
  return {
    episode_id: episodeId,
    mime_type: "audio/mpeg",
    size,
    part_bytes: partBytes,
    parts,
    uris: Array.from({ length: parts }, (_, i) => `${base}/${i}`),
  };
}

/** "3" → 3 when 0 ≤ 3 < parts; anything else is invalid_input naming the rule. */
export function parsePart(raw: string, parts: number): number {
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n >= parts)
    throw new AppError("invalid_input", `part: must be a whole number from 0 to ${parts - 1}`, { field: "part" });
  return n;
}

/** Part `part` of the file as base64, read from the artifact store as one byte range. */
export async function readPart(
  file: Pick<EpisodeFile, "open">,
  size: number,
  part: number,
  partBytes = AUDIO_PART_BYTES,
): Promise<string> {
  const start = part * partBytes;
  const end = Math.min(size, start + partBytes) - 1;
  const chunks: Buffer[] = [];
  for await (const chunk of await file.open({ start, end })) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("base64");
}

export function registerAudioPartResources(
  server: McpServer,
  deps: ResourceDeps,
  era: "legacy" | "modern",
  partBytes = AUDIO_PART_BYTES,
): void {
  const { podcasts } = deps;
  // Ids are completed on the episode templates; these are read by programs that already know one.
  const audio = async (id: string) => {
    const file = await podcasts.episodeFile(id, "mp3");
    return { file, size: file.info.size, episodeId: withTable("episode", id, "episode_id") };
  };

  server.registerResource(
    "episode-audio-parts",
    new ResourceTemplate("podcast://episodes/{id}/audio/parts", { list: undefined }),
    {
      title: "Episode audio: list of parts",
      description: `The MP3's size and the URIs of its parts of ${partBytes} bytes`,
      mimeType: "application/json",
    },
    reading(era, async (uri, vars) => {
      const { size, episodeId } = await audio(one(vars.id));
      return json(uri, partIndex(episodeId, size, partBytes));
    }),
  );

  server.registerResource(
    "episode-audio-part",
    new ResourceTemplate("podcast://episodes/{id}/audio/parts/{n}", { list: undefined }),
    { title: "Episode audio: one part (MP3 bytes)", mimeType: "audio/mpeg" },
    reading(era, async (uri, vars): Promise<ReadResourceResult> => {
      const { file, size } = await audio(one(vars.id));
      const n = parsePart(one(vars.n), partIndex("", size, partBytes).parts);
      return { contents: [{ uri: uri.href, mimeType: "audio/mpeg", blob: await readPart(file, size, n, partBytes) }] };
    }),
  );
}
