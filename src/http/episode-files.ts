// The files of an episode over HTTP: /episodes/<id>/audio.mp3, transcript.vtt|json|md, chapters.json.
// The id is checked against the record-key rule here and again by the service; a file is only ever
// found through the service's artifactPath, never by a path from the request.
import { readFile } from "node:fs/promises";
import type { PodcastService } from "../podcasts/service.js";
import { RECORD_KEY } from "../db/record-key.js";
import { bufferSource, fileSource, type ServedFile } from "./served-file.js";
import { CHAPTERS_MIME, jsonChapters } from "./chapters.js";

/** The one service call this part makes (the S3 store will answer it with an object instead of a path). */
export type EpisodeFileLookup = Pick<PodcastService, "artifactPath">;

const ROUTE = new RegExp(
  `^/episodes/((?:episode:)?${RECORD_KEY})/(audio\\.mp3|transcript\\.(?:vtt|json|md)|chapters\\.json)$`,
);

const FILES = {
  "audio.mp3": { kind: "mp3", mime: "audio/mpeg" },
  "transcript.vtt": { kind: "vtt", mime: "text/vtt; charset=utf-8" },
  "transcript.json": { kind: "json", mime: "application/json" },
  "transcript.md": { kind: "md", mime: "text/markdown; charset=utf-8" },
} as const;

export function matchEpisodeFile(pathname: string): { id: string; name: string } | undefined {
  const m = ROUTE.exec(pathname);
  return m ? { id: m[1]!, name: m[2]! } : undefined;
}

export async function openEpisodeFile(
  podcasts: EpisodeFileLookup,
  id: string,
  name: string,
): Promise<{ file: ServedFile | undefined; mime: string }> {
  if (name === "chapters.json") {
    const path = await podcasts.artifactPath(id, "json");
    const transcript = await fileSource(path);
    if (!transcript) return { file: undefined, mime: CHAPTERS_MIME };
    const text = await readFile(path, "utf8");
    return { file: bufferSource(Buffer.from(jsonChapters(text)), transcript.lastModified), mime: CHAPTERS_MIME };
  }
  const { kind, mime } = FILES[name as keyof typeof FILES];
  return { file: await fileSource(await podcasts.artifactPath(id, kind)), mime };
}
