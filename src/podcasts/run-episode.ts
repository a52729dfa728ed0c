// One episode through the pipeline: load it, run runPipeline with the episode's checkpoints, the
// speech cache and its artifact dir, and store what came out. The queue handler (command.ts) and
// the in-process `generate` CLI both call this, so they make identical episodes.
import path from "node:path";
import type { Config } from "../config.js";
import type { Db } from "../db/index.js";
import { AppError, errorKind, errorMessage } from "../errors.js";
import type { Logger } from "../log.js";
import { overallProgress, runPipeline, type PipelineResult } from "../pipeline/run.js";
import type { StageContext } from "../pipeline/types.js";
import { createFileArtifactStore, type ArtifactStore } from "./artifacts.js";
import { episodeCheckpoints } from "./checkpoints.js";
import { loadEpisode } from "./episodes.js";
import { parseRecordId } from "./ids.js";
import { createProviders, type Providers } from "./providers.js";
import { createSpeechCache } from "./speech-cache.js";
import { write } from "./db-write.js";
import { voicesForRun } from "./voice-map.js";

export interface EpisodeRunDeps {
  db: Db;
  config: Config;
  log: Logger;
  artifacts?: ArtifactStore;
  providers?: Providers;
}

export interface RunControl {
  signal: AbortSignal;
  /** Overall fraction in [0,1], the stage, and a line a person can read. */
  progress(fraction: number, stage: string, message: string): void;
  log: Logger;
}

export interface EpisodeRunResult {
  episode_id: string;
  audio_file: string;
  duration: number;
}

export async function runEpisode(deps: EpisodeRunDeps, episodeId: string, ctl: RunControl): Promise<EpisodeRunResult> {
  const { db, config } = deps;
  const id = parseRecordId("episode", episodeId, "episode_id");
  const ep = await loadEpisode(db, episodeId);
  const artifacts = deps.artifacts ?? createFileArtifactStore(config.dataDir);
  const providers = deps.providers ?? createProviders(config, ctl.log);
  await write(db, "UPDATE $id SET status = 'running', error = NONE, updated = time::now()", { id });

  const ctx: StageContext = {
    signal: ctl.signal,
    progress: (stage, fraction, message) => ctl.progress(overallProgress(stage, fraction), stage, message ?? stage),
    checkpoints: episodeCheckpoints(db, id),
    log: ctl.log,
  };
  let result: PipelineResult;
  try {
    result = await runPipeline(
      {
        episodeName: ep.name,
        briefing: ep.briefing,
        content: ep.content,
        script: ep.script,
        episodeProfile: ep.episode_profile,
        // Profiles are stored as submitted; voices are mapped for the provider "auto" means today.
        speakerProfile: voicesForRun(ep.speaker_profile, config),
        language: ep.language,
        date: new Date(ep.created),
      },
      ctx,
      { ...providers, speechCache: createSpeechCache(db, config.dataDir, ctl.log), outDir: artifacts.dirFor(ep.id) },
    );
  } catch (err) {
    const kind = errorKind(err);
    const status = kind === "canceled" ? "canceled" : "failed";
    await write(db, "UPDATE $id SET status = $status, error = $error, updated = time::now()", { id, status, error: errorMessage(err) }).catch((e: unknown) =>
      ctl.log.warn({ err: e }, "could not record the episode's failure"),
    );
    throw err;
  }

  const outDir = artifacts.dirFor(ep.id);
  const audioFile = path.relative(outDir, result.audioFile);
  if (audioFile.startsWith("..") || path.isAbsolute(audioFile)) throw new AppError("internal", `the pipeline wrote the audio outside the episode's directory: ${result.audioFile}`);
  const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  await write(
    db,
    `UPDATE $id SET status = 'completed', error = NONE, outline = $outline, transcript = $transcript, audio_file = $audio_file,
       duration = $duration, chapters = $chapters, loudness = $loudness, stats = $stats, updated = time::now()`,
    {
      id,
      outline: clean(result.outline),
      transcript: clean(result.transcript.map((t) => ({ speaker: t.speaker, text: t.text, segment: t.segment, start: t.start, end: t.end }))),
      audio_file: audioFile,
      duration: result.durationSeconds,
      chapters: clean(result.chapters),
      loudness: clean(result.loudness),
      stats: clean(result.stats),
    },
  );
  return { episode_id: ep.id, audio_file: result.audioFile, duration: result.durationSeconds };
}
