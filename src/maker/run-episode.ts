// One episode through the pipeline: load it, run runPipeline with the episode's checkpoints, the
// speech cache and a folder of this run's own, and publish what came out. The queue's handler
// (handler.ts) and the in-process `generate` CLI both call this, so they make identical episodes.
//
// A job's run passes its Fence: checkpoints and the final result are written only while the job is
// still this worker's, and the files go into a folder named after the job and attempt, which only
// that fenced final write publishes. A stale run's folder is never published and is removed.
import path from "node:path";
import { objectAddress, openArtifactStore } from "../artifacts/open.js";
import { coverPng } from "../artwork/cover.js";
import type { ArtifactStore } from "../artifacts/types.js";
import type { Config } from "../config.js";
import { bareKey } from "../core/ids.js";
import type { Db } from "../db/index.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log.js";
import { overallProgress, runPipeline } from "../pipeline/run.js";
import type { StageContext } from "../pipeline/types.js";
import { EpisodeFiles, runFolder } from "../podcasts/artifacts.js";
import { EpisodeStore } from "../podcasts/episode-store.js";
import { createSpeechCache } from "../podcasts/speech-cache.js";
import { createProviders, type Providers } from "../providers/index.js";
import { voicesForRun } from "../providers/voice-map.js";
import type { Fence } from "../queue/command.js";
import { SamplingRequests } from "../sampling/requests.js";
import { runWriters, type WritersUsed } from "./writers.js";

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
  /** The job's lease; absent when no job runs this (the generate CLI). */
  fence?: Fence | undefined;
}

export interface EpisodeRunResult {
  episode_id: string;
  /** The MP3: its path on the data dir, or its s3://bucket/key when artifacts are in a bucket. */
  audio_file: string;
  duration: number;
  /** Who wrote the script: "builtin", "openai:<model>", "client:<MCP client>", or "script" (given ready). */
  writer: WritersUsed;
}

export interface EpisodeRunner {
  run(episodeId: string, ctl: RunControl): Promise<EpisodeRunResult>;
}

/** A folder for a run with no job: unique per process and start. */
const cliFolder = () => runFolder(`cli${process.pid}`, Date.now());

export function createEpisodeRunner(deps: EpisodeRunDeps): EpisodeRunner {
  const { db, config } = deps;
  const episodes = new EpisodeStore(db);
  const store = deps.artifacts ?? openArtifactStore(config.artifacts, config.dataDir, deps.log);
  const files = new EpisodeFiles(store);
  const providers = deps.providers ?? createProviders(config, deps.log);
  const speechCache = createSpeechCache(db, store, deps.log, { maxBytes: config.cacheMaxMb * 1024 * 1024 });
  // Writer "client": requests to the submitting MCP session go through the database.
  const sampling = { requests: new SamplingRequests(db), settings: config.sampling };
  // Where a run's files are made before they go to a store that is not the data dir.
  const scratch = path.join(config.dataDir, "tmp", "runs");

  return {
    async run(episodeId, ctl) {
      const ep = await episodes.load(episodeId);
      const folder = ctl.fence ? runFolder(bareKey("command", ctl.fence.jobId), ctl.fence.attempt) : cliFolder();
      const outDir = await files.runDir(ep.id, folder, scratch);
      let published = false;
      const ctx: StageContext = {
        signal: ctl.signal,
        progress: (stage, fraction, message) => ctl.progress(overallProgress(stage, fraction), stage, message ?? stage),
        checkpoints: episodes.checkpoints(ep.id, ctl.fence),
        log: ctl.log,
      };
      const writers = runWriters({
        episode: ep,
        jobId: ctl.fence?.jobId,
        shared: providers.writer,
        config,
        checkpoints: ctx.checkpoints,
        sampling,
        log: ctl.log,
      });
      try {
        const result = await runPipeline(
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
            // The show's cover, the same the feed shows, as the MP3's front cover (APIC).
            cover: coverPng(),
          },
          ctx,
          { ...providers, writer: writers.writer, speechCache, outDir },
        );
        const audioFile = path.relative(outDir, result.audioFile);
        if (audioFile.startsWith("..") || path.isAbsolute(audioFile)) {
          throw new AppError(
            "internal",
            `the pipeline wrote the audio outside the episode's directory: ${result.audioFile}`,
          );
        }
        const writer = await writers.used();
        await files.publish(ep.id, folder, outDir);
        published = true;
        const replaced = await episodes.complete(
          ep.id,
          {
            files: folder,
            audio_file: audioFile,
            duration: result.durationSeconds,
            outline: result.outline,
            transcript: result.transcript.map((t) => ({
              speaker: t.speaker,
              text: t.text,
              segment: t.segment,
              start: t.start,
              end: t.end,
            })),
            chapters: result.chapters,
            loudness: result.loudness,
            stats: result.stats,
            writer,
          },
          ctl.fence,
        );
        // Published: what the run before left is no longer anyone's.
        if (replaced !== undefined && replaced !== folder) {
          await files
            .removeRun(ep.id, replaced)
            .catch((err: unknown) => ctl.log.warn({ err }, "could not remove the earlier run's files"));
        }
        await files.dropScratch(ep.id, folder, outDir);
        // On a bucket, the run's own file was scratch on this machine and is gone now: name the object.
        const mp3 = await files.file(ep.id, folder, "mp3");
        const audio = mp3.localPath ?? objectAddress(config.artifacts, mp3.key);
        return { episode_id: ep.id, audio_file: audio, duration: result.durationSeconds, writer };
      } catch (err) {
        // Nothing of an unpublished run is worth keeping: the next run starts its own folder.
        await files.dropScratch(ep.id, folder, outDir).catch(() => undefined);
        if (published || !outDir.startsWith(scratch)) await files.removeRun(ep.id, folder).catch(() => undefined);
        throw err;
      }
    },
  };
}
