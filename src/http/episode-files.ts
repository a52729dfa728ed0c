// The files of an episode over HTTP: /episodes/<id>/audio.mp3, transcript.vtt|json|md, chapters.json.
// The id is checked against the record-key rule here and again by the service; a file is only ever
// found through the service (on the artifact store: the data dir or an S3-compatible bucket), never
// by a path from the request.
import { RECORD_KEY } from "../core/ids.js";
import type { PodcastService } from "../podcasts/service.js";
import { CHAPTERS_MIME, jsonChapters } from "./chapters.js";
import { bufferSource, type ServedFile } from "./served-file.js";

/** The service calls this part makes. */
export type EpisodeFileLookup = Pick<PodcastService, "episodeFile" | "readEpisodeFile" | "presignEpisodeFile">;

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

/**
 * The file to send, or (redirectSeconds > 0 and a store that can presign) a short-lived URL of the
 * object to redirect to, so large audio goes from the bucket to the listener without this server.
 */
export async function openEpisodeFile(
  podcasts: EpisodeFileLookup,
  id: string,
  name: string,
  redirectSeconds = 0,
): Promise<{ file: ServedFile; mime: string } | { redirect: string }> {
  if (name === "chapters.json") {
    const { info } = await podcasts.episodeFile(id, "json");
    const text = (await podcasts.readEpisodeFile(id, "json")).toString("utf8");
    return { file: bufferSource(Buffer.from(jsonChapters(text)), info.lastModified), mime: CHAPTERS_MIME };
  }
  const { kind, mime } = FILES[name as keyof typeof FILES];
  if (redirectSeconds > 0) {
    const url = await podcasts.presignEpisodeFile(id, kind, redirectSeconds);
    if (url) return { redirect: url };
  }
  const f = await podcasts.episodeFile(id, kind);
  return { file: { ...f.info, open: f.open }, mime };
}
