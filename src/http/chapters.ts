// /episodes/<id>/chapters.json: the episode's chapters in the Podcasting 2.0 JSON chapters format
// (podcastindex.org namespace, `podcast:chapters`, type application/json+chapters), made from the
// transcript JSON the pipeline writes, whose times already include the encoder delay players hear.
export const CHAPTERS_MIME = "application/json+chapters";

interface TranscriptJson {
  title?: unknown;
  chapters?: { title?: unknown; start?: unknown; end?: unknown }[];
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

export function jsonChapters(transcriptJson: string): string {
  const doc = JSON.parse(transcriptJson) as TranscriptJson;
  const chapters = (Array.isArray(doc.chapters) ? doc.chapters : []).flatMap((c) => {
    const startTime = num(c.start);
    if (startTime === undefined) return [];
    const endTime = num(c.end);
    return [
      {
        startTime,
        ...(typeof c.title === "string" ? { title: c.title } : {}),
        ...(endTime !== undefined ? { endTime } : {}),
      },
    ];
  });
  return JSON.stringify(
    { version: "1.2.0", ...(typeof doc.title === "string" ? { title: doc.title } : {}), chapters },
    null,
    2,
  );
}
