// ID3v2 tags for the episode: the usual text frames, a description (COMM, what players show under
// the title), the cover (APIC, front cover), and chapter frames (CHAP, one per segment, and a
// top-level ordered CTOC listing them), which Apple Podcasts, Overcast, Pocket Casts and most
// podcast apps show as chapters. The tag is built on its own and goes in front of the audio.
import NodeID3 from "node-id3";
import { AppError } from "../../errors.js";
import type { Chapter } from "../../core/model.js";

export interface EpisodeMeta {
  title: string;
  /** Show name: written as artist and album, as podcast apps expect. */
  show: string;
  /** ISO date (YYYY-MM-DD) or full ISO timestamp. */
  date: string;
  /** What the episode is about, for people: written as the comment players show. */
  description?: string | undefined;
  /** Cover art, a PNG image. */
  cover?: Buffer | undefined;
}

const CHAPTER_LIMIT = 255; // CTOC stores its entry count in one byte
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Every episode file carries the cover: a few hundred KB is plenty for a 3000 px podcast cover. */
const COVER_MAX_BYTES = 4 * 1024 * 1024;
const FRONT_COVER = 3; // ID3v2 APIC picture type

/** Throws invalid_input naming the field when the metadata cannot be written; returns the year. */
export function checkMeta(meta: EpisodeMeta): string {
  const year = /^(\d{4})/.exec(meta.date)?.[1];
  if (!year)
    throw new AppError("invalid_input", `meta.date: must start with a 4-digit year (ISO date), got "${meta.date}"`, {
      field: "meta.date",
    });
  if (!meta.title.trim()) throw new AppError("invalid_input", "meta.title: must not be empty", { field: "meta.title" });
  if (meta.cover !== undefined) {
    if (!Buffer.isBuffer(meta.cover) || meta.cover.length < 33 || !meta.cover.subarray(0, 8).equals(PNG_SIGNATURE)) {
      throw new AppError("invalid_input", "meta.cover: must be a PNG image", { field: "meta.cover" });
    }
    if (meta.cover.length > COVER_MAX_BYTES) {
      throw new AppError(
        "invalid_input",
        `meta.cover: must be at most ${COVER_MAX_BYTES} bytes, got ${meta.cover.length}`,
        { field: "meta.cover" },
      );
    }
  }
  return year;
}

/** The ID3v2 tag (header included) to put in front of the MP3 frames. */
export function id3Tag(meta: EpisodeMeta, chapters: Chapter[]): Buffer {
  const year = checkMeta(meta);
  if (chapters.length > CHAPTER_LIMIT) {
    throw new AppError(
      "invalid_input",
      `chapters: at most ${CHAPTER_LIMIT} chapters fit an ID3 table of contents, got ${chapters.length}`,
      { field: "chapters" },
    );
  }
  const ids = chapters.map((_, i) => `chp${i}`);
  const tags: NodeID3.Tags = {
    title: meta.title,
    artist: meta.show,
    album: meta.show,
    genre: "Podcast",
    year,
    ...(meta.description ? { comment: { language: "eng", text: meta.description } } : {}),
    ...(meta.cover
      ? { image: { mime: "image/png", type: { id: FRONT_COVER }, description: "Cover", imageBuffer: meta.cover } }
      : {}),
    chapter: chapters.map((c, i) => ({
      elementID: ids[i]!,
      startTimeMs: Math.round(c.start * 1000),
      endTimeMs: Math.round(c.end * 1000),
      tags: { title: c.title },
    })),
    tableOfContents: chapters.length ? [{ elementID: "toc", isOrdered: true, elements: ids }] : [],
  };
  const out = NodeID3.create(tags);
  if (!Buffer.isBuffer(out)) throw new AppError("internal", `id3: building the tag failed: ${String(out)}`);
  return out;
}

export interface Id3Summary {
  title?: string | undefined;
  artist?: string | undefined;
  album?: string | undefined;
  year?: string | undefined;
  comment?: string | undefined;
  cover?: { mime: string; type: number; image: Buffer } | undefined;
  chapters: Chapter[];
}

/** Reads back what id3Tag wrote. Chapters in table-of-contents order when there is one. */
export function readTags(mp3: Buffer): Id3Summary {
  const tags = NodeID3.read(mp3, { noRaw: true }) as NodeID3.Tags;
  const byId = new Map((tags.chapter ?? []).map((c) => [c.elementID, c]));
  const order = tags.tableOfContents?.[0]?.elements ?? [...byId.keys()];
  const chapters = order
    .map((id) => byId.get(id))
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
    .map((c) => ({ title: c.tags?.title ?? "", start: c.startTimeMs / 1000, end: c.endTimeMs / 1000 }));
  const img = typeof tags.image === "object" ? tags.image : undefined;
  return {
    title: tags.title,
    artist: tags.artist,
    album: tags.album,
    year: tags.year,
    comment: tags.comment?.text,
    cover: img ? { mime: img.mime, type: img.type.id, image: img.imageBuffer } : undefined,
    chapters,
  };
}

export function readChapters(mp3: Buffer): Chapter[] {
  return readTags(mp3).chapters;
}
