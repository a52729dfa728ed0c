// Stage 5: clips → one MP3 with chapters, plus the transcript as JSON, WebVTT and Markdown with
// the real timings. Files are written under a temporary name and renamed, so a reader (or a
// crashed run) never sees half an MP3 under the final name.
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { assembleEpisode } from "../audio/assemble.js";
import { toJson, toMarkdown, toWebVtt, type TranscriptDoc } from "../audio/transcript-files.js";
import type { Chapter, Outline, Pcm, TimedTurn, Turn } from "../../core/model.js";
import { throwIfCanceled } from "./cancel.js";

export const EPISODE_FILE_NAMES = { mp3: "audio.mp3", json: "transcript.json", vtt: "transcript.vtt", md: "transcript.md" } as const;

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
  comment: string;
}

export interface AudioInput {
  clips: { pcm: Pcm; turn: Turn }[];
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
}

export async function writeEpisodeFiles(input: AudioInput, progress: (fraction: number, message: string) => void): Promise<WrittenEpisode> {
  const segmentNames = input.outline.segments.map((s) => s.name);
  // Assembly owns 90 % of this stage; writing the four files is the rest.
  const date = input.meta.date.toISOString().slice(0, 10);
  const assembled = await assembleEpisode({
    clips: input.clips,
    segmentNames,
    meta: { title: input.meta.title, show: input.meta.show, date, comment: input.meta.comment },
    onProgress: (f: number) => progress(0.9 * f, "assembling audio"),
    signal: input.signal,
  });
  throwIfCanceled(input.signal, "audio");

  await mkdir(input.outDir, { recursive: true });
  const files: EpisodeFiles = {
    mp3: path.join(input.outDir, EPISODE_FILE_NAMES.mp3),
    json: path.join(input.outDir, EPISODE_FILE_NAMES.json),
    vtt: path.join(input.outDir, EPISODE_FILE_NAMES.vtt),
    md: path.join(input.outDir, EPISODE_FILE_NAMES.md),
  };
  const doc: TranscriptDoc = { title: input.meta.title, show: input.meta.show, date, turns: assembled.turns, chapters: assembled.chapters, durationSeconds: assembled.durationSeconds };
  await writeAtomic(files.mp3, assembled.mp3);
  progress(0.95, "audio written");
  await writeAtomic(files.json, toJson(doc));
  await writeAtomic(files.vtt, toWebVtt(doc.turns));
  await writeAtomic(files.md, toMarkdown(doc));
  progress(1, "transcript files written");
  return { files, durationSeconds: assembled.durationSeconds, turns: assembled.turns, chapters: assembled.chapters, loudness: assembled.loudness };
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
