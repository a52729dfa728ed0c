// Stage 5: clips → one MP3 with chapters, plus the transcript as JSON, WebVTT and Markdown with
// the real timings. Files are written under a temporary name and renamed, so a reader (or a
// crashed run) never sees half an MP3 under the final name.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { assembleEpisode, type SpeakerLevel } from "../audio/assemble.js";
import type { ClipSource } from "../audio/clip-source.js";
import { toJson, toMarkdown, toWebVtt, type TranscriptDoc } from "../audio/transcript-files.js";
import type { Chapter, Outline, TimedTurn } from "../../core/model.js";
import { throwIfCanceled } from "./cancel.js";

export const EPISODE_FILE_NAMES = {
  mp3: "audio.mp3",
  json: "transcript.json",
  vtt: "transcript.vtt",
  md: "transcript.md",
} as const;

export interface EpisodeFiles {
  mp3: string;
  json: string;
  vtt: string;
  md: string;
}

export interface EpisodeMeta {
  title: string;
  show: string;
  date: Date;
  /** What the episode is about (for the description players show); the chapters are added to it. */
  summary: string;
  /** Cover art (PNG), written into the MP3 as its front cover. */
  cover?: Buffer | undefined;
}

export interface AudioInput {
  clips: ClipSource[];
  outline: Outline;
  outDir: string;
  meta: EpisodeMeta;
  signal: AbortSignal;
}

export interface WrittenEpisode {
  files: EpisodeFiles;
  durationSeconds: number;
  turns: TimedTurn[];
  chapters: Chapter[];
  loudness: { integrated: number; truePeak: number };
  speakers: SpeakerLevel[];
}

export async function writeEpisodeFiles(
  input: AudioInput,
  progress: (fraction: number, message: string) => void,
): Promise<WrittenEpisode> {
  const segmentNames = input.outline.segments.map((s) => s.name);
  const date = input.meta.date.toISOString().slice(0, 10);
  await mkdir(input.outDir, { recursive: true });
  const files: EpisodeFiles = {
    mp3: path.join(input.outDir, EPISODE_FILE_NAMES.mp3),
    json: path.join(input.outDir, EPISODE_FILE_NAMES.json),
    vtt: path.join(input.outDir, EPISODE_FILE_NAMES.vtt),
    md: path.join(input.outDir, EPISODE_FILE_NAMES.md),
  };
  // Assembly (which writes the MP3 itself, streaming) owns 95 % of this stage; the transcript files are the rest.
  const { title, show, summary, cover } = input.meta;
  const assembled = await assembleEpisode({
    clips: input.clips,
    segmentNames,
    meta: { title, show, date, summary, cover },
    outFile: files.mp3,
    onProgress: (f: number) => progress(0.95 * f, "assembling audio"),
    signal: input.signal,
  });
  throwIfCanceled(input.signal, "audio");

  const { turns, chapters, durationSeconds } = assembled;
  const doc: TranscriptDoc = { title, show, date, turns, chapters, durationSeconds };
  await writeAtomic(files.json, toJson(doc));
  await writeAtomic(files.vtt, toWebVtt(doc.turns));
  await writeAtomic(files.md, toMarkdown(doc));
  progress(1, "transcript files written");
  return {
    files,
    durationSeconds: assembled.durationSeconds,
    turns: assembled.turns,
    chapters: assembled.chapters,
    loudness: assembled.loudness,
    speakers: assembled.speakers,
  };
}

/** What the episode covers, segment by segment, from the outline's descriptions ("" when it has none). */
export function episodeSummary(outline: Outline): string {
  return outline.segments
    .map((seg) => seg.description.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .map((d) => (/[.!?…]$/.test(d) ? d : `${d}.`))
    .join(" ");
}

async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
