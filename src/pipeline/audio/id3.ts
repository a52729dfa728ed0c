// ID3v2 tags for the episode: the usual text frames plus ID3v2 chapter frames (CHAP, one per
// segment, and a top-level ordered CTOC listing them), which Apple Podcasts, Overcast, Pocket Casts
// and most podcast apps show as chapters.
import NodeID3 from "node-id3";
import { AppError } from "../../errors.js";
import type { Chapter } from "../../core/model.js";

export interface EpisodeMeta {
  title: string;
  /** Show name: written as artist and album, as podcast apps expect. */
  show: string;
  /** ISO date (YYYY-MM-DD) or full ISO timestamp. */
  date: string;
  comment?: string | undefined;
}

const CHAPTER_LIMIT = 255; // CTOC stores its entry count in one byte

/** Throws invalid_input naming the field when the metadata cannot be written; returns the year. */
export function checkMeta(meta: EpisodeMeta): string {
  const year = /^(\d{4})/.exec(meta.date)?.[1];
  if (!year) throw new AppError("invalid_input", `meta.date: must start with a 4-digit year (ISO date), got "${meta.date}"`, { field: "meta.date" });
  if (!meta.title.trim()) throw new AppError("invalid_input", "meta.title: must not be empty", { field: "meta.title" });
  return year;
}

export function tagMp3(mp3: Buffer, meta: EpisodeMeta, chapters: Chapter[]): Buffer {
  const year = checkMeta(meta);
  if (chapters.length > CHAPTER_LIMIT) {
    throw new AppError("invalid_input", `chapters: at most ${CHAPTER_LIMIT} chapters fit an ID3 table of contents, got ${chapters.length}`, { field: "chapters" });
  }
  const ids = chapters.map((_, i) => `chp${i}`);
  const tags: NodeID3.Tags = {
    title: meta.title,
    artist: meta.show,
    album: meta.show,
    genre: "Podcast",
    year,
    ...(meta.comment ? { comment: { language: "eng", text: meta.comment } } : {}),
    chapter: chapters.map((c, i) => ({
      elementID: ids[i]!,
      startTimeMs: Math.round(c.start * 1000),
      endTimeMs: Math.round(c.end * 1000),
      tags: { title: c.title },
    })),
    tableOfContents: chapters.length ? [{ elementID: "toc", isOrdered: true, elements: ids }] : [],
  };
  const out = NodeID3.write(tags, mp3);
  if (!Buffer.isBuffer(out)) throw new AppError("internal", `id3: writing tags failed: ${String(out)}`);
  return out;
}

export interface Id3Summary {
  title?: string | undefined;
  artist?: string | undefined;
  album?: string | undefined;
  year?: string | undefined;
  comment?: string | undefined;
  chapters: Chapter[];
}

/** Reads back what tagMp3 wrote. Chapters in table-of-contents order when there is one. */
export function readTags(mp3: Buffer): Id3Summary {
  const tags = NodeID3.read(mp3, { noRaw: true }) as NodeID3.Tags;
  const byId = new Map((tags.chapter ?? []).map((c) => [c.elementID, c]));
  const order = tags.tableOfContents?.[0]?.elements ?? [...byId.keys()];
  const chapters = order
    .map((id) => byId.get(id))
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
    .map((c) => ({ title: c.tags?.title ?? "", start: c.startTimeMs / 1000, end: c.endTimeMs / 1000 }));
  return { title: tags.title, artist: tags.artist, album: tags.album, year: tags.year, comment: tags.comment?.text, chapters };
}

export function readChapters(mp3: Buffer): Chapter[] {
  return readTags(mp3).chapters;
}
