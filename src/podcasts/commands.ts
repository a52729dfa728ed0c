// The queue command that makes an episode, as the producer sees it: `generate_podcast
// { episode_id }` with its args schema and retry policy, and no handler (that is src/maker, which
// only workers load). Everything the job needs is on the episode record, so a retry (a new job on
// the same episode) resumes from the episode's checkpoints and the speech cache.
import { z } from "zod";
import { idRule, recordIdPattern } from "../core/ids.js";
import { defineCommand } from "../queue/command.js";

export const GENERATE_PODCAST = "generate_podcast";

export const GeneratePodcastArgs = z
  .object({ episode_id: z.string().regex(recordIdPattern("episode"), idRule("episode")) })
  .strict();
export type GeneratePodcastArgs = z.infer<typeof GeneratePodcastArgs>;

export const generatePodcastCommand = defineCommand({
  name: GENERATE_PODCAST,
  input: GeneratePodcastArgs,
  // LLM and TTS outages last minutes, not seconds; completed work is kept between attempts.
  retry: { attempts: 3, baseDelayMs: 5_000, maxDelayMs: 120_000 },
});

/** Every command the podcast domain submits. */
export const PODCAST_COMMANDS = [generatePodcastCommand];
