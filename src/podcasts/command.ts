// The queue command that makes an episode: `generate_podcast { episode_id }`. The worker runs it;
// everything it needs is on the episode record, so a retry (a new job on the same episode)
// resumes from the episode's checkpoints and the speech cache.
import { z } from "zod";
import type { Config } from "../config.js";
import { recordIdPattern, type Db } from "../db/index.js";
import type { Logger } from "../log.js";
import { defineCommand, type CommandDef } from "../queue/command.js";
import { createProviders } from "./providers.js";
import { runEpisode, type EpisodeRunResult } from "./run-episode.js";

export const GENERATE_PODCAST = "generate_podcast";

export const GeneratePodcastArgs = z.object({ episode_id: z.string().regex(recordIdPattern("episode"), "must be an episode id like episode:abc123") }).strict();
export type GeneratePodcastArgs = z.infer<typeof GeneratePodcastArgs>;

export function generatePodcastCommand(deps: { db: Db; config: Config; log: Logger }): CommandDef<GeneratePodcastArgs, EpisodeRunResult> {
  // One set of providers per worker process: the TTS engines' concurrency limits are per process.
  const providers = createProviders(deps.config, deps.log);
  return defineCommand({
    name: GENERATE_PODCAST,
    input: GeneratePodcastArgs,
    // LLM and TTS outages last minutes, not seconds; completed work is kept between attempts.
    retry: { maxAttempts: 3, baseDelayMs: 5_000, maxDelayMs: 120_000 },
    handler: (args, ctx) =>
      runEpisode({ db: deps.db, config: deps.config, log: ctx.log, providers }, args.episode_id, {
        signal: ctx.signal,
        log: ctx.log,
        progress: (fraction, stage, message) => ctx.progress(fraction, stage, message),
      }),
  });
}
